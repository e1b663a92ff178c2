//! The session's outputs on both engines: the meeting record sheet (domain.md §6.3) with its
//! attendance, recusals, tallies and the seal over the ballot digests; the results workbook,
//! served only to the committee's secretariat and chair, and audited.

use super::notice::voted;
use super::*;
use crate::common::{app, get, send, sign_in};
use crate::on_both_engines;
use axum::http::StatusCode;
use ladder::domain::review::ballot::Verdict;
use ladder::domain::role::{Grant, Role, Scope};
use ladder::server::config::Settings;
use ladder::server::review::record;

async fn the_meeting_record(db: Db) {
    let (session, chen, lin, _) = voted(&db).await;
    let now = clock::now();
    let committee = store::session(&db, session)
        .await
        .unwrap()
        .unwrap()
        .committee_id;
    let secretary = [Grant::new(Role::Secretary, Scope::Committee(committee)).unwrap()];
    let r = record::record(&db, &secretary, session, now).await.unwrap();
    assert_eq!(r.members_total, 13);
    assert_eq!(r.present.len(), 13);
    assert!(r.absent.is_empty());
    assert_eq!(r.chair, "郑国华");
    assert_eq!((r.quorum.as_str(), r.pass.as_str()), ("2/3", "2/3"));
    // 胡秀英 and 刘霞 (in pinyin order) sat and were recused from 陈晓明, each with the reason
    // found.
    let recused: Vec<(&str, &str, &str)> = r
        .recusals
        .iter()
        .map(|x| (x.member.as_str(), x.candidate.as_str(), x.kind.as_str()))
        .collect();
    assert_eq!(
        recused,
        [
            ("胡秀英", "陈晓明", "counterparty"),
            ("刘霞", "陈晓明", "counterparty")
        ]
    );
    let line = |id: i64| {
        r.candidates
            .iter()
            .find(|c| c.application_id == id)
            .unwrap()
    };
    let (c, l) = (line(chen), line(lin));
    assert_eq!((c.attending, c.yes, c.no, c.abstain), (11, 11, 0, 0));
    assert_eq!((l.attending, l.yes, l.no, l.abstain), (13, 0, 13, 0));
    assert_eq!(c.verdict, Some(Verdict::Passed));
    assert_eq!(l.verdict, Some(Verdict::Failed));
    assert!(c.certified && l.certified);
    assert!(c.panel.starts_with("P1"), "{}", c.panel);
    // Beside the tally, the panel's mean and the defense's, marked against its pass mark.
    assert_eq!(c.panel_mean, Some(ladder::domain::quantity::Points(79_000)));
    let (cd, ld) = (c.defense.unwrap(), l.defense.unwrap());
    assert_eq!(
        (cd.scores, cd.mean.display(), cd.passes()),
        (3, "80.0".into(), true)
    );
    assert_eq!((ld.mean.display(), ld.passes()), ("55.0".into(), false));
    // The seal is the SHA-256 of the digests in the record's order, and changes with any.
    assert_eq!(r.sealed_ballot_hash, record::seal(&r.candidates));
    assert_eq!(r.sealed_ballot_hash.len(), 64);
    let mut changed = r.candidates.clone();
    changed[0].digest.replace_range(0..1, "x");
    assert_ne!(record::seal(&changed), r.sealed_ballot_hash);
    // Another committee's secretariat: not found. A session without a meeting: not found.
    let other = [Grant::new(Role::Secretary, Scope::Committee(committee + 1)).unwrap()];
    assert_eq!(
        record::record(&db, &other, session, now).await,
        Err(AppError::NotFound)
    );

    // The results: every submitted application, its state, its ballot, no certificate yet.
    let t = record::results_table(&db, session, ladder::i18n::Lang::Zh)
        .await
        .unwrap();
    assert_eq!(t.headers[1], "姓名");
    let names: Vec<&str> = t.rows.iter().map(|r| r[1].as_str()).collect();
    // The three applications, then a blank row and the audit log's newest checkpoint, which
    // a printed copy can later be compared with.
    assert_eq!(names, ["陈晓明", "林静", "赵强", "", "审计检查点"]);
    let newest = ladder::db::trust::latest_checkpoint(&db)
        .await
        .unwrap()
        .expect("a certification signs a checkpoint");
    assert_eq!(
        t.rows[4][2],
        ladder::service::checkpoints::fingerprint(&newest)
    );
    assert_eq!(r.checkpoint.as_deref(), Some(t.rows[4][2].as_str()));
    assert!(r.key_fingerprint.as_ref().is_some_and(|k| k.len() == 16));
    assert!(
        r.candidates
            .iter()
            .filter(|c| c.verdict.is_some())
            .all(|c| c.method == "encrypted")
    );
    assert_eq!(t.rows[0][3], "表决通过，待公示");
    // The panel's mean (three sheets of 79) and the defense's (three scores of 80 / 55).
    assert_eq!(&t.rows[0][4..6], ["79.0", "80.0"]);
    assert_eq!(&t.rows[1][4..6], ["79.0", "55.0"]);
    assert_eq!(&t.rows[0][6..10], ["11", "11", "0", "0"]);
    assert_eq!(t.rows[2][3], "不予受理");
    assert_eq!(
        &t.rows[2][4..7],
        ["", "", ""],
        "赵强 was never scored nor voted on"
    );
    assert_eq!(t.rows[0][11], "加密投票");
    assert_eq!(t.rows[0][12], c.digest);
    assert_eq!(t.headers.len(), t.widths.len());
}

#[test]
fn the_results_workbook_is_for_the_committee_only_and_audited() {
    crate::common::run(async {
        let db = crate::common::sqlite().await;
        let (session, ..) = voted(&db).await;
        let app = app(db.clone(), Settings::default());
        let path = format!("/files/review/{session}/results.xlsx");
        let secretary = sign_in(&app, "secretary", demo::DEMO_PASSWORD).await;
        let res = send(&app, get(&path, Some(&secretary))).await;
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = http_body_util::BodyExt::collect(res.into_body())
            .await
            .unwrap()
            .to_bytes();
        assert!(bytes.starts_with(b"PK\x03\x04"), "an .xlsx is a zip");
        let chair = sign_in(&app, "chair", demo::DEMO_PASSWORD).await;
        assert_eq!(
            send(&app, get(&path, Some(&chair))).await.status(),
            StatusCode::OK
        );
        let exports: i64 = ladder::on_db!(&db, c => sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'review.results.export'").fetch_one(c).await)
        .unwrap();
        assert_eq!(exports, 2);
        // A reviewer, a candidate: refused; nobody: sign in; another file or session: not found.
        for login in ["reviewer", "candidate1"] {
            let who = sign_in(&app, login, demo::DEMO_PASSWORD).await;
            assert_eq!(
                send(&app, get(&path, Some(&who))).await.status(),
                StatusCode::FORBIDDEN,
                "{login}"
            );
        }
        assert_eq!(
            send(&app, get(&path, None)).await.status(),
            StatusCode::UNAUTHORIZED
        );
        let other = format!("/files/review/{session}/results.csv");
        assert_eq!(
            send(&app, get(&other, Some(&secretary))).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            send(
                &app,
                get("/files/review/999999/results.xlsx", Some(&secretary))
            )
            .await
            .status(),
            StatusCode::NOT_FOUND
        );
    });
}

on_both_engines!(the_meeting_record);
