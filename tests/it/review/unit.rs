//! Sessions, the candidate's application and the unit's notice in working days.

use super::*;
use crate::common::actor;
use crate::on_both_engines;

/// A candidate applies inside the window only; the unit approves with a notice that cannot
/// start before the submission or in the future; an objection suspends the notice and a
/// dismissal resumes it; the notice ends after its working days, counted across National Day
/// and its make-up Saturday.
async fn the_unit_and_its_notice_in_working_days(db: Db) {
    demo_session(&db).await;
    let committee =
        ladder::db::committees::list_committees(&db, &ladder::domain::access::Visibility::All)
            .await
            .unwrap()[0]
            .id;
    let a = actor();
    let set_up = noon(d(2026, 8, 20));
    let closed = create(
        &db,
        &a,
        &session_input(committee, "S-CLOSED", (d(2026, 1, 5), d(2026, 1, 30))),
        set_up,
    )
    .await
    .unwrap();
    let open = create(
        &db,
        &a,
        &session_input(committee, "S-AUTUMN", (d(2026, 9, 1), d(2026, 9, 30))),
        set_up,
    )
    .await
    .unwrap();
    let (trainee, person) = user(&db, "trainee").await;

    let err = apps::apply(&db, &trainee, person, closed, "", noon(d(2026, 9, 28)))
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Refused(Key::ErrWindowClosed));
    assert!(
        store::applications_of_person(&db, person)
            .await
            .unwrap()
            .is_empty(),
        "a refused application leaves nothing behind"
    );

    let id = apps::apply(
        &db,
        &trainee,
        person,
        open,
        "多项重大成果转化业绩",
        noon(d(2026, 9, 28)),
    )
    .await
    .unwrap();
    let row = store::application(&db, id).await.unwrap().unwrap();
    assert_eq!((row.state.as_str(), row.dossier_version), ("submitted", 1));
    let frozen =
        dossier::open(&store::dossier(&db, id, 1).await.unwrap().unwrap().payload).unwrap();
    assert!(
        !frozen.ineligible.is_empty(),
        "the junior trainee holds no intermediate title"
    );
    assert_eq!(frozen.exception_request, "多项重大成果转化业绩");
    assert!(frozen.candidate.id_masked.contains("********"));
    // Submitting again while the unit has it is not possible.
    let err = apps::apply(&db, &trainee, person, open, "", noon(d(2026, 9, 28)))
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Conflict(STATE.into()));

    let (unit, _) = user(&db, "unitreviewer").await;
    let ours = |_: i64| true;
    let at = noon(d(2026, 9, 30));
    let approve = |from: &'static str| {
        apps::unit_decide(&db, &unit, ours, id, UnitDecision::Approve, "", from, at)
    };
    assert_eq!(
        approve("2026-10-01").await.unwrap_err(),
        AppError::invalid("notice_from", Key::ErrFutureDate)
    );
    assert_eq!(
        approve("2026-09-27").await.unwrap_err(),
        AppError::invalid("notice_from", Key::ErrNoticeBeforeSubmission)
    );
    assert!(matches!(
        apps::unit_decide(
            &db,
            &unit,
            |_| false,
            id,
            UnitDecision::Approve,
            "",
            "2026-09-30",
            at
        )
        .await,
        Err(AppError::NotFound)
    ));
    approve("2026-09-30").await.unwrap();
    assert_eq!(state(&db, id).await, State::UnitPublicNotice);

    // 5 working days from Wednesday 30 September: 30 Sep, 8, 9, Saturday 10 (make-up), 12 Oct.
    // An objection on 9 October (after 2 working days) suspends it; dismissed on the 10th, it
    // resumes with 3 to go: 10, 12, 13 October; it ends when the 14th begins.
    apps::unit_decide(
        &db,
        &unit,
        ours,
        id,
        UnitDecision::Objection,
        "有人反映业绩材料不实",
        "",
        noon(d(2026, 10, 9)),
    )
    .await
    .unwrap();
    assert_eq!(state(&db, id).await, State::UnitObjectionReview);
    assert_eq!(
        review_clock::tick(&db, d(2026, 10, 20), noon(d(2026, 10, 20)))
            .await
            .unwrap(),
        0,
        "a suspended notice does not run"
    );
    apps::unit_decide(
        &db,
        &unit,
        ours,
        id,
        UnitDecision::Dismiss,
        "经核实材料属实",
        "",
        noon(d(2026, 10, 10)),
    )
    .await
    .unwrap();
    let row = store::application(&db, id).await.unwrap().unwrap();
    assert_eq!(
        (row.notice_from, row.notice_days_before),
        (Some(d(2026, 10, 10)), 2)
    );
    for (day, moved) in [
        (d(2026, 10, 13), 0),
        (d(2026, 10, 14), 1),
        (d(2026, 10, 15), 0),
    ] {
        assert_eq!(
            review_clock::tick(&db, day, noon(day)).await.unwrap(),
            moved,
            "tick on {day}"
        );
    }
    assert_eq!(state(&db, id).await, State::Recommended);

    // The candidate may withdraw before the vote; then nothing else moves it.
    apps::withdraw(&db, &trainee, person, id, noon(d(2026, 10, 15)))
        .await
        .unwrap();
    assert_eq!(state(&db, id).await, State::Withdrawn);
    let err = apps::withdraw(&db, &trainee, person, id, noon(d(2026, 10, 15)))
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Conflict(STATE.into()));
}

