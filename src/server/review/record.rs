//! A session's outputs: the meeting record sheet (domain.md §6.3) and the results workbook.
//! Both read what the meeting stored — attendance, recusals, tallies and their digests — and
//! never a member's choice (no table has one).

use super::meeting::{counts, result};
use super::views::visible_session;
use super::{rules_of, state_of};
use crate::api::AppError;
use crate::api::record::{CandidateLine, RecordSheet, RecusalLine};
use crate::db::review as store;
use crate::db::{Db, ballot as ballots, panels};
use crate::domain::review::procedure::State;
use crate::domain::role::Grant;
use crate::i18n::Lang;
use crate::server::exports::{Table, t};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// The record of the session's latest meeting; "not found" before a meeting was held.
pub async fn record(
    db: &Db,
    grants: &[Grant],
    session_id: i64,
    at: DateTime<Utc>,
) -> Result<RecordSheet, AppError> {
    let s = visible_session(db, grants, session_id).await?;
    let rules = rules_of(&s.rules)?;
    let m = ballots::meetings(db, session_id)
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    let members = ballots::members(db, m.id).await?;
    let chair = members
        .iter()
        .find(|r| r.role == "chair")
        .map(|r| r.name.clone())
        .unwrap_or_default();
    let present_ids: Vec<i64> = members
        .iter()
        .filter(|r| r.present)
        .map(|r| r.user_id)
        .collect();
    let names = |present: bool| -> Vec<String> {
        members
            .iter()
            .filter(|r| r.present == present)
            .map(|r| r.name.clone())
            .collect()
    };
    let committee_panels = panels::panels(db, s.committee_id).await?;
    let mut candidates = Vec::new();
    let mut recusals = Vec::new();
    for app in store::applications_of_session(db, session_id).await? {
        let Some(tally) = ballots::tally(db, app.id)
            .await?
            .filter(|t| t.meeting_id == m.id)
        else {
            continue;
        };
        for c in panels::conflicts(db, app.id).await? {
            if present_ids.contains(&c.reviewer_id) {
                recusals.push(RecusalLine {
                    member: c.reviewer_name,
                    candidate: app.person_name.clone(),
                    kind: c.kind,
                    detail: c.detail,
                });
            }
        }
        let t = counts(&tally);
        let verdict = if tally.counted {
            result(db, &rules, app.id, &tally, t).await?.ok()
        } else {
            None
        };
        let panel = panels::application_panel(db, app.id)
            .await?
            .and_then(|p| committee_panels.iter().find(|k| k.id == p))
            .map(|p| format!("{} {}", p.code, p.name))
            .unwrap_or_default();
        candidates.push(CandidateLine {
            application_id: app.id,
            name: app.person_name.clone(),
            unit: app.unit_name.clone().unwrap_or_default(),
            panel,
            panel_mean: super::scoring::aggregate_for(db, app.id, rules.trimmed_mean_from)
                .await?
                .map(|a| a.mean),
            defense: super::defense::result_for(db, app.id, &rules).await?,
            attending: u32::try_from(tally.attending).unwrap_or(0),
            yes: t.yes,
            no: t.no,
            abstain: t.abstain,
            verdict,
            certified: state_of(&app)? != State::Voting,
            digest: tally.digest.clone(),
            method: tally.method.clone(),
        });
    }
    Ok(RecordSheet {
        meeting_id: m.id,
        session_id,
        session_code: s.code.clone(),
        session_name: s.name.clone(),
        committee: s.committee_name.clone(),
        panels: committee_panels
            .iter()
            .map(|p| format!("{} {}", p.code, p.name))
            .collect(),
        held_on: m.held_on,
        chair,
        members_total: u32::try_from(members.len()).unwrap_or(u32::MAX),
        present: names(true),
        absent: names(false),
        quorum: format!("{}/{}", rules.quorum.num, rules.quorum.den),
        pass: format!("{}/{}", rules.pass.num, rules.pass.den),
        sealed_ballot_hash: seal(&candidates),
        key_fingerprint: ballots::public_key(db, m.id)
            .await?
            .and_then(|k| ladder_ballot::MeetingKey::from_text(&k).ok())
            .map(|k| k.fingerprint()),
        checkpoint: crate::db::trust::latest_checkpoint(db)
            .await?
            .map(|c| crate::service::checkpoints::fingerprint(&c)),
        recusals,
        candidates,
        printed_at: at,
    })
}

