//! The defense (答辩) of the demo session, which holds one: scheduled by the secretariat with
//! every bad input located and nothing written, movable until the first score, scored once by
//! each assigned reviewer from its day on (others' scores hidden until one's own is in), kept
//! from conflicted reviewers and from the candidate, and the end of the expert review waiting
//! for it. Two reviewers scoring at the same moment.

use super::*;
use crate::on_both_engines;
use ladder::db::defense as store_defense;
use ladder::db::panels;
use ladder::domain::quantity::Points;
use ladder::i18n::Lang;
use ladder::server::review::defense;
use ladder::server::review::scoring::{self, SheetInput};
use ladder::server::review::views;

fn full_sheet() -> SheetInput {
    SheetInput {
        points: [
            ("complexity", "15"),
            ("outcome", "20"),
            ("personal_contribution", "20"),
            ("professional_method", "15"),
            ("reflection", "5"),
        ]
        .into_iter()
        .map(|(c, p)| (c.to_string(), p.to_string()))
        .collect(),
        recommendation: "support".into(),
        comment: String::new(),
    }
}

/// "YYYY-MM-DDTHH:MM" on `day`, as a datetime-local input sends it.
fn local(day: NaiveDate, hm: &str) -> String {
    format!("{day}T{hm}")
}

/// Schedules the defense of `application` for this morning and has every assigned reviewer
/// score it `score`: what the end of the expert review waits for in the demo session.
pub(super) async fn defended(db: &Db, application: i64, score: &str) {
    let now = clock::now();
    let (secretary, _) = user(db, "secretary").await;
    let today = ladder::server::clock::china_date(now);
    defense::schedule(
        db,
        &secretary,
        |_| true,
        application,
        &local(today, "08:00"),
        "第一会议室",
        now,
    )
    .await
    .unwrap();
    for (r, _) in panels::assigned(db, application).await.unwrap() {
        defense::score(db, &as_user(r), r, application, score, "", now)
            .await
            .unwrap();
    }
}