/// Session dates must follow each other and the rules stay in range; nothing is stored.
async fn a_session_needs_ordered_dates_and_sane_rules(db: Db) {
    let committee = ladder::server::org::add_committee(
        &db,
        &actor(),
        "K-1",
        "评委会",
        "经济系列",
        "科技成果转移转化",
        clock::now(),
    )
    .await
    .unwrap();
    let mut input = session_input(committee, "S-1", (d(2026, 9, 1), d(2026, 9, 30)));
    input.meeting_on = "2026-09-15".into();
    input.min_reviewers = "0".into();
    input.unit_notice_days = "五".into();
    let err = create(&db, &actor(), &input, clock::now())
        .await
        .unwrap_err();
    let fields = crate::common::fields(err);
    assert!(
        fields.contains(&("unit_notice_days".into(), Key::ErrNumber)),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("meeting_on".into(), Key::ErrDateOrder)),
        "{fields:?}"
    );
    input.meeting_on = "2026-10-30".into();
    input.unit_notice_days = "5".into();
    let err = create(&db, &actor(), &input, clock::now())
        .await
        .unwrap_err();
    assert_eq!(
        crate::common::fields(err),
        vec![("min_reviewers".into(), Key::ErrOutOfRange)]
    );
    assert!(store::sessions(&db).await.unwrap().is_empty());
    input.min_reviewers = "3".into();
    // The session scores on the case rubric of the ruleset in force: none, no session.
    assert_eq!(
        create(&db, &actor(), &input, clock::now())
            .await
            .unwrap_err(),
        AppError::Refused(Key::NoRulesetInForce)
    );
    use ladder::server::rulesets;
    rulesets::import(&db, &actor(), rulesets::SHIPPED_DEFAULT, clock::now())
        .await
        .unwrap();
    rulesets::activate(&db, &actor(), "shanghai-default", 2, clock::now())
        .await
        .unwrap();
    let id = create(&db, &actor(), &input, clock::now()).await.unwrap();
    assert_eq!(store::sessions(&db).await.unwrap().len(), 1);
    let rubric: std::collections::BTreeMap<String, u32> =
        serde_json::from_str(&store::session(&db, id).await.unwrap().unwrap().rubric).unwrap();
    assert_eq!(rubric.get("personal_contribution"), Some(&25));
    assert_eq!(rubric.values().sum::<u32>(), 100);
}

/// A notice from Tuesday 29 December 2026 with only 2026's calendar stored: counted as plain
/// Monday to Friday it would end on 4 January with New Year's Day as a working day. Its clock
/// stops instead — the tick leaves it, the session page and `missing_years` name 2027 — and
/// once 2027 is imported it ends on 5 January and moves on the 6th.
async fn a_notice_into_a_year_without_its_calendar_stops(db: Db) {
    use ladder::domain::review::calendar::WorkCalendar;
    use ladder::domain::role::{Grant, Role, Scope};
    demo_session(&db).await;
    let committee =
        ladder::db::committees::list_committees(&db, &ladder::domain::access::Visibility::All)
            .await
            .unwrap()[0]
            .id;
    let a = actor();
    let session = create(
        &db,
        &a,
        &session_input(committee, "S-WINTER", (d(2026, 12, 1), d(2026, 12, 31))),
        noon(d(2026, 11, 20)),
    )
    .await
    .unwrap();
    let (trainee, person) = user(&db, "trainee").await;
    let id = apps::apply(&db, &trainee, person, session, "", noon(d(2026, 12, 28)))
        .await
        .unwrap();
    let (unit, _) = user(&db, "unitreviewer").await;
    apps::unit_decide(
        &db,
        &unit,
        |_| true,
        id,
        UnitDecision::Approve,
        "",
        "2026-12-29",
        noon(d(2026, 12, 29)),
    )
    .await
    .unwrap();
    for day in [d(2027, 1, 5), d(2027, 1, 6), d(2027, 2, 1)] {
        assert_eq!(
            review_clock::tick(&db, day, noon(day)).await.unwrap(),
            0,
            "tick on {day}"
        );
    }
    assert_eq!(state(&db, id).await, State::UnitPublicNotice);
    let missing = review_clock::missing_years(&db, d(2026, 12, 30))
        .await
        .unwrap();
    assert_eq!(missing.into_iter().collect::<Vec<_>>(), [(2027, 1)]);
    let secretary = [Grant::new(Role::Secretary, Scope::Committee(committee)).unwrap()];
    let detail = ladder::server::review::views::session_detail(
        &db,
        &secretary,
        session,
        ladder::i18n::Lang::Zh,
        noon(d(2026, 12, 30)),
    )
    .await
    .unwrap();
    assert_eq!(detail.calendar_missing, [2027]);
    let app = detail.applications.iter().find(|x| x.id == id).unwrap();
    assert_eq!((app.notice_ends, app.calendar_missing), (None, Some(2027)));

    // 2027 imported (New Year's Day a holiday): the notice runs 29, 30, 31 December, 4 and
    // 5 January.
    let new_year = WorkCalendar {
        holidays: [d(2027, 1, 1)].into_iter().collect(),
        workdays: Default::default(),
    };
    ladder::server::review::store_calendar(&db, &a, &new_year, noon(d(2026, 12, 30)))
        .await
        .unwrap();
    assert!(
        review_clock::missing_years(&db, d(2026, 12, 30))
            .await
            .unwrap()
            .is_empty()
    );
    for (day, moved) in [(d(2027, 1, 5), 0), (d(2027, 1, 6), 1)] {
        assert_eq!(
            review_clock::tick(&db, day, noon(day)).await.unwrap(),
            moved,
            "tick on {day}"
        );
    }
    assert_eq!(state(&db, id).await, State::Recommended);
}

on_both_engines!(
    the_unit_and_its_notice_in_working_days,
    a_session_needs_ordered_dates_and_sane_rules,
    a_notice_into_a_year_without_its_calendar_stops,
);
