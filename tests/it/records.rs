//! Trainee records on both engines: every problem of a record at once and nothing written;
//! create → verify → the score changes; reject with a reason; corrections keep the old
//! version; claims on one contract meet and their shares are capped; attendance for a cohort
//! in one step; another base's records are neither decidable nor revealed; versions are
//! immutable even against hand-written SQL.

use crate::common::{actor, fields, global_user, person_of};
use crate::on_both_engines;
use ladder::api::{AppError, STATE};
use ladder::db::Db;
use ladder::db::audit::Actor;
use ladder::db::bases::{self, NewCohort};
use ladder::domain::records::Status;
use ladder::domain::role::Role;
use ladder::i18n::Key;
use ladder::server::records::{self, DealInput, Input, TrainingInput};
use ladder::server::verify::{self, Decision};
use ladder::server::{clock, org, rulesets, scores};

struct World {
    base: i64,
    other_base: i64,
    me: i64,
    peer: i64,
    admin: Actor,
}

async fn world(db: &Db) -> World {
    let (a, now) = (actor(), clock::now());
    rulesets::import(db, &a, rulesets::SHIPPED_DEFAULT, now)
        .await
        .expect("ruleset");
    rulesets::activate(db, &a, "shanghai-default", 2, now)
        .await
        .expect("active");
    let base = org::add_base(db, &a, "B-1", "一号基地", "", now)
        .await
        .unwrap();
    let other_base = org::add_base(db, &a, "B-2", "二号基地", "", now)
        .await
        .unwrap();
    let me = person_of(db, global_user(db, "trainee.me", Role::Trainee).await).await;
    let peer = person_of(db, global_user(db, "trainee.peer", Role::Trainee).await).await;
    let mut tx = db.begin_write().await.unwrap();
    let cohort = bases::insert_cohort(
        &mut tx,
        &NewCohort {
            base_id: base,
            code: "K-1",
            name: "初级一期",
            level: "junior",
            starts_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            ends_on: chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        },
        now,
    )
    .await
    .unwrap();
    bases::add_member(&mut tx, cohort, me).await.unwrap();
    bases::add_member(&mut tx, cohort, peer).await.unwrap();
    tx.commit().await.unwrap();
    World {
        base,
        other_base,
        me,
        peer,
        admin: Actor {
            user_id: None,
            label: "base.admin".into(),
        },
    }
}

fn training(hours: &str) -> Input {
    Input::Training(TrainingInput {
        course_code: String::new(),
        cohort_code: "K-1".into(),
        module: "policy_law".into(),
        mode: "onsite".into(),
        hours: hours.into(),
        date: "2026-04-02".into(),
        provider: "一号基地".into(),
        title: "促进科技成果转化法解读".into(),
    })
}

fn deal(share: &str) -> Input {
    Input::Deal(DealInput {
        contract_name: "固态电解质制备技术许可".into(),
        contract_type: "license".into(),
        registration_no: "2026 3101 0400 0123".into(),
        registration_date: "2026-03-10".into(),
        registration_authority: "上海市技术市场管理办公室".into(),
        sign_date: "2026-02-20".into(),
        contract_amount: "300".into(),
        tech_transaction_amount: "280万元".into(),
        amount_received: "150".into(),
        seller: "某研究所".into(),
        buyer: "某新材料公司".into(),
        role: "lead".into(),
        share: share.into(),
        dispute: false,
    })
}

async fn total(db: &Db, person: i64) -> i64 {
    ladder::db::scores::of_person(db, person)
        .await
        .unwrap()
        .expect("a snapshot")
        .total
}

