//! Scoring and voting through two app instances (two connection pools, as two `ladder serve`
//! processes have) on one database: whichever instance a reviewer's request reaches, each
//! sheet and each ballot counts exactly once, and the invariants `ladder check` verifies hold.

use super::*;
use crate::instances::second_instance;
use crate::on_both_engines;
use futures::future::join_all;
use ladder::db::{ballot as ballots, panels};
use ladder::server::review::{meeting, scoring};

/// Every reviewer of 陈晓明 submits at once, half through each instance; a second submission
/// through the other instance is refused and changes nothing.
async fn sheets_through_either_instance_count_once(db: Db) {
    let (chen, _, _) = super::scoring::in_expert_review(&db).await;
    let other = second_instance(&db).await;
    let now = clock::now();
    let reviewers: Vec<i64> = panels::assigned(&db, chen)
        .await
        .unwrap()
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    assert!(reviewers.len() >= 3, "{reviewers:?}");
    let pick = |i: usize| if i.is_multiple_of(2) { &db } else { &other };
    let sheet = super::ballot::sheet();
    let results = join_all(reviewers.iter().enumerate().map(|(i, &r)| {
        let (here, sheet) = (pick(i), &sheet);
        async move { scoring::submit(here, &as_user(r), r, chen, sheet, now).await }
    }))
    .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    for (i, &r) in reviewers.iter().enumerate() {
        assert_eq!(
            scoring::submit(pick(i + 1), &as_user(r), r, chen, &sheet, now)
                .await
                .unwrap_err(),
            AppError::Refused(Key::ErrScoreSubmitted)
        );
    }
    for here in [&db, &other] {
        let sheets = ladder::db::scoring::sheets(here, chen).await.unwrap();
        assert_eq!(sheets.len(), reviewers.len());
    }
    let report = ladder::cli::check(&other, &crate::common::keys())
        .await
        .unwrap();
    assert_eq!(report.findings, vec![]);
    assert_eq!(report.sheets, reviewers.len() as i64);
}

/// Every member votes on 陈晓明 at once, alternating between the instances, and tries again
/// through the other one: each ballot is counted once and the tally equals the voters.
async fn ballots_through_either_instance_count_once(db: Db) {
    let (session, chen, _) = super::ballot::awaiting_vote(&db).await;
    let other = second_instance(&db).await;
    let now = clock::now();
    let voters = super::ballot::open_with_all(&db, &other, session, chen).await;
    let pick = |i: usize| if i.is_multiple_of(2) { &db } else { &other };
    let db_ref = &db;
    let results = join_all(
        voters
            .iter()
            .enumerate()
            .map(|(i, &m)| async move { super::vote_on(db_ref, pick(i), m, chen, "yes").await }),
    )
    .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let again =
        join_all(voters.iter().enumerate().map(|(i, &m)| async move {
            super::vote_on(db_ref, pick(i + 1), m, chen, "no").await
        }))
        .await;
    assert!(again.iter().all(Result::is_err), "{again:?}");
    for here in [&db, &other] {
        let t = ballots::tally(here, chen).await.unwrap().unwrap();
        assert_eq!(
            ballots::voted(here, t.meeting_id, chen).await.unwrap(),
            voters.len() as i64
        );
        assert_eq!(
            ballots::ballots(here, t.meeting_id, chen)
                .await
                .unwrap()
                .len(),
            voters.len(),
            "{}",
            here.engine()
        );
    }
    // Counted through the other instance: one ballot per voter, every one yes.
    let (chair, _) = super::user(&db, "chair").await;
    meeting::certify(&other, &crate::common::keys(), &chair, |_| true, chen, now)
        .await
        .unwrap();
    let t = ballots::tally(&db, chen).await.unwrap().unwrap();
    assert_eq!((t.yes, t.no, t.abstain), (voters.len() as i32, 0, 0));
    assert_eq!(
        ladder::cli::check(&db, &crate::common::keys())
            .await
            .unwrap()
            .findings,
        vec![]
    );
}

on_both_engines!(
    sheets_through_either_instance_count_once,
    ballots_through_either_instance_count_once
);
