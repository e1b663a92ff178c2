//! The course catalog on both engines: every problem of a course at once, codes unique per
//! base, another base's catalog neither writable nor revealed, retire and restore audited.

use crate::common::actor;
use crate::on_both_engines;
use ladder::api::{AppError, FieldError};
use ladder::db::Db;
use ladder::domain::access::Visibility;
use ladder::i18n::Key;
use ladder::server::catalog::{self, CourseInput};
use ladder::server::{clock, org};

fn input(base: &str, code: &str) -> CourseInput {
    CourseInput {
        base_code: base.into(),
        code: code.into(),
        title: "技术合同与知识产权基础".into(),
        module: "policy_law".into(),
        level: "junior".into(),
        hours: "8学时".into(),
        kind: "theory".into(),
        instructor: "周婷".into(),
    }
}

async fn courses_are_validated_scoped_and_retired(db: Db) {
    let (a, now) = (actor(), clock::now());
    let mine = org::add_base(&db, &a, "B-MINE", "我的基地", "", now)
        .await
        .unwrap();
    org::add_base(&db, &a, "B-OTHER", "别的基地", "", now)
        .await
        .unwrap();
    let may = |b: i64| b == mine;

    let bad = CourseInput {
        base_code: "B-OTHER".into(),
        code: "bad code!".into(),
        title: " ".into(),
        module: "cooking".into(),
        level: "expert".into(),
        hours: "0".into(),
        kind: "lecture".into(),
        instructor: String::new(),
    };
    let Err(AppError::Validation(errors)) = catalog::add_course(&db, &a, &bad, may, now).await
    else {
        panic!("invalid course accepted")
    };
    let fields: Vec<(String, Key)> = errors
        .into_iter()
        .map(|FieldError { field, key }| (field, key))
        .collect();
    assert_eq!(
        fields,
        vec![
            // Another base's catalog reads as an unknown base: nothing is revealed.
            ("base_code".into(), Key::ErrUnknownBase),
            ("code".into(), Key::ErrCodeFormat),
            ("title".into(), Key::ErrRequired),
            ("module".into(), Key::ErrChoose),
            ("level".into(), Key::ErrLevel),
            ("hours".into(), Key::ErrHours),
            ("kind".into(), Key::ErrChoose),
        ]
    );

    let id = catalog::add_course(&db, &a, &input("B-MINE", "JR-PL-02"), may, now)
        .await
        .expect("course");
    assert!(matches!(
        catalog::add_course(&db, &a, &input("B-MINE", "JR-PL-02"), may, now).await,
        Err(AppError::Conflict(f)) if f == "code"
    ));
    let list = ladder::db::courses::list(&db, &Visibility::All)
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].hours, list[0].active), (800, true));
    assert!(
        ladder::db::courses::list(&db, &Visibility::Only(vec![mine + 100]))
            .await
            .unwrap()
            .is_empty()
    );

    // Retiring someone else's course is "not found"; one's own is recorded.
    assert!(matches!(
        catalog::set_active(&db, &a, id, false, |_| false, now).await,
        Err(AppError::NotFound)
    ));
    catalog::set_active(&db, &a, id, false, may, now)
        .await
        .expect("retire");
    assert!(
        !ladder::db::courses::list(&db, &Visibility::All)
            .await
            .unwrap()[0]
            .active
    );
    catalog::set_active(&db, &a, id, true, may, now)
        .await
        .expect("restore");
    assert!(
        ladder::db::courses::list(&db, &Visibility::All)
            .await
            .unwrap()[0]
            .active
    );
}

async fn timetables_hold_active_courses_within_the_cohort_dates(db: Db) {
    let (a, now) = (actor(), clock::now());
    let mine = org::add_base(&db, &a, "B-MINE", "我的基地", "", now)
        .await
        .unwrap();
    let may = |b: i64| b == mine;
    let cohort = org::CohortInput {
        base_code: "B-MINE".into(),
        code: "2026-JR-01".into(),
        name: "初级班".into(),
        level: "junior".into(),
        starts_on: "2026-09-01".into(),
        ends_on: "2026-12-31".into(),
    };
    org::add_cohort(&db, &a, &cohort, may, now)
        .await
        .expect("cohort");
    let course = catalog::add_course(&db, &a, &input("B-MINE", "JR-PL-02"), may, now)
        .await
        .unwrap();
    let session = |course: &str, on: &str| catalog::SessionInput {
        cohort_code: "2026-JR-01".into(),
        course_code: course.into(),
        held_on: on.into(),
        location: "徐汇校区 301".into(),
    };
    let Err(AppError::Validation(errors)) =
        catalog::schedule_session(&db, &a, &session("NOPE", "2027-01-05"), may, now).await
    else {
        panic!("invalid session accepted")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["course_code", "held_on"]);
    assert_eq!(errors[1].key, Key::ErrOutsideCohort);

    let id = catalog::schedule_session(&db, &a, &session("JR-PL-02", "2026-09-12"), may, now)
        .await
        .expect("scheduled");
    assert!(matches!(
        catalog::schedule_session(&db, &a, &session("JR-PL-02", "2026-09-12"), may, now).await,
        Err(AppError::Conflict(f)) if f == "held_on"
    ));
    // Another base's cohort is not found; a retired course cannot be scheduled.
    assert!(matches!(
        catalog::schedule_session(&db, &a, &session("JR-PL-02", "2026-09-19"), |_| false, now)
            .await,
        Err(AppError::NotFound)
    ));
    catalog::set_active(&db, &a, course, false, may, now)
        .await
        .unwrap();
    assert!(matches!(
        catalog::schedule_session(&db, &a, &session("JR-PL-02", "2026-09-19"), may, now).await,
        Err(AppError::Validation(_))
    ));
    let k = ladder::db::bases::cohort_by_code(&db, "2026-JR-01")
        .await
        .unwrap()
        .unwrap();
    let rows = ladder::db::schedule::sessions(&db, k.id).await.unwrap();
    assert_eq!((rows.len(), rows[0].hours), (1, 800));

    assert!(matches!(
        catalog::unschedule_session(&db, &a, id, |_| false, now).await,
        Err(AppError::NotFound)
    ));
    catalog::unschedule_session(&db, &a, id, may, now)
        .await
        .expect("unscheduled");
    assert!(
        ladder::db::schedule::sessions(&db, k.id)
            .await
            .unwrap()
            .is_empty()
    );
}

on_both_engines!(
    courses_are_validated_scoped_and_retired,
    timetables_hold_active_courses_within_the_cohort_dates
);