async fn records_are_validated_verified_and_scored(db: Db) {
    let w = world(&db).await;
    let (a, now) = (actor(), clock::now());
    let may = |b: i64| b == w.base;

    let Input::Deal(good) = deal("60") else {
        unreachable!()
    };
    let bad = Input::Deal(DealInput {
        contract_type: "barter".into(),
        registration_date: "2026-02-01".into(),
        contract_amount: "abc".into(),
        tech_transaction_amount: "400".into(),
        amount_received: "500".into(),
        seller: " ".into(),
        share: "0".into(),
        ..good.clone()
    });
    let err = records::add(&db, &a, w.me, &bad, now).await.unwrap_err();
    assert_eq!(
        fields(err),
        vec![
            ("contract_type".into(), Key::ErrChoose),
            ("registration_date".into(), Key::ErrRegisteredBeforeSigned),
            ("contract_amount".into(), Key::ErrAmount),
            ("seller".into(), Key::ErrRequired),
            ("share".into(), Key::ErrShare),
        ]
    );
    let over = Input::Deal(DealInput {
        tech_transaction_amount: "400".into(),
        ..good.clone()
    });
    assert_eq!(
        fields(records::add(&db, &a, w.me, &over, now).await.unwrap_err()),
        vec![("tech_transaction_amount".into(), Key::ErrTechOverContract)]
    );
    assert!(
        ladder::db::records::of_person(&db, w.me)
            .await
            .unwrap()
            .is_empty()
    );

    // A training record counts only once verified.
    let before = scores::refresh(&db, w.me, now)
        .await
        .unwrap()
        .unwrap()
        .total
        .0;
    let t = records::add(&db, &a, w.me, &training("8学时"), now)
        .await
        .unwrap();
    assert_eq!(total(&db, w.me).await, before, "unverified earns nothing");
    let queue = ladder::db::records::queue(&db, &[w.base]).await.unwrap();
    assert_eq!(queue.iter().map(|r| r.id).collect::<Vec<_>>(), vec![t]);
    // Another base's admin can neither see nor decide it.
    assert!(
        ladder::db::records::queue(&db, &[w.other_base])
            .await
            .unwrap()
            .is_empty()
    );
    let theirs = |b: i64| b == w.other_base;
    assert_eq!(
        verify::decide(&db, &w.admin, t, &Decision::Verify, theirs, now).await,
        Err(AppError::NotFound)
    );
    verify::decide(&db, &w.admin, t, &Decision::Verify, may, now)
        .await
        .unwrap();
    assert!(
        total(&db, w.me).await > before,
        "verified hours earn points"
    );
    // Verified is read-only: a second verification, an edit or a withdrawal is refused.
    assert_eq!(
        verify::decide(&db, &w.admin, t, &Decision::Verify, may, now).await,
        Err(AppError::Conflict(STATE.into()))
    );
    assert_eq!(
        records::withdraw(&db, &a, w.me, t, now).await,
        Err(AppError::Conflict(STATE.into()))
    );

    // A correction needs a reason, keeps the verified version in force until accepted.
    let err = records::edit(&db, &a, w.me, t, &training("16"), " ", now)
        .await
        .unwrap_err();
    assert_eq!(fields(err), vec![("reason".into(), Key::ErrRequired)]);
    records::edit(&db, &a, w.me, t, &training("16"), "证书写的是 16 学时", now)
        .await
        .unwrap();
    let row = ladder::db::records::by_id(&db, t).await.unwrap().unwrap();
    assert_eq!(
        (row.version, row.pending_version, row.status.as_str()),
        (1, Some(2), "base_verified")
    );
    let verified_total = total(&db, w.me).await;
    verify::decide(
        &db,
        &w.admin,
        t,
        &Decision::RefuseCorrection {
            reason: "与签到表不符".into(),
        },
        may,
        now,
    )
    .await
    .unwrap();
    let row = ladder::db::records::by_id(&db, t).await.unwrap().unwrap();
    assert_eq!((row.version, row.pending_version), (1, None));
    assert_eq!(row.reason.as_deref(), Some("与签到表不符"));
    assert_eq!(total(&db, w.me).await, verified_total);
    records::edit(&db, &a, w.me, t, &training("16"), "补交了签到表", now)
        .await
        .unwrap();
    verify::decide(&db, &w.admin, t, &Decision::AcceptCorrection, may, now)
        .await
        .unwrap();
    let row = ladder::db::records::by_id(&db, t).await.unwrap().unwrap();
    assert_eq!(
        (row.version, row.pending_version),
        (3, None),
        "v2 was refused, v3 accepted"
    );
    assert!(total(&db, w.me).await > verified_total);

    // Reject with a reason; the trainee edits, it returns to the queue; withdraw keeps it.
    let c = records::add(&db, &a, w.me, &training("4"), now)
        .await
        .unwrap();
    assert!(matches!(
        verify::decide(
            &db,
            &w.admin,
            c,
            &Decision::Reject { reason: "".into() },
            may,
            now
        )
        .await,
        Err(AppError::Validation(_))
    ));
    verify::decide(
        &db,
        &w.admin,
        c,
        &Decision::Reject {
            reason: "缺少证明".into(),
        },
        may,
        now,
    )
    .await
    .unwrap();
    records::edit(&db, &a, w.me, c, &training("4.5"), "", now)
        .await
        .unwrap();
    let row = ladder::db::records::by_id(&db, c).await.unwrap().unwrap();
    assert_eq!((row.status.as_str(), row.version), ("unverified", 2));
    records::withdraw(&db, &a, w.me, c, now).await.unwrap();
    let row = ladder::db::records::by_id(&db, c).await.unwrap().unwrap();
    assert_eq!(Status::parse(&row.status), Some(Status::Withdrawn));
    // Someone else's record is "not found" to the trainee.
    assert_eq!(
        records::withdraw(&db, &a, w.peer, t, now).await,
        Err(AppError::NotFound)
    );

    // Versions are immutable, whatever SQL says.
    let tamper = ladder::on_db!(&db, c => sqlx::query("UPDATE record_versions SET payload = '{}' WHERE record_id = $1")
        .bind(t).execute(c).await.map(|_| ()));
    assert!(tamper.is_err(), "a stored version was rewritten");
    let delete = ladder::on_db!(&db, c => sqlx::query("DELETE FROM record_versions WHERE record_id = $1")
        .bind(t).execute(c).await.map(|_| ()));
    assert!(delete.is_err(), "a stored version was deleted");

    // Every step was audited.
    let actions: Vec<String> = ladder::on_db!(&db, c => sqlx::query_scalar::<_, String>(
        "SELECT action FROM audit_log WHERE entity_type = 'record' ORDER BY id"
    ).fetch_all(c).await)
    .unwrap();
    assert_eq!(
        actions,
        [
            "record.create",
            "record.verify",
            "record.request_correction",
            "record.refuse_correction",
            "record.request_correction",
            "record.accept_correction",
            "record.create",
            "record.reject",
            "record.edit",
            "record.withdraw",
        ]
    );
}