/// SHA-256 over `application id:digest` lines, one per candidate in the record's order.
pub fn seal(candidates: &[CandidateLine]) -> String {
    let mut h = Sha256::new();
    for c in candidates {
        h.update(format!("{}:{}\n", c.application_id, c.digest).as_bytes());
    }
    hex::encode(h.finalize())
}

/// The session's results, one row per application that reached the formal check: the state,
/// the latest ballot and the certificate number.
pub async fn results_table(db: &Db, session_id: i64, lang: Lang) -> Result<Table, AppError> {
    let s = store::session(db, session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rules = rules_of(&s.rules)?;
    let headers = [
        ("序号", "No."),
        ("姓名", "Name"),
        ("工作单位", "Employer"),
        ("状态", "State"),
        ("评审组均分", "Panel mean"),
        ("答辩均分", "Defense mean"),
        ("出席（未回避）", "Attending (not recused)"),
        ("赞成", "Yes"),
        ("反对", "No"),
        ("弃权", "Abstain"),
        ("证书编号", "Certificate"),
        ("计票方式", "Counted"),
        ("选票摘要", "Ballot digest"),
    ]
    .iter()
    .map(|(zh, en)| t(lang, zh, en))
    .collect();
    let mut rows = Vec::new();
    for app in store::applications_of_session(db, session_id).await? {
        if app.dossier_version == 0 {
            continue;
        }
        let state = state_of(&app)?;
        let tally = ballots::tally(db, app.id).await?;
        let certificate = crate::db::notice::certificate_of(db, app.id)
            .await?
            .map(|c| c.number)
            .unwrap_or_default();
        let num = |f: fn(&ballots::TallyRow) -> i32| {
            tally.as_ref().map(|x| f(x).to_string()).unwrap_or_default()
        };
        rows.push(vec![
            (rows.len() + 1).to_string(),
            app.person_name.clone(),
            app.unit_name.clone().unwrap_or_default(),
            lang.text(crate::components::labels::state_key(state))
                .to_string(),
            super::scoring::aggregate_for(db, app.id, rules.trimmed_mean_from)
                .await?
                .map(|a| a.mean.display())
                .unwrap_or_default(),
            super::defense::result_for(db, app.id, &rules)
                .await?
                .map(|d| d.mean.display())
                .unwrap_or_default(),
            num(|x| x.attending),
            num(|x| x.yes),
            num(|x| x.no),
            num(|x| x.abstain),
            certificate,
            tally
                .as_ref()
                .map(|x| method_label(lang, &x.method))
                .unwrap_or_default(),
            tally.as_ref().map(|x| x.digest.clone()).unwrap_or_default(),
        ]);
    }
    // The audit log's newest signed checkpoint, so the printed workbook can later show that
    // no audit row was deleted since.
    if let Some(cp) = crate::db::trust::latest_checkpoint(db).await? {
        let mut note = vec![String::new(); headers_len()];
        note[1] = t(lang, "审计检查点", "Audit checkpoint");
        note[2] = crate::service::checkpoints::fingerprint(&cp);
        rows.push(vec![String::new(); headers_len()]);
        rows.push(note);
    }
    Ok(Table {
        sheet: format!("{} {}", s.code, t(lang, "评审结果", "results")),
        headers,
        widths: vec![
            6.0, 12.0, 28.0, 18.0, 12.0, 12.0, 14.0, 8.0, 8.0, 8.0, 18.0, 14.0, 66.0,
        ],
        rows,
    })
}

fn headers_len() -> usize {
    13
}

/// How a ballot was counted, in words.
pub fn method_label(lang: Lang, method: &str) -> String {
    match method {
        "encrypted" => t(lang, "加密投票", "encrypted"),
        "paper" => t(lang, "纸质投票", "paper"),
        _ => t(lang, "旧式计数", "counted the old way"),
    }
}

/// `GET /files/review/{session}/results.xlsx`: the results workbook, for the secretariat and
/// the chair of the session's committee; every download is audited.
pub async fn results_download(
    axum::extract::State(state): axum::extract::State<crate::server::AppState>,
    headers: axum::http::HeaderMap,
    request_user: crate::server::observe::RequestUser,
    axum::extract::Path((session_id, file)): axum::extract::Path<(i64, String)>,
) -> axum::response::Response {
    use crate::db::audit::Change;
    use crate::domain::access::{self, Action};
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let now = crate::server::clock::now();
    let caller =
        match download_caller(&state, &headers, &request_user, Action::ViewAnyReviews, now).await {
            Ok(c) => c,
            Err(refused) => return refused,
        };
    if file != "results.xlsx" {
        return StatusCode::NOT_FOUND.into_response();
    }
    let session = match store::session(&state.db, session_id).await {
        Ok(Some(s))
            if access::allows(
                &caller.grants,
                Action::ViewReviews {
                    committee: s.committee_id,
                },
            ) =>
        {
            s
        }
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let lang = crate::server::session::request_lang(&headers);
    let built = async {
        let table = results_table(&state.db, session.id, lang).await?;
        let bytes = crate::server::exports::xlsx(&table)?;
        audited(
            &state.db,
            &caller,
            now,
            Change {
                action: "review.results.export",
                entity_type: "review_session",
                entity_id: session.id.to_string(),
                before: None,
                after: Some(format!("{} results.xlsx", session.code)),
            },
        )
        .await?;
        Ok::<Vec<u8>, AppError>(bytes)
    }
    .await;
    match built {
        Ok(bytes) => crate::server::files::attachment(
            bytes,
            crate::server::exports::XLSX,
            &format!("{}-results.xlsx", session.code),
        ),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `GET /files/ballots/{meeting}/board.json`: a closed meeting's bulletin board, for whoever
/// may see it (the members who sat, the committee's secretariat and chair, auditors); every
/// download is audited.
pub async fn board_download(
    axum::extract::State(state): axum::extract::State<crate::server::AppState>,
    headers: axum::http::HeaderMap,
    request_user: crate::server::observe::RequestUser,
    axum::extract::Path((meeting, file)): axum::extract::Path<(i64, String)>,
) -> axum::response::Response {
    use crate::db::audit::Change;
    use crate::domain::access::{self, Action};
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let now = crate::server::clock::now();
    let Some(caller) = crate::api::ssr::caller_from(&state, &headers, &request_user, now).await
    else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    if !access::allows(&caller.grants, Action::ViewAnyBallotBoards) || caller.must_change_password {
        return StatusCode::FORBIDDEN.into_response();
    }
    if file != "board.json" {
        return StatusCode::NOT_FOUND.into_response();
    }
    let built = async {
        let json =
            super::meeting_views::board_json(&state.db, &caller.grants, caller.user_id, meeting)
                .await?;
        audited(
            &state.db,
            &caller,
            now,
            Change {
                action: "review.ballot.board_export",
                entity_type: "review_meeting",
                entity_id: meeting.to_string(),
                before: None,
                after: None,
            },
        )
        .await?;
        Ok::<String, AppError>(json)
    }
    .await;
    match built {
        Ok(json) => crate::server::files::attachment(
            json.into_bytes(),
            "application/json",
            &format!("ladder-meeting-{meeting}-board.json"),
        ),
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(AppError::Refused(_)) => StatusCode::CONFLICT.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The signed-in caller of a download route, allowed `gate` (401 or 403 otherwise).
async fn download_caller(
    state: &crate::server::AppState,
    headers: &axum::http::HeaderMap,
    request_user: &crate::server::observe::RequestUser,
    gate: crate::domain::access::Action,
    now: DateTime<Utc>,
) -> Result<crate::api::ssr::Caller, axum::response::Response> {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let Some(caller) = crate::api::ssr::caller_from(state, headers, request_user, now).await else {
        return Err(StatusCode::UNAUTHORIZED.into_response());
    };
    if !crate::domain::access::allows(&caller.grants, gate) || caller.must_change_password {
        return Err(StatusCode::FORBIDDEN.into_response());
    }
    Ok(caller)
}

/// Writes a download's audit row; the file is sent only once it is written.
async fn audited(
    db: &Db,
    caller: &crate::api::ssr::Caller,
    now: DateTime<Utc>,
    change: crate::db::audit::Change<'_>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    crate::db::audit::append(&mut tx, now, &caller.actor(), change).await?;
    tx.commit().await?;
    Ok(())
}
