//! Independent scoring: a sheet checked against the session's rubric and submitted once,
//! others' sheets hidden until one's own is in or scoring closes, conflicted and unassigned
//! reviewers kept out, reminders, the end of the expert review behind its guard, and two
//! reviewers submitting at the same moment.

use super::*;
use crate::on_both_engines;
use ladder::db::{panels, scoring as sheets};
use ladder::domain::quantity::Points;
use ladder::domain::review::scoring::Recommendation;
use ladder::i18n::Lang;
use ladder::server::review::panels as staffing;
use ladder::server::review::scoring::{self, SheetInput};
use ladder::server::review::views;
use std::collections::BTreeMap;

/// The demo session with 陈晓明 and 林静 accepted, on panel P1, their reviewers assigned and
/// the recusals locked: (陈晓明, 林静, the session's last scoring day).
pub(super) async fn in_expert_review(db: &Db) -> (i64, i64, NaiveDate) {
    let (chen, lin, _) = in_expert_review_as_scheduled(db).await;
    let session = store::application(db, chen)
        .await
        .unwrap()
        .unwrap()
        .session_id;
    scoring_from_today(db, session).await;
    let last = store::session(db, session)
        .await
        .unwrap()
        .unwrap()
        .scoring_to;
    (chen, lin, last)
}

/// [`in_expert_review`] on the demo session's own dates: its scoring period is weeks away.
pub(super) async fn in_expert_review_as_scheduled(db: &Db) -> (i64, i64, NaiveDate) {
    let session = demo_session(db).await;
    let now = clock::now();
    let (secretary, _) = user(db, "secretary").await;
    let ours = |_: i64| true;
    let apps_of = store::applications_of_session(db, session).await.unwrap();
    let (chen, lin) = (apps_of[0].id, apps_of[1].id);
    let p1 = panels::panels(db, apps_of[0].committee_id).await.unwrap()[0].id;
    for id in [chen, lin] {
        for step in [FormalDecision::Receive, FormalDecision::Accept] {
            apps::formal_decide(db, &secretary, ours, id, step, "", now)
                .await
                .unwrap();
        }
        staffing::set_panel(db, &secretary, ours, id, p1, now)
            .await
            .unwrap();
    }
    staffing::assign_reviewers(db, &secretary, ours, session, now)
        .await
        .unwrap();
    for id in [chen, lin] {
        staffing::lock_recusals(db, &secretary, ours, id, now)
            .await
            .unwrap();
    }
    let last = store::session(db, session)
        .await
        .unwrap()
        .unwrap()
        .scoring_to;
    (chen, lin, last)
}

fn sheet(points: [&str; 5], recommendation: &str) -> SheetInput {
    let criteria = [
        "complexity",
        "outcome",
        "personal_contribution",
        "professional_method",
        "reflection",
    ];
    SheetInput {
        points: criteria
            .iter()
            .zip(points)
            .map(|(c, p)| (c.to_string(), p.to_string()))
            .collect(),
        recommendation: recommendation.into(),
        comment: "  案例完整，贡献清楚。 ".into(),
    }
}

