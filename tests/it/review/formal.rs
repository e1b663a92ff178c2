//! The secretariat's formal check, two clerks at once, and frozen dossiers.

use super::*;
use crate::on_both_engines;

/// The demo's three applications pass their unit's notice; the secretariat receives them,
/// turns down the ineligible one with a reason, asks one candidate (once) for a supplement
/// and accepts; the dossier frozen at submission does not follow later edits.
async fn the_formal_check_of_the_demo_session(db: Db) {
    let session = demo_session(&db).await;
    let now = clock::now();
    let apps_of = store::applications_of_session(&db, session).await.unwrap();
    assert_eq!(apps_of.len(), 3);
    assert!(
        apps_of.iter().all(|a| a.state == "recommended"),
        "the unit's notice has run: {:?}",
        apps_of.iter().map(|a| &a.state).collect::<Vec<_>>()
    );
    // The secretariat's and the unit's to-do counts on their landing pages.
    let (committee, unit) = (apps_of[0].committee_id, apps_of[0].unit_id.unwrap());
    let waiting = store::count_for_committee(&db, committee, &["recommended", "formal_check"]);
    assert_eq!(waiting.await.unwrap(), 3);
    let approving = store::count_for_unit(&db, unit, &["submitted", "unit_objection_review"]);
    assert_eq!(approving.await.unwrap(), 0);
    let ids: Vec<i64> = apps_of.iter().map(|a| a.id).collect();
    let (first, second, third) = (ids[0], ids[1], ids[2]);

    // The dossier is frozen: a record added later is not in it, and its digest still holds.
    let (me, person) = user(&db, "candidate1").await;
    let before = store::dossier(&db, first, 1).await.unwrap().unwrap();
    let input = ladder::server::records::Input::Ce(ladder::server::records::CeInput {
        category: "professional".into(),
        mode: "online".into(),
        hours: "8".into(),
        date: clock::china_date(now).to_string(),
        provider: "某平台".into(),
        title: "提交后新增".into(),
    });
    ladder::server::records::add(&db, &me, person, &input, now)
        .await
        .unwrap();
    let after = store::dossier(&db, first, 1).await.unwrap().unwrap();
    assert_eq!(before.payload, after.payload);
    let reopened = dossier::open(&after.payload).unwrap();
    assert_eq!(dossier::seal(&reopened).unwrap().1, after.sha256);
    assert!(
        !reopened
            .records
            .iter()
            .any(|r| format!("{:?}", r.entry).contains("提交后新增"))
    );
    assert!(
        store::dossier(&db, first, 2).await.unwrap().is_none(),
        "no new version"
    );

    let (secretary, _) = user(&db, "secretary").await;
    let ours = |_: i64| true;
    let theirs = |_: i64| false;
    // Another committee's secretary finds nothing.
    let err = apps::formal_decide(
        &db,
        &secretary,
        theirs,
        first,
        FormalDecision::Receive,
        "",
        now,
    )
    .await
    .unwrap_err();
    assert_eq!(err, AppError::NotFound);
    // Accepting before receiving is not this state's step.
    let err = apps::formal_decide(
        &db,
        &secretary,
        ours,
        first,
        FormalDecision::Accept,
        "",
        now,
    )
    .await
    .unwrap_err();
    assert_eq!(err, AppError::Conflict(STATE.into()));
    for id in &ids {
        apps::formal_decide(&db, &secretary, ours, *id, FormalDecision::Receive, "", now)
            .await
            .unwrap();
        assert_eq!(state(&db, *id).await, State::FormalCheck);
    }

    // The third candidate is ineligible (intermediate title too recent): accepting needs the
    // recorded reason of an exception; without one nothing changes.
    let third_dossier = store::dossier(&db, third, 1).await.unwrap().unwrap();
    assert_eq!(
        dossier::open(&third_dossier.payload)
            .unwrap()
            .ineligible
            .len(),
        1
    );
    let err = apps::formal_decide(
        &db,
        &secretary,
        ours,
        third,
        FormalDecision::Accept,
        " ",
        now,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Validation(ref f) if f[0].field == "reason"));
    assert_eq!(state(&db, third).await, State::FormalCheck);
    let err = apps::formal_decide(
        &db,
        &secretary,
        ours,
        third,
        FormalDecision::Reject,
        "",
        now,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Validation(_)));
    apps::formal_decide(
        &db,
        &secretary,
        ours,
        third,
        FormalDecision::Reject,
        "取得中级职称未满 5 年",
        now,
    )
    .await
    .unwrap();
    assert_eq!(state(&db, third).await, State::NotAccepted);

    // A supplement, once: the candidate's answer freezes a second dossier version.
    apps::formal_decide(
        &db,
        &secretary,
        ours,
        second,
        FormalDecision::Supplement,
        "请补充技术合同登记证明",
        now,
    )
    .await
    .unwrap();
    let row = store::application(&db, second).await.unwrap().unwrap();
    assert_eq!(row.state, "supplement_requested");
    assert_eq!(
        row.supplement_due,
        Some(clock::china_date(now) + chrono::Duration::days(10))
    );
    let (cand2, person2) = user(&db, "candidate2").await;
    apps::supplement(&db, &cand2, person2, second, now)
        .await
        .unwrap();
    let row = store::application(&db, second).await.unwrap().unwrap();
    assert_eq!(
        (row.state.as_str(), row.dossier_version),
        ("formal_check", 2)
    );
    let err = apps::formal_decide(
        &db,
        &secretary,
        ours,
        second,
        FormalDecision::Supplement,
        "再补一次",
        now,
    )
    .await
    .unwrap_err();
    assert_eq!(err, AppError::Refused(Key::ErrSupplementOnce));
    for id in [first, second] {
        apps::formal_decide(&db, &secretary, ours, id, FormalDecision::Accept, "", now)
            .await
            .unwrap();
        assert_eq!(state(&db, id).await, State::PanelAssigned);
    }
    // Someone else's application is not the candidate's to withdraw.
    let err = apps::withdraw(&db, &cand2, person2, first, now)
        .await
        .unwrap_err();
    assert_eq!(err, AppError::NotFound);

    // Every step is in the application's history and in the audit log.
    let events = store::events(&db, second).await.unwrap();
    let steps: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e.event.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        steps,
        vec![
            ("submit", "candidate"),
            ("unit_approve", "unit"),
            ("notice_elapsed", "clock"),
            ("secretariat_receive", "secretariat"),
            ("incomplete", "secretariat"),
            ("supplemented", "candidate"),
            ("accepted", "secretariat"),
        ]
    );
    let audit = ladder::db::audit::list(
        &db,
        &ladder::db::audit::AuditFilter {
            action: "application.accepted".into(),
            limit: 10,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(audit.0.len(), 2);
}

/// Two secretaries take the same step on the same application at the same moment: one
/// succeeds, the other is told the state changed, and the history holds the step once.
async fn two_clerks_at_once(db: Db) {
    let session = demo_session(&db).await;
    let id = store::applications_of_session(&db, session).await.unwrap()[0].id;
    let (secretary, _) = user(&db, "secretary").await;
    let now = clock::now();
    let ours = |_: i64| true;
    let (a, b) = tokio::join!(
        apps::formal_decide(&db, &secretary, ours, id, FormalDecision::Receive, "", now),
        apps::formal_decide(&db, &secretary, ours, id, FormalDecision::Receive, "", now),
    );
    let results = [a, b];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .any(|r| *r == Err(AppError::Conflict(STATE.into())))
    );
    let received = store::events(&db, id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event == "secretariat_receive")
        .count();
    assert_eq!(received, 1);
}

/// A frozen dossier cannot be changed or removed, even by SQL.
async fn frozen_dossiers_refuse_update_and_delete(db: Db) {
    let session = demo_session(&db).await;
    let id = store::applications_of_session(&db, session).await.unwrap()[0].id;
    let sql = [
        "UPDATE dossiers SET payload = '{}' WHERE application_id = $1",
        "DELETE FROM dossiers WHERE application_id = $1",
    ];
    for q in sql {
        let refused = match db.pool() {
            ladder::db::Pool::Sqlite(p) => sqlx::query(q).bind(id).execute(p).await.is_err(),
            ladder::db::Pool::Postgres(p) => sqlx::query(q).bind(id).execute(p).await.is_err(),
        };
        assert!(refused, "{q}");
    }
    assert!(store::dossier(&db, id, 1).await.unwrap().is_some());
}

on_both_engines!(
    the_formal_check_of_the_demo_session,
    two_clerks_at_once,
    frozen_dossiers_refuse_update_and_delete,
);