async fn claims_on_one_contract_meet_and_shares_are_capped(db: Db) {
    let w = world(&db).await;
    let (a, now) = (actor(), clock::now());
    let may = |b: i64| b == w.base;
    let mine = records::add(&db, &a, w.me, &deal("60"), now).await.unwrap();
    let theirs = records::add(&db, &a, w.peer, &deal("60%"), now)
        .await
        .unwrap();
    // Claiming one contract twice is a conflict on the registration number.
    assert_eq!(
        records::add(&db, &a, w.me, &deal("10"), now).await,
        Err(AppError::Conflict("registration_no".into()))
    );
    // An unregistered contract takes its number once registered; a number never changes.
    let Input::Deal(template) = deal("100") else {
        unreachable!()
    };
    let unregistered = DealInput {
        registration_no: String::new(),
        registration_date: String::new(),
        tech_transaction_amount: String::new(),
        ..template.clone()
    };
    let pending = records::add(&db, &a, w.me, &Input::Deal(unregistered), now)
        .await
        .unwrap();
    let registered = DealInput {
        registration_no: "2026310104000999".into(),
        ..template.clone()
    };
    records::edit(
        &db,
        &a,
        w.me,
        pending,
        &Input::Deal(registered.clone()),
        "",
        now,
    )
    .await
    .unwrap();
    let row = ladder::db::records::by_id(&db, pending)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        ladder::db::records::deal_registration(&db, row.deal_id.unwrap())
            .await
            .unwrap()
            .as_deref(),
        Some("2026310104000999")
    );
    let moved = DealInput {
        registration_no: "2026310104000123".into(),
        ..registered
    };
    assert_eq!(
        fields(
            records::edit(&db, &a, w.me, pending, &Input::Deal(moved), "", now)
                .await
                .unwrap_err()
        ),
        vec![("registration_no".into(), Key::ErrRegistrationNoFixed)]
    );
    records::withdraw(&db, &a, w.me, pending, now)
        .await
        .unwrap();

    let row = ladder::db::records::by_id(&db, mine)
        .await
        .unwrap()
        .unwrap();
    let claims = ladder::db::records::claims_on(&db, row.deal_id.unwrap())
        .await
        .unwrap();
    assert_eq!(
        claims.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![mine, theirs]
    );

    // An id that is not the base's refuses the whole batch, before anything is verified.
    assert_eq!(
        verify::verify_many(&db, &w.admin, &[mine, theirs, 999_999], may, now).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        ladder::db::records::by_id(&db, mine)
            .await
            .unwrap()
            .unwrap()
            .status,
        "unverified"
    );
    verify::verify_many(&db, &w.admin, &[mine, theirs], may, now)
        .await
        .map(|(done, skipped)| assert_eq!((done, skipped), (2, vec![])))
        .unwrap();
    let ev = scores::evidence_of(&db, w.me).await.unwrap();
    assert_eq!(ev.deals.len(), 1);
    // 60% + 60% claimed: each is scaled to 50%.
    assert_eq!(ev.deals[0].claimed_shares_total, 1200);
    assert_eq!(ev.deals[0].effective_share(), 500);
    assert_eq!(
        ev.deals[0].registration_no.as_deref(),
        Some("2026310104000123")
    );

    // Activating another version recomputes every snapshot under it.
    let v2 = ladder::db::scores::of_person(&db, w.peer)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(v2.version, 2);
    let v3 = include_str!("../../examples/rulesets/shanghai-v3-draft.toml");
    rulesets::import(&db, &a, v3, now).await.unwrap();
    // Previewed first: both trainees are compared, nothing changes yet.
    let preview =
        ladder::server::impact::preview(&db, "shanghai-default", 3, ladder::i18n::Lang::En, now)
            .await
            .unwrap();
    assert_eq!(preview.people, 2);
    assert_eq!(preview.up + preview.down + preview.same, 2);
    assert!(
        preview
            .text
            .contains("shanghai-default v2 → shanghai-default v3"),
        "{}",
        preview.text
    );
    let still = ladder::db::scores::of_person(&db, w.me)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.version, 2);
    rulesets::activate(&db, &a, "shanghai-default", 3, now)
        .await
        .unwrap();
    for person in [w.me, w.peer] {
        let s = ladder::db::scores::of_person(&db, person)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((s.code.as_str(), s.version), ("shanghai-default", 3));
    }
}

