//! A session's own schedule on both engines: no score before the scoring period, no meeting
//! before its date; moving a date is the secretariat's explicit change — every date checked,
//! a reason required, nothing written when refused — kept, audited and shown to the chair.

use super::*;
use crate::on_both_engines;
use ladder::db::panels;
use ladder::domain::role::{Grant, Role, Scope};
use ladder::i18n::Lang;
use ladder::server::review::meeting;
use ladder::server::review::scoring;
use ladder::server::review::sessions::{ScheduleInput, reschedule as move_dates};

use super::schedule_input as input;

/// The session's dates as stored.
async fn stored(db: &Db, session: i64) -> ladder::domain::review::schedule::Schedule {
    store::session(db, session)
        .await
        .unwrap()
        .unwrap()
        .schedule()
}

async fn scoring_and_the_meeting_keep_to_the_schedule(db: Db) {
    // The demo session on its own dates: the window is open, scoring starts in 16 days.
    let (chen, _, _) = super::scoring::in_expert_review_as_scheduled(&db).await;
    let session = store::application(&db, chen)
        .await
        .unwrap()
        .unwrap()
        .session_id;
    let now = clock::now();
    let today = clock::china_date(now);
    let (reviewer, _) = panels::assigned(&db, chen).await.unwrap()[0];
    assert_eq!(
        scoring::submit(
            &db,
            &as_user(reviewer),
            reviewer,
            chen,
            &super::ballot::sheet(),
            now
        )
        .await
        .unwrap_err(),
        AppError::Refused(Key::ErrScoringNotYet)
    );
    let before = stored(&db, session).await;
    let (secretary, _) = user(&db, "secretary").await;
    let audit_rows = async |db: &Db| {
        ladder::db::audit::list(
            db,
            &ladder::db::audit::AuditFilter {
                action: "review_session.reschedule".into(),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .0
    };

    // Refused, and nothing written: no reason; scoring while the window is open and a meeting
    // before scoring ends; an unreadable date; nothing moved; another committee's session.
    let mut early = before;
    early.scoring_from = today;
    early.meeting_on = today;
    for (bad, want) in [
        (
            input(&early, "  "),
            vec!["reason", "scoring_from", "meeting_on"],
        ),
        (
            ScheduleInput {
                meeting_on: "明天".into(),
                ..input(&before, "改期")
            },
            vec!["meeting_on"],
        ),
    ] {
        let got: Vec<String> = crate::common::fields(
            move_dates(&db, &secretary, |_| true, session, &bad, now)
                .await
                .unwrap_err(),
        )
        .into_iter()
        .map(|(f, _)| f)
        .collect();
        let mut want: Vec<String> = want.into_iter().map(String::from).collect();
        want.sort();
        let mut got = got;
        got.sort();
        assert_eq!(got, want);
    }
    assert_eq!(
        move_dates(
            &db,
            &secretary,
            |_| true,
            session,
            &input(&before, "改期"),
            now
        )
        .await,
        Err(AppError::Refused(Key::ErrScheduleUnchanged))
    );
    let mut moved = before;
    moved.applies_to = today - chrono::Duration::days(1);
    moved.scoring_from = today;
    assert_eq!(
        move_dates(
            &db,
            &secretary,
            |_| false,
            session,
            &input(&moved, "改期"),
            now
        )
        .await,
        Err(AppError::NotFound)
    );
    assert_eq!(stored(&db, session).await, before);
    assert!(
        store::schedule_changes(&db, session)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(audit_rows(&db).await.is_empty());

    // The secretariat closes the window and starts scoring today, with a reason.
    move_dates(
        &db,
        &secretary,
        |_| true,
        session,
        &input(&moved, " 申报已全部受理，评审提前开始 "),
        now,
    )
    .await
    .unwrap();
    assert_eq!(stored(&db, session).await, moved);
    let audit = audit_rows(&db).await;
    assert_eq!(audit.len(), 1);
    let said = audit[0].after_summary.clone().unwrap_or_default();
    assert!(
        said.contains(&format!("scoring_from {} -> {today}", before.scoring_from))
            && said.contains("申报已全部受理"),
        "{said}"
    );
    scoring::submit(
        &db,
        &as_user(reviewer),
        reviewer,
        chen,
        &super::ballot::sheet(),
        now,
    )
    .await
    .unwrap();

    // The chair reads the change on the session's page: who, each date moved, and why.
    let committee = store::application(&db, chen)
        .await
        .unwrap()
        .unwrap()
        .committee_id;
    let chair = [Grant::new(Role::Chair, Scope::Committee(committee)).unwrap()];
    let detail = ladder::server::review::views::session_detail(&db, &chair, session, Lang::Zh, now)
        .await
        .unwrap();
    assert!(!detail.can_run);
    assert_eq!(detail.schedule_changes.len(), 1);
    let change = &detail.schedule_changes[0];
    assert_eq!(change.reason, "申报已全部受理，评审提前开始");
    assert!(!change.by.is_empty());
    assert_eq!(
        change.moved,
        [
            (
                "applies_to".to_string(),
                before.applies_to,
                moved.applies_to
            ),
            ("scoring_from".to_string(), before.scoring_from, today),
        ]
    );
    use ladder::domain::review::schedule::Period;
    assert_eq!(detail.phases.applications, Period::Over);
    assert_eq!(detail.phases.scoring, Period::Open);
    assert!(!detail.phases.meeting_due);
}

async fn the_meeting_waits_for_its_date(db: Db) {
    // Every review done, the meeting still on the session's date (weeks away).
    let (session, _, _) = super::ballot::awaiting_vote_as_scheduled(&db).await;
    let now = clock::now();
    let (secretary, _) = user(&db, "secretary").await;
    assert_eq!(
        meeting::open(
            &db,
            &crate::common::keys(),
            &secretary,
            |_| true,
            session,
            &[],
            now
        )
        .await
        .unwrap_err(),
        AppError::Refused(Key::ErrMeetingNotYet)
    );
    super::meeting_today(&db, session).await;
    let present = super::ballot::sitting(&db, session).await;
    meeting::open(
        &db,
        &crate::common::keys(),
        &secretary,
        |_| true,
        session,
        &present,
        now,
    )
    .await
    .unwrap();
    // In expert review (scoring from today) and now the meeting: two changes.
    assert_eq!(
        store::schedule_changes(&db, session).await.unwrap().len(),
        2
    );
}

on_both_engines!(
    scoring_and_the_meeting_keep_to_the_schedule,
    the_meeting_waits_for_its_date,
);
