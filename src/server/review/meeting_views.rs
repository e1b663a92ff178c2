//! What the meeting looks like to the secretariat and the chair (attendance, each ballot's
//! progress, a tally only once counted) and to a member (their ballot paper: the candidates
//! to vote on, the key to encrypt under, and whether they have voted — never how), and the
//! bulletin board once the meeting is counted.

use super::meeting::{counts, result, seats};
use super::scoring::aggregate_for;
use super::views::visible_session;
use super::{rules_of, state_of};
use crate::api::AppError;
use crate::api::meeting::{
    BallotView, BoardCandidate, BoardView, HeldView, MeetingView, PaperItem, SeatView,
};
use crate::db::ballot as ballots;
use crate::db::review as store;
use crate::db::{Db, panels};
use crate::domain::access::{self, Action};
use crate::domain::review::procedure::State;
use crate::domain::role::Grant;
use crate::server::clock::china_date;
use crate::service::keys::Keyring;
use chrono::{DateTime, Utc};

pub async fn meeting(
    db: &Db,
    grants: &[Grant],
    session_id: i64,
    at: DateTime<Utc>,
) -> Result<MeetingView, AppError> {
    let s = visible_session(db, grants, session_id).await?;
    let committee = s.committee_id;
    let rules = rules_of(&s.rules)?;
    let held = ballots::meetings(db, session_id).await?.into_iter().next();
    let day = held.as_ref().map_or_else(|| china_date(at), |m| m.held_on);
    let (all, _, problems) = seats(db, &s, day).await?;
    let present: Vec<(i64, bool)> = match &held {
        Some(m) => ballots::members(db, m.id)
            .await?
            .into_iter()
            .map(|r| (r.user_id, r.present))
            .collect(),
        None => Vec::new(),
    };
    let seats = all
        .iter()
        .map(|m| SeatView {
            user_id: m.user_id,
            name: m.name.clone(),
            role: m.role.clone(),
            term_from: m.term.from,
            term_to: m.term.to,
            sits: m.term.covers(day),
            present: present.iter().any(|(u, p)| *u == m.user_id && *p),
        })
        .collect();
    let apps = store::applications_of_session(db, session_id).await?;
    let mut waiting = Vec::new();
    for a in &apps {
        if state_of(a)? == State::AwaitingVote {
            waiting.push(a.person_name.clone());
        }
    }
    let meeting = match held {
        None => None,
        Some(m) => {
            let members = ballots::members(db, m.id).await?;
            let present_ids: Vec<i64> = members
                .iter()
                .filter(|r| r.present)
                .map(|r| r.user_id)
                .collect();
            let mut list = Vec::new();
            let mut closed = true;
            for a in &apps {
                let Some(tally) = ballots::tally(db, a.id)
                    .await?
                    .filter(|t| t.meeting_id == m.id)
                else {
                    continue;
                };
                let voted = ballots::voted(db, m.id, a.id).await? as u32;
                let attending = u32::try_from(tally.attending).unwrap_or(0);
                let complete = voted >= attending;
                let mut recused = Vec::new();
                for r in members.iter().filter(|r| r.present) {
                    if panels::is_conflicted(db, a.id, r.user_id).await? {
                        recused.push(r.name.clone());
                    }
                }
                let verdict = if tally.counted {
                    result(db, &rules, a.id, &tally, counts(&tally)).await?.ok()
                } else {
                    None
                };
                closed &= tally.counted;
                list.push(BallotView {
                    application_id: a.id,
                    candidate: a.person_name.clone(),
                    state: state_of(a)?,
                    attending,
                    voted,
                    recused,
                    aggregate: aggregate_for(db, a.id, rules.trimmed_mean_from).await?,
                    defense: super::defense::result_for(db, a.id, &rules).await?,
                    method: tally.method.clone(),
                    tally: tally.counted.then(|| counts(&tally)),
                    verdict,
                    digest: (tally.counted && complete).then(|| tally.digest.clone()),
                });
            }
            let key_fingerprint = ballots::public_key(db, m.id)
                .await?
                .and_then(|k| ladder_ballot::MeetingKey::from_text(&k).ok())
                .map(|k| k.fingerprint());
            Some(HeldView {
                id: m.id,
                held_on: m.held_on,
                members: members.len() as u32,
                present: present_ids.len() as u32,
                ballots: list,
                key_fingerprint,
                closed: closed || m.voided_at.is_some(),
                voided: m.void_reason.clone(),
            })
        }
    };
    Ok(MeetingView {
        session_id,
        meeting_on: s.meeting_on,
        can_run: access::allows(grants, Action::RunReviews { committee }),
        can_open: access::allows(grants, Action::OpenMeeting { committee }),
        can_certify: access::allows(grants, Action::ChairReviews { committee }),
        seats,
        problems,
        waiting,
        meeting,
    })
}