async fn attendance_makes_verified_records_for_the_cohort(db: Db) {
    let w = world(&db).await;
    let (a, now) = (actor(), clock::now());
    let may = |b: i64| b == w.base;
    let course = ladder::server::catalog::add_course(
        &db,
        &a,
        &ladder::server::catalog::CourseInput {
            base_code: "B-1".into(),
            code: "JR-PR-01".into(),
            title: "技术合同谈判实训".into(),
            module: "practice_skills".into(),
            level: "junior".into(),
            hours: "8".into(),
            kind: "practicum".into(),
            instructor: "孙立平".into(),
        },
        may,
        now,
    )
    .await
    .unwrap();
    assert!(course > 0);
    let session = ladder::server::catalog::schedule_session(
        &db,
        &a,
        &ladder::server::catalog::SessionInput {
            cohort_code: "K-1".into(),
            course_code: "JR-PR-01".into(),
            held_on: "2026-04-10".into(),
            location: "".into(),
        },
        may,
        now,
    )
    .await
    .unwrap();
    let stranger = person_of(&db, global_user(&db, "not.enrolled", Role::Trainee).await).await;
    assert!(matches!(
        verify::record_attendance(&db, &w.admin, session, &[w.me, stranger], may, now).await,
        Err(AppError::Validation(_))
    ));
    assert_eq!(
        verify::record_attendance(&db, &w.admin, session, &[w.me], |b| b == w.other_base, now)
            .await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        verify::record_attendance(&db, &w.admin, session, &[w.me, w.peer], may, now).await,
        Ok(2)
    );
    // Recording again adds nobody twice.
    assert_eq!(
        verify::record_attendance(&db, &w.admin, session, &[w.me, w.peer], may, now).await,
        Ok(0)
    );
    // A course counts once: the trainee cannot log it again, nor does a second session of it.
    let again = Input::Training(TrainingInput {
        course_code: "JR-PR-01".into(),
        cohort_code: "K-1".into(),
        date: "2026-04-11".into(),
        ..TrainingInput::default()
    });
    assert_eq!(
        fields(records::add(&db, &a, w.me, &again, now).await.unwrap_err()),
        vec![("course_code".into(), Key::ErrCourseTaken)]
    );
    let repeat = ladder::server::catalog::schedule_session(
        &db,
        &a,
        &ladder::server::catalog::SessionInput {
            cohort_code: "K-1".into(),
            course_code: "JR-PR-01".into(),
            held_on: "2026-05-10".into(),
            location: "".into(),
        },
        may,
        now,
    )
    .await
    .unwrap();
    assert_eq!(
        verify::record_attendance(&db, &w.admin, repeat, &[w.me, w.peer], may, now).await,
        Ok(0)
    );
    // A session with attendance cannot be taken off the timetable.
    assert_eq!(
        ladder::server::catalog::unschedule_session(&db, &a, session, may, now).await,
        Err(AppError::Conflict(STATE.into()))
    );
    // Attendance is never recorded ahead of the session.
    let mut tx = db.begin_write().await.unwrap();
    let next_year = bases::insert_cohort(
        &mut tx,
        &NewCohort {
            base_id: w.base,
            code: "K-NEXT",
            name: "明年一期",
            level: "junior",
            starts_on: chrono::NaiveDate::from_ymd_opt(2099, 3, 1).unwrap(),
            ends_on: chrono::NaiveDate::from_ymd_opt(2099, 6, 30).unwrap(),
        },
        now,
    )
    .await
    .unwrap();
    bases::add_member(&mut tx, next_year, w.me).await.unwrap();
    tx.commit().await.unwrap();
    let future = ladder::server::catalog::schedule_session(
        &db,
        &a,
        &ladder::server::catalog::SessionInput {
            cohort_code: "K-NEXT".into(),
            course_code: "JR-PR-01".into(),
            held_on: "2099-04-01".into(),
            location: "".into(),
        },
        may,
        now,
    )
    .await
    .unwrap();
    assert_eq!(
        fields(
            verify::record_attendance(&db, &w.admin, future, &[w.me], may, now)
                .await
                .unwrap_err()
        ),
        vec![("session_id".into(), Key::ErrFutureDate)]
    );
    let ev = scores::evidence_of(&db, w.peer).await.unwrap();
    assert_eq!(ev.training.len(), 1);
    assert_eq!(
        ev.training[0].hours,
        ladder::domain::quantity::Hours::whole(8)
    );
    assert_eq!(
        ev.training[0].mode,
        ladder::domain::evidence::Mode::Practicum
    );
    assert!(ev.training[0].verification.counts());
    assert_eq!(ev.training[0].cohort.as_deref(), Some("K-1"));
}