async fn a_defense_is_scheduled_scored_once_and_ends_the_review(db: Db) {
    let (chen, _, last) = super::scoring::in_expert_review(&db).await;
    let now = clock::now();
    let today = ladder::server::clock::china_date(now);
    let (secretary, _) = user(&db, "secretary").await;
    let ours = |_: i64| true;
    let reviewers: Vec<i64> = panels::assigned(&db, chen)
        .await
        .unwrap()
        .into_iter()
        .map(|(u, _)| u)
        .collect();
    let (r0, r1, r2) = (reviewers[0], reviewers[1], reviewers[2]);

    // The demo session holds a defense: the reviewer sees it unscheduled and cannot score.
    let v = scoring::sheet_view(&db, r0, chen, now).await.unwrap();
    let d = v.defense.expect("the demo session holds a defense");
    assert!(d.schedule.is_none() && !d.may_score && d.own.is_none());
    assert_eq!((d.scale, d.pass_mark), (100, 60));
    assert_eq!(
        defense::score(&db, &as_user(r0), r0, chen, "80", "", now)
            .await
            .unwrap_err(),
        AppError::Refused(Key::ErrDefenseNotYet)
    );

    // Every sheet in, yet the review waits for the defense.
    for r in &reviewers {
        scoring::submit(&db, &as_user(*r), *r, chen, &full_sheet(), now)
            .await
            .unwrap();
    }
    assert_eq!(
        scoring::complete(&db, &secretary, ours, chen, now)
            .await
            .unwrap_err(),
        AppError::Refused(Key::ErrDefenseUnscheduled)
    );

    // Bad schedules are refused on their fields, and nothing is written.
    let tomorrow = today + chrono::Duration::days(1);
    let bad = [
        ("next Monday".to_string(), "第一会议室", vec!["starts_at"]),
        (local(tomorrow, "14:00"), "  ", vec!["place"]),
        (
            local(today - chrono::Duration::days(1), "14:00"),
            "第一会议室",
            vec!["starts_at"],
        ),
        (
            local(last + chrono::Duration::days(1), "09:00"),
            "第一会议室",
            vec!["starts_at"],
        ),
        (String::new(), "", vec!["starts_at", "place"]),
    ];
    for (at, place, want) in bad {
        let got = fields(
            defense::schedule(&db, &secretary, ours, chen, &at, place, now)
                .await
                .unwrap_err(),
        );
        assert_eq!(got, want, "{at:?} {place:?}");
    }
    assert_eq!(store_defense::defense(&db, chen).await.unwrap(), None);
    // Another committee's secretariat does not find the application.
    assert_eq!(
        defense::schedule(
            &db,
            &secretary,
            |_| false,
            chen,
            &local(tomorrow, "14:00"),
            "甲",
            now
        )
        .await
        .unwrap_err(),
        AppError::NotFound
    );

    // Tomorrow afternoon: the reviewers and the candidate see when and where; nobody scores
    // before the day.
    defense::schedule(
        &db,
        &secretary,
        ours,
        chen,
        &local(tomorrow, "14:00"),
        " 第二会议室 ",
        now,
    )
    .await
    .unwrap();
    let v = scoring::sheet_view(&db, r1, chen, now).await.unwrap();
    let d = v.defense.unwrap();
    assert_eq!(
        d.schedule.as_ref().map(|s| s.line()),
        Some(format!("{tomorrow} 14:00 · 第二会议室"))
    );
    assert!(!d.may_score);
    assert_eq!(
        defense::score(&db, &as_user(r1), r1, chen, "80", "", now)
            .await
            .unwrap_err(),
        AppError::Refused(Key::ErrDefenseNotYet)
    );
    let (_, chen_person) = user(&db, "candidate1").await;
    let home = views::title_home(&db, chen_person, Lang::Zh, now)
        .await
        .unwrap();
    let mine = home.applications.iter().find(|a| a.id == chen).unwrap();
    assert_eq!(
        mine.defense.as_ref().map(|s| s.place.as_str()),
        Some("第二会议室")
    );

    // Moved to this morning; from now on the reviewers score.
    defense::schedule(
        &db,
        &secretary,
        ours,
        chen,
        &local(today, "08:30"),
        "第一会议室",
        now,
    )
    .await
    .unwrap();
    assert!(
        scoring::sheet_view(&db, r0, chen, now)
            .await
            .unwrap()
            .defense
            .unwrap()
            .may_score
    );

    // A bad score is located and stores nothing; a good one goes in once.
    for raw in ["101", "-1", "八十", ""] {
        assert_eq!(
            fields(
                defense::score(&db, &as_user(r0), r0, chen, raw, "", now)
                    .await
                    .unwrap_err()
            ),
            ["score"],
            "{raw:?}"
        );
    }
    assert_eq!(
        fields(
            defense::score(&db, &as_user(r0), r0, chen, "80", &"长".repeat(2001), now)
                .await
                .unwrap_err()
        ),
        ["comment"]
    );
    assert!(store_defense::scores(&db, chen).await.unwrap().is_empty());
    defense::score(&db, &as_user(r0), r0, chen, " 82 ", " 答辩思路清晰。 ", now)
        .await
        .unwrap();
    assert_eq!(
        defense::score(&db, &as_user(r0), r0, chen, "90", "", now)
            .await
            .unwrap_err(),
        AppError::Refused(Key::ErrScoreSubmitted)
    );
    let d = scoring::sheet_view(&db, r0, chen, now)
        .await
        .unwrap()
        .defense
        .unwrap();
    let own = d.own.expect("own score");
    assert_eq!((own.score, own.comment.as_str()), (82, "答辩思路清晰。"));
    assert_eq!(d.others, Some(vec![]));
    // The second reviewer sees nothing of the first's score before giving their own.
    let d1 = scoring::sheet_view(&db, r1, chen, now)
        .await
        .unwrap()
        .defense
        .unwrap();
    assert!(d1.others.is_none() && d1.result.is_none() && d1.may_score);

    // Once a score is in the defense stays where it was.
    assert_eq!(
        defense::schedule(
            &db,
            &secretary,
            ours,
            chen,
            &local(tomorrow, "09:00"),
            "甲",
            now
        )
        .await
        .unwrap_err(),
        AppError::Refused(Key::ErrDefenseScored)
    );
    assert_eq!(
        store_defense::defense(&db, chen)
            .await
            .unwrap()
            .map(|d| d.place),
        Some("第一会议室".to_string())
    );

    // The conflicted reviewer (刘霞, reviewer04) never reaches it.
    let (r04, _) = user(&db, "reviewer04").await;
    let r04 = r04.user_id.unwrap();
    assert_eq!(
        defense::score(&db, &as_user(r04), r04, chen, "60", "", now)
            .await
            .unwrap_err(),
        AppError::NotFound
    );

    // One score of three: the review waits; the reviewers who still owe one are reminded.
    assert_eq!(
        scoring::complete(&db, &secretary, ours, chen, now)
            .await
            .unwrap_err(),
        AppError::Refused(Key::ErrTooFewDefenseScores)
    );
    scoring::remind(&db, &secretary, ours, chen, r2, now)
        .await
        .unwrap();
    assert_eq!(
        scoring::remind(&db, &secretary, ours, chen, r0, now)
            .await
            .unwrap_err(),
        AppError::Refused(Key::ErrScoreSubmitted),
        "r0's sheet and defense score are both in"
    );
    let task = views::tasks(&db, r2)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.application_id == chen)
        .unwrap();
    assert!(task.defense && task.defense_owed && task.reminded && task.scored);
    for (r, s) in [(r1, "58"), (r2, "70")] {
        defense::score(&db, &as_user(r), r, chen, s, "", now)
            .await
            .unwrap();
    }
    scoring::complete(&db, &secretary, ours, chen, now)
        .await
        .unwrap();
    assert_eq!(state(&db, chen).await, State::AwaitingVote);
    assert_eq!(
        defense::schedule(
            &db,
            &secretary,
            ours,
            chen,
            &local(today, "15:00"),
            "甲",
            now
        )
        .await
        .unwrap_err(),
        AppError::Conflict(STATE.into())
    );

    // The secretariat's view: (82 + 58 + 70) / 3 = 70.0, above the pass mark of 60.
    let committee = store::application(&db, chen)
        .await
        .unwrap()
        .unwrap()
        .committee_id;
    let grants = [ladder::domain::role::Grant::new(
        ladder::domain::role::Role::Secretary,
        ladder::domain::role::Scope::Committee(committee),
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
    let d = p.defense.clone().expect("defense progress");
    let result = d.result.expect("defense result");
    assert_eq!((result.scores, result.mean), (3, Points(70_000)));
    assert!(result.passes() && !d.movable);
    let mut given: Vec<u32> = p.reviewers.iter().filter_map(|r| r.defense_score).collect();
    given.sort_unstable();
    assert_eq!(given, [58, 70, 82]);

    // The candidate sees when and where, never a score or a remark.
    let home = views::title_home(&db, chen_person, Lang::Zh, now)
        .await
        .unwrap();
    let seen = serde_json::to_string(&home).unwrap();
    assert!(seen.contains("第一会议室"));
    assert!(!seen.contains("答辩思路清晰") && !seen.contains("70.0"));

    // The audit log says that scores came in, never what they are; each schedule is logged
    // with the one it replaced.
    let entries = |action: &str| {
        let db = db.clone();
        let action = action.to_string();
        async move {
            ladder::db::audit::list(
                &db,
                &ladder::db::audit::AuditFilter {
                    action,
                    limit: 50,
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .0
        }
    };
    let scored = entries("review.defense.scored").await;
    assert_eq!(scored.len(), 3);
    assert!(scored.iter().all(|e| e.after_summary.is_none()));
    assert_eq!(entries("review.defense.scheduled").await.len(), 2);

    // A score never changes, even by hand.
    let update = match db.pool() {
        ladder::db::Pool::Sqlite(p) => sqlx::query("UPDATE defense_scores SET score = 100")
            .execute(p)
            .await
            .map(|_| ()),
        ladder::db::Pool::Postgres(p) => sqlx::query("UPDATE defense_scores SET score = 100")
            .execute(p)
            .await
            .map(|_| ()),
    };
    assert!(update.is_err());
}

/// Two reviewers score at the same moment: both count. One reviewer twice at once: one score.
async fn two_defense_scores_at_the_same_moment(db: Db) {
    let (chen, _, _) = super::scoring::in_expert_review(&db).await;
    let now = clock::now();
    let today = ladder::server::clock::china_date(now);
    let (secretary, _) = user(&db, "secretary").await;
    defense::schedule(
        &db,
        &secretary,
        |_| true,
        chen,
        &local(today, "08:00"),
        "第一会议室",
        now,
    )
    .await
    .unwrap();
    let reviewers: Vec<i64> = panels::assigned(&db, chen)
        .await
        .unwrap()
        .into_iter()
        .map(|(u, _)| u)
        .collect();
    let (a, b, c) = (reviewers[0], reviewers[1], reviewers[2]);
    let (wa, wb, wc) = (as_user(a), as_user(b), as_user(c));
    let (x, y) = tokio::join!(
        defense::score(&db, &wa, a, chen, "75", "", now),
        defense::score(&db, &wb, b, chen, "65", "", now),
    );
    assert_eq!((x, y), (Ok(()), Ok(())));
    let (x, y) = tokio::join!(
        defense::score(&db, &wc, c, chen, "90", "", now),
        defense::score(&db, &wc, c, chen, "90", "", now),
    );
    let results = [x, y];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(results.contains(&Err(AppError::Refused(Key::ErrScoreSubmitted))));
    let mut stored: Vec<(i64, i32)> = store_defense::scores(&db, chen)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.reviewer_id, r.score))
        .collect();
    stored.sort_unstable();
    let mut want = vec![(a, 75), (b, 65), (c, 90)];
    want.sort_unstable();
    assert_eq!(stored, want);
}

/// A session opened without a defense (as sessions are by default) has none to schedule or
/// score, and its expert review ends on the sheets alone.
async fn a_session_without_a_defense(db: Db) {
    let (chen, _, _) = super::scoring::in_expert_review(&db).await;
    let now = clock::now();
    let today = ladder::server::clock::china_date(now);
    let (secretary, _) = user(&db, "secretary").await;
    let ours = |_: i64| true;
    let app = store::application(&db, chen).await.unwrap().unwrap();

    // The checkbox is stored in the session's own copy of the rules, off by default.
    let mut input = session_input(app.committee_id, "S-DEF", (today, today));
    let plain = create(&db, &secretary, &input, now).await.unwrap();
    input.code = "S-DEF2".into();
    input.defense = true;
    let with = create(&db, &secretary, &input, now).await.unwrap();
    let rules = |id: i64| {
        let db = db.clone();
        async move {
            let s = store::session(&db, id).await.unwrap().unwrap();
            ladder::server::review::rules_of(&s.rules).unwrap()
        }
    };
    assert!(!rules(plain).await.defense);
    assert!(rules(with).await.defense);

    // The demo session's copy, turned into one without a defense.
    let mut demo_rules = rules(app.session_id).await;
    demo_rules.defense = false;
    let json = serde_json::to_string(&demo_rules).unwrap();
    let sql = "UPDATE review_sessions SET rules = $1 WHERE id = $2";
    match db.pool() {
        ladder::db::Pool::Sqlite(p) => sqlx::query(sql)
            .bind(&json)
            .bind(app.session_id)
            .execute(p)
            .await
            .map(|_| ())
            .unwrap(),
        ladder::db::Pool::Postgres(p) => sqlx::query(sql)
            .bind(&json)
            .bind(app.session_id)
            .execute(p)
            .await
            .map(|_| ())
            .unwrap(),
    }
    assert_eq!(
        defense::schedule(
            &db,
            &secretary,
            ours,
            chen,
            &local(today, "08:00"),
            "甲",
            now
        )
        .await
        .unwrap_err(),
        AppError::Refused(Key::ErrNoDefense)
    );
    let reviewers = panels::assigned(&db, chen).await.unwrap();
    let (r0, _) = reviewers[0];
    assert_eq!(
        defense::score(&db, &as_user(r0), r0, chen, "80", "", now)
            .await
            .unwrap_err(),
        AppError::Refused(Key::ErrNoDefense)
    );
    assert_eq!(
        scoring::sheet_view(&db, r0, chen, now)
            .await
            .unwrap()
            .defense,
        None
    );
    let task = views::tasks(&db, r0)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.application_id == chen)
        .unwrap();
    assert!(!task.defense && !task.defense_owed && task.defense_at.is_none());
    for (r, _) in &reviewers {
        scoring::submit(&db, &as_user(*r), *r, chen, &full_sheet(), now)
            .await
            .unwrap();
    }
    scoring::complete(&db, &secretary, ours, chen, now)
        .await
        .unwrap();
    assert_eq!(state(&db, chen).await, State::AwaitingVote);
    assert!(store_defense::defense(&db, chen).await.unwrap().is_none());
}

on_both_engines!(
    a_defense_is_scheduled_scored_once_and_ends_the_review,
    two_defense_scores_at_the_same_moment,
    a_session_without_a_defense
);