/// A member's ballot paper: the candidates of the meetings they sit present on that are (or
/// were just) being voted on.
pub async fn paper(db: &Db, keys: &Keyring, user: i64) -> Result<Vec<PaperItem>, AppError> {
    let mut out = Vec::new();
    for row in store::applications_in_state(db, State::Voting.code()).await? {
        let Some(tally) = ballots::tally(db, row.id).await? else {
            continue;
        };
        let present = ballots::members(db, tally.meeting_id)
            .await?
            .iter()
            .any(|m| m.user_id == user && m.present);
        if !present {
            continue;
        }
        let session = store::session(db, row.session_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let rules = rules_of(&session.rules)?;
        // The key is shown only after it is checked against its sealed record.
        let key = if tally.method == "encrypted" && !tally.counted {
            super::ballot::public_key_for_voting(db, keys, tally.meeting_id).await?
        } else {
            None
        };
        out.push(PaperItem {
            meeting_id: tally.meeting_id,
            key_fingerprint: key.as_ref().map(ladder_ballot::MeetingKey::fingerprint),
            public_key: key.map(|k| k.to_text()),
            voter_tag: ballots::voter_tag(db, tally.meeting_id, user)
                .await?
                .unwrap_or_default(),
            on_paper: tally.method == "paper",
            application_id: row.id,
            candidate: row.person_name.clone(),
            session_code: row.session_code.clone(),
            aggregate: aggregate_for(db, row.id, rules.trimmed_mean_from).await?,
            defense: super::defense::result_for(db, row.id, &rules).await?,
            voted: ballots::has_voted(db, tally.meeting_id, row.id, user).await?,
            recused: panels::is_conflicted(db, row.id, user).await?,
            state: state_of(&row)?,
        });
    }
    Ok(out)
}

/// The meeting a caller may see the board of, once it is closed: every candidate counted, or
/// the ballot voided.
async fn closed_meeting(
    db: &Db,
    grants: &[Grant],
    user: i64,
    meeting: i64,
) -> Result<(crate::db::ballot::MeetingRow, crate::db::review::SessionRow), AppError> {
    let m = ballots::meeting(db, meeting)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = store::session(db, m.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let sat = ballots::members(db, meeting)
        .await?
        .iter()
        .any(|r| r.user_id == user && r.present);
    if !access::allows(
        grants,
        Action::ViewBallotBoard {
            committee: s.committee_id,
            sat,
        },
    ) {
        return Err(AppError::NotFound);
    }
    let open = ballots::tallies(db, meeting)
        .await?
        .iter()
        .any(|(_, t)| !t.counted);
    if open && m.voided_at.is_none() {
        return Err(AppError::Refused(crate::i18n::Key::ErrBoardNotClosed));
    }
    Ok((m, s))
}

/// The bulletin board of a closed meeting, with every proof and count rechecked from the
/// board alone (as `ladder ballot verify --board` does).
pub async fn board(
    db: &Db,
    grants: &[Grant],
    user: i64,
    meeting: i64,
) -> Result<BoardView, AppError> {
    let (m, s) = closed_meeting(db, grants, user, meeting).await?;
    let b = super::ballot::board(db, meeting)
        .await?
        .ok_or(AppError::NotFound)?;
    let report = tokio::task::spawn_blocking({
        let b = b.clone();
        move || ladder_ballot::board::verify(&b)
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|e| {
        tracing::error!(error = %e, meeting, "the meeting's board cannot be checked");
        AppError::Internal
    })?;
    let mut candidates = Vec::new();
    for (c, checked) in b.candidates.iter().zip(&report.candidates) {
        let name = store::application(db, c.candidate)
            .await?
            .map(|a| a.person_name)
            .unwrap_or_default();
        candidates.push(BoardCandidate {
            application_id: c.candidate,
            candidate: name,
            method: match c.method {
                ladder_ballot::board::Method::Paper => "paper".into(),
                ladder_ballot::board::Method::Encrypted => "encrypted".into(),
            },
            attending: c.attending,
            ballots: checked.ballots,
            tally: c.counts.map(|k| crate::domain::review::ballot::Tally {
                yes: k.yes,
                no: k.no,
                abstain: k.abstain,
            }),
            digest: c.digest.clone(),
            receipts: c.ballots.iter().map(|p| p.receipt.clone()).collect(),
            problems: checked.problems.clone(),
        });
    }
    Ok(BoardView {
        meeting_id: meeting,
        session_code: s.code,
        held_on: m.held_on,
        key_fingerprint: report.key_fingerprint.clone(),
        verified: report.is_clean(),
        candidates,
    })
}

/// The board's JSON, for download (audited by the caller).
pub async fn board_json(
    db: &Db,
    grants: &[Grant],
    user: i64,
    meeting: i64,
) -> Result<String, AppError> {
    closed_meeting(db, grants, user, meeting).await?;
    let b = super::ballot::board(db, meeting)
        .await?
        .ok_or(AppError::NotFound)?;
    serde_json::to_string_pretty(&b).map_err(|_| AppError::Internal)
}

/// Whether `receipt` is among the meeting's ballots.
pub async fn find_receipt(
    db: &Db,
    grants: &[Grant],
    user: i64,
    meeting: i64,
    receipt: &str,
) -> Result<bool, AppError> {
    closed_meeting(db, grants, user, meeting).await?;
    let receipt = receipt.trim().to_ascii_lowercase();
    if receipt.len() != 64 || !receipt.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::invalid(
            "receipt",
            crate::i18n::Key::ErrReceiptFormat,
        ));
    }
    Ok(ballots::find_receipt(db, meeting, &receipt)
        .await?
        .is_some())
}

/// The closed meetings whose boards the caller may open, newest first.
pub async fn boards(
    db: &Db,
    grants: &[Grant],
    user: i64,
) -> Result<Vec<crate::api::meeting::BoardLink>, AppError> {
    let mut out = Vec::new();
    for (meeting, committee, code, held_on) in ballots::keyed_meetings(db).await? {
        let sat = ballots::members(db, meeting)
            .await?
            .iter()
            .any(|r| r.user_id == user && r.present);
        if !access::allows(grants, Action::ViewBallotBoard { committee, sat }) {
            continue;
        }
        let m = ballots::meeting(db, meeting)
            .await?
            .ok_or(AppError::NotFound)?;
        let open = ballots::tallies(db, meeting)
            .await?
            .iter()
            .any(|(_, t)| !t.counted);
        if open && m.voided_at.is_none() {
            continue;
        }
        out.push(crate::api::meeting::BoardLink {
            meeting_id: meeting,
            session_code: code,
            held_on,
        });
    }
    Ok(out)
}