async fn outcomes_and_contributions_reach_their_dimensions(db: Db) {
    use ladder::domain::rules::Dimension;
    use ladder::server::records::{ContributionInput, OutcomeInput};
    let w = world(&db).await;
    let (a, now) = (actor(), clock::now());
    let may = |b: i64| b == w.base;
    let bad = Input::Contribution(ContributionInput {
        item: "teaching".into(),
        hours: "".into(),
        date: "2026-05-01".into(),
        title: " ".into(),
    });
    assert_eq!(
        fields(records::add(&db, &a, w.me, &bad, now).await.unwrap_err()),
        vec![
            ("title".into(), Key::ErrRequired),
            ("hours".into(), Key::ErrHours)
        ]
    );
    let bad = Input::Outcome(OutcomeInput {
        event: "lottery".into(),
        date: "2026-05-01".into(),
        description: "x".into(),
        amount: "-3".into(),
    });
    assert_eq!(
        fields(records::add(&db, &a, w.me, &bad, now).await.unwrap_err()),
        vec![
            ("event".into(), Key::ErrChoose),
            ("amount".into(), Key::ErrAmount)
        ]
    );
    let outcome = records::add(
        &db,
        &a,
        w.me,
        &Input::Outcome(OutcomeInput {
            event: "company_formed".into(),
            date: "2026-05-01".into(),
            description: "上海某新材料科技有限公司".into(),
            amount: String::new(),
        }),
        now,
    )
    .await
    .unwrap();
    let teaching = records::add(
        &db,
        &a,
        w.me,
        &Input::Contribution(ContributionInput {
            item: "teaching".into(),
            hours: "12".into(),
            date: "2026-06-01".into(),
            title: "技术合同实务授课".into(),
        }),
        now,
    )
    .await
    .unwrap();
    let before = scores::refresh(&db, w.me, now).await.unwrap().unwrap();
    assert_eq!(before.dimension(Dimension::Outcomes).0, 0);
    assert_eq!(before.dimension(Dimension::Contribution).0, 0);
    verify::verify_many(&db, &w.admin, &[outcome, teaching], may, now)
        .await
        .unwrap();
    let after = ladder::db::scores::of_person(&db, w.me)
        .await
        .unwrap()
        .unwrap();
    let after: ladder::domain::score::ScoreReport = serde_json::from_str(&after.report).unwrap();
    // One event: 25 points × its 60% share of D3; 12 学时 of teaching: 12 points of D5.
    assert_eq!(after.dimension(Dimension::Outcomes).0, 15_000);
    assert_eq!(after.dimension(Dimension::Contribution).0, 12_000);
    let ev = scores::evidence_of(&db, w.me).await.unwrap();
    assert_eq!(ev.outcomes[0].id, format!("O{outcome}"));
    assert_eq!(ev.contributions[0].id, format!("P{teaching}"));
}