async fn independent_sheets_and_the_end_of_the_review(db: Db) {
    let (chen, lin, last) = in_expert_review(&db).await;
    let now = clock::now();
    let closed = noon(last + chrono::Duration::days(1));
    let (secretary, _) = user(&db, "secretary").await;
    let ours = |_: i64| true;
    let reviewers: Vec<i64> = panels::assigned(&db, chen)
        .await
        .unwrap()
        .into_iter()
        .map(|(u, _)| u)
        .collect();
    assert_eq!(reviewers.len(), 3);
    let (r0, r1, r2) = (reviewers[0], reviewers[1], reviewers[2]);

    // Before any sheet: the form, nobody else's scores.
    let v = scoring::sheet_view(&db, r0, chen, now).await.unwrap();
    assert!(v.may_score && v.own.is_none() && v.others.is_none() && v.aggregate.is_none());
    assert_eq!(v.rubric.iter().map(|(_, max)| max).sum::<u32>(), 100);

    // A bad sheet is refused field by field and stores nothing.
    let mut bad = sheet(["21", "25", "x", "20", "10"], "maybe");
    bad.points.remove("reflection");
    let got = fields(
        scoring::submit(&db, &as_user(r0), r0, chen, &bad, now)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        got,
        [
            "points[personal_contribution]",
            "points[complexity]",
            "points[reflection]",
            "recommendation"
        ],
        "{got:?}"
    );
    assert!(sheets::sheets(&db, chen).await.unwrap().is_empty());

    // The first sheet goes in once; the reviewer then sees their own and an empty field.
    let first = sheet(["18", "22", "20", "16", "8"], "support");
    scoring::submit(&db, &as_user(r0), r0, chen, &first, now)
        .await
        .unwrap();
    assert_eq!(
        scoring::submit(&db, &as_user(r0), r0, chen, &first, now)
            .await
            .unwrap_err(),
        AppError::Refused(Key::ErrScoreSubmitted)
    );
    let v = scoring::sheet_view(&db, r0, chen, now).await.unwrap();
    let own = v.own.expect("own sheet");
    assert_eq!(
        (own.total, own.recommendation),
        (84, Recommendation::Support)
    );
    assert_eq!(own.comment, "案例完整，贡献清楚。");
    assert!(!v.may_score);
    assert_eq!(v.others, Some(vec![]));

    // The second reviewer does not see the first's sheet before submitting their own.
    let v1 = scoring::sheet_view(&db, r1, chen, now).await.unwrap();
    assert!(v1.others.is_none() && v1.aggregate.is_none());

    // The conflicted reviewer, and one from the other panel, never reach the sheet.
    let (r04, _) = user(&db, "reviewer04").await;
    let (r06, _) = user(&db, "reviewer06").await;
    for outsider in [r04.user_id.unwrap(), r06.user_id.unwrap()] {
        assert_eq!(
            scoring::sheet_view(&db, outsider, chen, now)
                .await
                .unwrap_err(),
            AppError::NotFound
        );
        assert_eq!(
            scoring::submit(&db, &as_user(outsider), outsider, chen, &first, now)
                .await
                .unwrap_err(),
            AppError::NotFound
        );
    }

    // One sheet of three: the review cannot end. A reminder reaches the third reviewer.
    assert_eq!(
        scoring::complete(&db, &secretary, ours, chen, now)
            .await
            .unwrap_err(),
        AppError::Refused(Key::ErrTooFewScores)
    );
    scoring::remind(&db, &secretary, ours, chen, r2, now)
        .await
        .unwrap();
    // r0's sheet is in, but the demo session holds a defense r0 has yet to score: a reminder
    // is still in order (the defense tests refuse one once both are in).
    scoring::remind(&db, &secretary, ours, chen, r0, now)
        .await
        .unwrap();
    let v2 = scoring::sheet_view(&db, r2, chen, now).await.unwrap();
    assert!(v2.reminded_at.is_some());
    scoring::submit(
        &db,
        &as_user(r1),
        r1,
        chen,
        &sheet(["14", "15", "18", "12", "6"], "neutral"),
        now,
    )
    .await
    .unwrap();
    let v1 = scoring::sheet_view(&db, r1, chen, now).await.unwrap();
    let others = v1.others.expect("visible after submitting");
    assert_eq!(others.len(), 1);
    assert_eq!(others[0].total, 84);

    // After the close: no more sheets; the late reviewer sees the others; two are too few.
    assert_eq!(
        scoring::submit(&db, &as_user(r2), r2, chen, &first, closed)
            .await
            .unwrap_err(),
        AppError::Refused(Key::ErrScoringClosed)
    );
    let late = scoring::sheet_view(&db, r2, chen, closed).await.unwrap();
    assert!(late.closed && !late.may_score);
    assert_eq!(late.others.map(|o| o.len()), Some(2));
    assert_eq!(
        scoring::complete(&db, &secretary, ours, chen, closed)
            .await
            .unwrap_err(),
        AppError::Refused(Key::ErrTooFewScores)
    );
    // In time, the third sheet; then — the demo session holding a defense, once it has been
    // scored — the review ends.
    scoring::submit(
        &db,
        &as_user(r2),
        r2,
        chen,
        &sheet(["16", "20", "19", "15", "9"], "support"),
        now,
    )
    .await
    .unwrap();
    super::defense::defended(&db, chen, "75").await;
    scoring::complete(&db, &secretary, ours, chen, now)
        .await
        .unwrap();
    assert_eq!(state(&db, chen).await, State::AwaitingVote);
    assert_eq!(
        scoring::submit(&db, &as_user(r0), r0, chen, &first, now)
            .await
            .unwrap_err(),
        AppError::Conflict(STATE.into())
    );

    // The secretariat's view: (84 + 65 + 79) / 3 = 76.0, the panel's case quality on 100.
    let grants = [ladder::domain::role::Grant::new(
        ladder::domain::role::Role::Secretary,
        ladder::domain::role::Scope::Committee(
            store::application(&db, chen)
                .await
                .unwrap()
                .unwrap()
                .committee_id,
        ),
    )
    .unwrap()];
    let session = store::application(&db, chen)
        .await
        .unwrap()
        .unwrap()
        .session_id;
    let view = scoring::progress(&db, &grants, session, now).await.unwrap();
    let p = view
        .applications
        .iter()
        .find(|p| p.application_id == chen)
        .unwrap();
    let agg = p.aggregate.expect("aggregate");
    assert_eq!(
        (agg.sheets, agg.mean, agg.trimmed),
        (3, Points(76_000), false)
    );
    assert_eq!((agg.support, agg.neutral, agg.oppose), (2, 1, 0));
    assert_eq!(p.case_quality, Some(Points(76_000)));
    assert!(p.reviewers.iter().all(|r| r.submitted_at.is_some()));

    // The candidate sees their state, never a reviewer's name, score or comment.
    let (_, chen_person) = user(&db, "candidate1").await;
    let candidate_user = ladder::db::people::user_by_login(&db, "candidate1")
        .await
        .unwrap()
        .unwrap()
        .id;
    let home = views::title_home(&db, chen_person, Lang::Zh, now)
        .await
        .unwrap();
    let dossier = views::dossier(&db, (chen_person, candidate_user), &[], chen, Lang::Zh, now)
        .await
        .unwrap();
    let seen = format!(
        "{}{}",
        serde_json::to_string(&home).unwrap(),
        serde_json::to_string(&dossier).unwrap()
    );
    assert!(seen.contains("awaiting_vote"));
    for (_, name) in panels::assigned(&db, chen).await.unwrap() {
        assert!(!seen.contains(&name), "the candidate must not see {name}");
    }
    assert!(!seen.contains("案例完整") && !seen.contains("76.0"));

    // 林静: a reviewer who scores and then declares a conflict leaves with their sheet.
    let (leaver, _) = panels::assigned(&db, lin).await.unwrap()[0].clone();
    scoring::submit(
        &db,
        &as_user(leaver),
        leaver,
        lin,
        &sheet(["10", "10", "10", "10", "5"], "oppose"),
        now,
    )
    .await
    .unwrap();
    staffing::declare_conflict(
        &db,
        &as_user(leaver),
        leaver,
        lin,
        "与申报人系师生关系",
        now,
    )
    .await
    .unwrap();
    let view = scoring::progress(&db, &grants, session, now).await.unwrap();
    let p = view
        .applications
        .iter()
        .find(|p| p.application_id == lin)
        .unwrap();
    assert_eq!(p.reviewers.len(), 2);
    assert_eq!(p.aggregate, None, "the leaver's sheet no longer counts");

    // The audit log says that sheets came in, never what they say.
    let (submitted, _) = ladder::db::audit::list(
        &db,
        &ladder::db::audit::AuditFilter {
            action: "review.score.submitted".into(),
            limit: 50,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(submitted.len(), 4);
    assert!(submitted.iter().all(|e| e.after_summary.is_none()));
}

/// Two reviewers submit at the same moment: both sheets are in. One reviewer submitting
/// twice at once: exactly one sheet.
async fn two_reviewers_at_the_same_moment(db: Db) {
    let (chen, _, _) = in_expert_review(&db).await;
    let now = clock::now();
    let reviewers: Vec<i64> = panels::assigned(&db, chen)
        .await
        .unwrap()
        .into_iter()
        .map(|(u, _)| u)
        .collect();
    let (a, b) = (reviewers[0], reviewers[1]);
    let s = sheet(["15", "20", "15", "15", "5"], "support");
    let (who_a, who_b) = (as_user(a), as_user(b));
    let (x, y) = tokio::join!(
        scoring::submit(&db, &who_a, a, chen, &s, now),
        scoring::submit(&db, &who_b, b, chen, &s, now),
    );
    assert_eq!((x, y), (Ok(()), Ok(())));
    let c = reviewers[2];
    let who_c = as_user(c);
    let (x, y) = tokio::join!(
        scoring::submit(&db, &who_c, c, chen, &s, now),
        scoring::submit(&db, &who_c, c, chen, &s, now),
    );
    let results = [x, y];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results.contains(&Err(AppError::Refused(Key::ErrScoreSubmitted))),
        "{results:?}"
    );
    let stored: BTreeMap<i64, i32> = sheets::sheets(&db, chen)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.reviewer_id, r.total))
        .collect();
    assert_eq!(stored, BTreeMap::from([(a, 70), (b, 70), (c, 70)]));
}

on_both_engines!(
    independent_sheets_and_the_end_of_the_review,
    two_reviewers_at_the_same_moment
);
