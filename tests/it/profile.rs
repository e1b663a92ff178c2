//! "My profile" on both engines: every problem of an entry is reported and nothing written;
//! a person changes only their own entries; the rules engine reads what was stated.

use crate::common::{actor, fields, global_user, person_of};
use crate::on_both_engines;
use ladder::api::AppError;
use ladder::db::Db;
use ladder::db::profile::EntryTable;
use ladder::domain::eligibility::Education;
use ladder::domain::role::Role;
use ladder::i18n::Key;
use ladder::server::clock;
use ladder::server::profile::{self, EducationInput, EmployerInput, LocalityInput, TitleInput};

async fn entries_are_validated_owned_and_read_by_the_engine(db: Db) {
    let (a, now) = (actor(), clock::now());
    let me = person_of(&db, global_user(&db, "me.myself", Role::Trainee).await).await;
    let other = person_of(&db, global_user(&db, "someone.else", Role::Trainee).await).await;

    let bad = EducationInput {
        level: "phd".into(),
        institution: " ".into(),
        major: "x".repeat(201),
        graduated_on: "2999-01-01".into(),
    };
    let err = profile::add_education(&db, &a, me, &bad, now)
        .await
        .expect_err("invalid");
    assert_eq!(
        fields(err),
        vec![
            ("level".into(), Key::ErrChoose),
            ("institution".into(), Key::ErrRequired),
            ("major".into(), Key::ErrTooLong),
            ("graduated_on".into(), Key::ErrFutureDate),
        ]
    );
    assert!(
        profile::load(&db, me).await.unwrap().education.is_empty(),
        "nothing written"
    );

    for (level, on) in [("bachelor", "2009-07-01"), ("master", "2012-06-30")] {
        let input = EducationInput {
            level: level.into(),
            institution: "同济大学".into(),
            major: "管理科学与工程".into(),
            graduated_on: on.into(),
        };
        profile::add_education(&db, &a, me, &input, now)
            .await
            .expect("education");
    }
    let title = TitleInput {
        rank: "intermediate".into(),
        series: "经济系列 · 科技成果转移转化".into(),
        obtained_on: "2019-12-20".into(),
        certificate_no: "JJ-2019-0001".into(),
    };
    profile::add_title(&db, &a, me, &title, now)
        .await
        .expect("title");
    let backwards = EmployerInput {
        unit_name: "上海某技术转移中心".into(),
        position: "项目经理".into(),
        from_on: "2020-01-01".into(),
        to_on: "2019-01-01".into(),
    };
    let err = profile::add_employer(&db, &a, me, &backwards, now)
        .await
        .expect_err("backwards");
    assert_eq!(fields(err), vec![("to_on".into(), Key::ErrToBeforeFrom)]);
    let current = EmployerInput {
        to_on: String::new(),
        ..backwards
    };
    let employer = profile::add_employer(&db, &a, me, &current, now)
        .await
        .expect("employer");
    let err = profile::set_locality(
        &db,
        &a,
        me,
        &LocalityInput {
            social_insurance_months: "25".into(),
            ..Default::default()
        },
        now,
    )
    .await
    .expect_err("months");
    assert_eq!(
        fields(err),
        vec![("social_insurance_months".into(), Key::ErrMonths)]
    );
    let locality = LocalityInput {
        hukou: false,
        residence_permit: true,
        social_insurance_months: "18".into(),
        practice_since: "2016-03-01".into(),
    };
    profile::set_locality(&db, &a, me, &locality, now)
        .await
        .expect("locality");
    profile::set_locality(&db, &a, me, &locality, now)
        .await
        .expect("saved twice");

    // Another person cannot remove my entry; I can.
    assert!(matches!(
        profile::remove_entry(&db, &a, other, EntryTable::Employer, employer, now).await,
        Err(AppError::NotFound)
    ));
    let rows = profile::load(&db, me).await.unwrap();
    assert_eq!(rows.employers.len(), 1);
    assert!(
        profile::load(&db, other)
            .await
            .unwrap()
            .employers
            .is_empty()
    );

    // What the rules engine reads: the highest education and the intermediate title's date.
    let p = rows.to_domain();
    assert_eq!(p.education, Some(Education::Master));
    assert_eq!(
        p.intermediate_title_on,
        chrono::NaiveDate::from_ymd_opt(2019, 12, 20)
    );
    assert!(p.locality.residence_permit && !p.locality.hukou);
    assert_eq!(p.locality.social_insurance_months_last_two_years, 18);
    assert_eq!(
        p.practice_since,
        chrono::NaiveDate::from_ymd_opt(2016, 3, 1)
    );

    profile::remove_entry(&db, &a, me, EntryTable::Employer, employer, now)
        .await
        .expect("own entry");
    assert!(profile::load(&db, me).await.unwrap().employers.is_empty());
}

/// A person's own phone and e-mail: checked as a roster's are, every problem reported and
/// nothing written; normalised when saved; audited with the phone masked; saving the same
/// again writes nothing.
async fn a_person_corrects_their_own_contact(db: Db) {
    let (a, now) = (actor(), clock::now());
    let me = person_of(&db, global_user(&db, "me.contact", Role::Trainee).await).await;
    let bad = profile::ContactInput {
        phone: "12345".into(),
        email: "not-an-address".into(),
    };
    let err = profile::set_contact(&db, &a, me, &bad, now)
        .await
        .unwrap_err();
    assert_eq!(
        fields(err),
        vec![
            ("phone".into(), Key::ErrPhone),
            ("email".into(), Key::ErrEmail)
        ]
    );
    assert_eq!(
        ladder::db::people::contact(&db, me).await.unwrap(),
        (None, None),
        "nothing written"
    );
    let good = profile::ContactInput {
        phone: "+86 138-1234-5678".into(),
        email: "Me@Example.CN".into(),
    };
    profile::set_contact(&db, &a, me, &good, now).await.unwrap();
    assert_eq!(
        ladder::db::people::contact(&db, me).await.unwrap(),
        (Some("13812345678".into()), Some("me@example.cn".into()))
    );
    let audited = crate::imports::audit_of(&db, "profile.contact.set").await;
    assert_eq!(audited.len(), 1);
    assert!(
        audited[0].contains("138****5678") && !audited[0].contains("13812345678"),
        "{audited:?}"
    );
    profile::set_contact(&db, &a, me, &good, now).await.unwrap();
    assert_eq!(
        crate::imports::audit_of(&db, "profile.contact.set")
            .await
            .len(),
        1,
        "the same contact again writes nothing"
    );
    // Cleared: both empty.
    profile::set_contact(&db, &a, me, &profile::ContactInput::default(), now)
        .await
        .unwrap();
    assert_eq!(
        ladder::db::people::contact(&db, me).await.unwrap(),
        (None, None)
    );
}

on_both_engines!(
    entries_are_validated_owned_and_read_by_the_engine,
    a_person_corrects_their_own_contact
);