async fn cases_are_scored_by_the_base_instructors_on_the_rubric(db: Db) {
    use ladder::domain::role::{Grant, Scope};
    use ladder::domain::rules::Dimension;
    use ladder::server::records::CaseInput;
    use std::collections::BTreeMap;
    let w = world(&db).await;
    let (a, now) = (actor(), clock::now());
    let case = |stages: Vec<&str>, narrative: &str| {
        Input::Case(CaseInput {
            title: "某高校专利包许可与作价入股".into(),
            role: "lead".into(),
            date: "2026-06-30".into(),
            stages: stages.into_iter().map(String::from).collect(),
            narrative: narrative.into(),
            personal_contribution: "牵头尽职调查与许可谈判".into(),
            linked_deals: "2026310104000123, 2026310104000124".into(),
            confidentiality: "panel_only".into(),
            practicum: true,
        })
    };
    assert_eq!(
        fields(
            records::add(&db, &a, w.me, &case(vec!["astrology"], "太短"), now)
                .await
                .unwrap_err()
        ),
        vec![
            ("stages".into(), Key::ErrChoose),
            ("narrative".into(), Key::ErrNarrativeShort)
        ]
    );
    let story = "该案例围绕某高校的固态电解质专利包展开。".repeat(4);
    let id = records::add(
        &db,
        &a,
        w.me,
        &case(vec!["transaction", "evaluation"], &story),
        now,
    )
    .await
    .unwrap();
    let Some(ladder::domain::records::Entry::Case(stored)) = ladder::db::records::by_id(&db, id)
        .await
        .unwrap()
        .map(|r| serde_json::from_str(&r.payload).unwrap())
    else {
        panic!("a case")
    };
    assert_eq!(
        stored.stages,
        ["evaluation", "transaction"],
        "stages in chain order"
    );
    assert_eq!(stored.linked_registration_nos.len(), 2);
    verify::decide(&db, &w.admin, id, &Decision::Verify, |b| b == w.base, now)
        .await
        .unwrap();

    let instructor = |name: &'static str, base: i64| {
        let db = db.clone();
        async move {
            let user = crate::common::user_with(
                &db,
                name,
                "password-1",
                &[Grant::new(Role::Instructor, Scope::Base(base)).unwrap()],
            )
            .await;
            (
                Actor {
                    user_id: Some(user),
                    label: name.into(),
                },
                person_of(&db, user).await,
            )
        }
    };
    let full = |p: [i64; 5]| -> BTreeMap<String, String> {
        [
            "complexity",
            "outcome",
            "personal_contribution",
            "professional_method",
            "reflection",
        ]
        .into_iter()
        .zip(p)
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    };
    let may = |b: i64| b == w.base;
    let (first, first_person) = instructor("instructor.one", w.base).await;
    let err = ladder::server::reviews::review_case(
        &db,
        &first,
        first_person,
        id,
        &full([21, 20, 20, 20, 10]),
        "",
        may,
        now,
    )
    .await
    .unwrap_err();
    assert_eq!(
        fields(err),
        vec![("scores[complexity]".into(), Key::ErrRubricPoints)]
    );
    // Another base's instructor cannot reach the case; the trainee cannot score their own.
    let (stranger, stranger_person) = instructor("instructor.other", w.other_base).await;
    assert_eq!(
        ladder::server::reviews::review_case(
            &db,
            &stranger,
            stranger_person,
            id,
            &full([10; 5]),
            "",
            |b| b == w.other_base,
            now,
        )
        .await,
        Err(AppError::NotFound)
    );
    let me_as_reviewer = Actor {
        user_id: Some(1),
        label: "self".into(),
    };
    assert_eq!(
        ladder::server::reviews::review_case(
            &db,
            &me_as_reviewer,
            w.me,
            id,
            &full([10; 5]),
            "",
            may,
            now
        )
        .await,
        Err(AppError::Forbidden)
    );
    // Three reviews are needed; the third brings D4 in.
    ladder::server::reviews::review_case(
        &db,
        &first,
        first_person,
        id,
        &full([16, 20, 20, 16, 8]),
        "扎实",
        may,
        now,
    )
    .await
    .unwrap();
    let (second, second_person) = instructor("instructor.two", w.base).await;
    ladder::server::reviews::review_case(
        &db,
        &second,
        second_person,
        id,
        &full([18, 22, 20, 18, 8]),
        "",
        may,
        now,
    )
    .await
    .unwrap();
    let report = scores::refresh(&db, w.me, now).await.unwrap().unwrap();
    assert_eq!(
        report.dimension(Dimension::CaseQuality).0,
        0,
        "two reviews are not enough"
    );
    let (third, third_person) = instructor("instructor.three", w.base).await;
    ladder::server::reviews::review_case(
        &db,
        &third,
        third_person,
        id,
        &full([20, 24, 20, 20, 10]),
        "",
        may,
        now,
    )
    .await
    .unwrap();
    // Revising replaces the reviewer's earlier score rather than adding one.
    ladder::server::reviews::review_case(
        &db,
        &first,
        first_person,
        id,
        &full([17, 20, 20, 16, 8]),
        "",
        may,
        now,
    )
    .await
    .unwrap();
    let stored = ladder::db::scores::of_person(&db, w.me)
        .await
        .unwrap()
        .unwrap();
    let report: ladder::domain::score::ScoreReport = serde_json::from_str(&stored.report).unwrap();
    // Totals 81, 86 and 94: mean 87.0.
    assert_eq!(report.dimension(Dimension::CaseQuality).0, 87_000);
    let ev = scores::evidence_of(&db, w.me).await.unwrap();
    assert_eq!(ev.cases[0].reviews.len(), 3);
}

/// A form sent twice (a second click on 添加, a retry, two copies at the same moment) saves
/// one record and answers it both times; a catalog course sent twice is not "already taken";
/// an edit sent twice is one version; a key used for another record is refused.
async fn a_form_sent_twice_is_saved_once(db: Db) {
    let w = world(&db).await;
    let (a, now) = (actor(), clock::now());
    let count = async |db: &Db| {
        ladder::db::records::of_person(db, w.me)
            .await
            .unwrap()
            .len()
    };

    let first = records::submit(&db, &a, w.me, 0, &training("8"), "", "k-training-0-0", now)
        .await
        .unwrap();
    let again = records::submit(&db, &a, w.me, 0, &training("8"), "", "k-training-0-0", now)
        .await
        .unwrap();
    assert_eq!(first, again, "the same form answers the same record");
    assert_eq!(count(&db).await, 1);
    // Another render of the form is another activity.
    let second = records::submit(&db, &a, w.me, 0, &training("4"), "", "k-training-1-0", now)
        .await
        .unwrap();
    assert_ne!(second, first);
    assert_eq!(count(&db).await, 2);

    // Two copies at the same moment: one record.
    let (x, y) = futures::future::join(
        records::submit(&db, &a, w.me, 0, &deal("60"), "", "k-deal-0-0", now),
        records::submit(&db, &a, w.me, 0, &deal("60"), "", "k-deal-0-0", now),
    )
    .await;
    assert_eq!(x.unwrap(), y.unwrap());
    assert_eq!(count(&db).await, 3);

    // An edit sent twice is one new version.
    records::submit(
        &db,
        &a,
        w.me,
        first,
        &training("6"),
        "",
        "k-training-2-1",
        now,
    )
    .await
    .unwrap();
    let versions = async |db: &Db| {
        ladder::db::records::by_id(db, first)
            .await
            .unwrap()
            .unwrap()
            .version
    };
    let v = versions(&db).await;
    records::submit(
        &db,
        &a,
        w.me,
        first,
        &training("6"),
        "",
        "k-training-2-1",
        now,
    )
    .await
    .unwrap();
    assert_eq!(versions(&db).await, v, "the repeated edit wrote nothing");
    // A key that saved one record does not edit another.
    assert_eq!(
        records::submit(
            &db,
            &a,
            w.me,
            second,
            &training("2"),
            "",
            "k-training-2-1",
            now
        )
        .await,
        Err(AppError::Refused(Key::ErrFormStale))
    );
    // Another person's key is theirs: the same text saves the peer's own record.
    let peers = records::submit(
        &db,
        &a,
        w.peer,
        0,
        &training("8"),
        "",
        "k-training-0-0",
        now,
    )
    .await
    .unwrap();
    assert_ne!(peers, first);
    // A key must look like one.
    for bad in ["", "  ", "k 1", &"k".repeat(101), "k;drop"] {
        assert_eq!(
            records::submit(&db, &a, w.me, 0, &training("8"), "", bad, now).await,
            Err(AppError::Refused(Key::ErrFormStale)),
            "{bad:?}"
        );
    }
    assert_eq!(count(&db).await, 3);
}

on_both_engines!(
    a_form_sent_twice_is_saved_once,
    cases_are_scored_by_the_base_instructors_on_the_rubric,
    outcomes_and_contributions_reach_their_dimensions,
    records_are_validated_verified_and_scored,
    claims_on_one_contract_meet_and_shares_are_capped,
    attendance_makes_verified_records_for_the_cohort,
);
