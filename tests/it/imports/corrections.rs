//! Identity corrections on both engines: from the preview of a roster that differs from people
//! another base owns, the clerk asks the person (only one with an account) or a system admin;
//! one open request per base and person; the differences travel masked; the person answers
//! their own requests only; a system admin corrects name, gender and employer (a phone left
//! empty stays) with a reason, closing the request in the same step; bad input changes
//! nothing; every step is in the audit log without an unmasked phone.

use super::flow::roster_csv;
use super::*;
use crate::common::{app, body_text, post, send, sign_in, user_with};
use axum::http::StatusCode;
use ladder::api::AppError;
use ladder::db::corrections as store;
use ladder::domain::role::{Grant, Role, Scope};
use ladder::i18n::Key;
use ladder::server::config::Settings;
use ladder::server::corrections::{self, IdentityInput};

/// The audit log's rows about people: (action, before and after).
async fn about_people(db: &Db) -> Vec<(String, String)> {
    let filter = ladder::db::audit::AuditFilter {
        entity_type: "person".into(),
        limit: 100,
        ..Default::default()
    };
    ladder::db::audit::list(db, &filter)
        .await
        .unwrap()
        .0
        .into_iter()
        .map(|r| {
            (
                r.action,
                format!("{:?} {:?}", r.before_summary, r.after_summary),
            )
        })
        .collect()
}

async fn requests(db: &Db) -> i64 {
    ladder::on_db!(db, c => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM correction_requests")
        .fetch_one(c).await)
    .unwrap()
}

async fn correction_requests_from_the_preview(db: Db) {
    let now = clock::now();
    let base_a = base_and_cohort(&db).await;
    let settings = ImportSettings::default();
    let choice = CommitChoice {
        valid_only: true,
        confirm: true,
    };
    let (wang, zhao) = (id("310101", 1985, 3, 4, 22), id("310104", 1990, 7, 8, 33));
    let row = |no, name, male, id: &IdNumber, phone: &str, cohort| {
        person(no, name, male, s(id.as_str()), s(phone), cohort)
    };
    // Base A's roster: 王芳 and 赵磊; 赵磊 then gets his own account.
    let f = file(
        base_a,
        "名单.csv",
        roster_csv(&[
            row(1, "王芳", false, &wang, "13812340001", COHORT),
            row(2, "赵磊", true, &zhao, "13812340002", COHORT),
        ]),
    );
    let a = imports::analyse(&db, &f, &settings).await.unwrap();
    commit(&db, &f, &a.plan.digest, choice).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    let stored = ladder::db::imports::stored_for(&mut tx, &[wang.as_str(), zhao.as_str()])
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let wang_id = stored.people[wang.as_str()].id.unwrap();
    let zhao_id = stored.people[zhao.as_str()].id.unwrap();
    let zhao_user = user_with(&db, "zhao.lei", "password-1", &[]).await;
    ladder::on_db!(&db, c => sqlx::query("UPDATE users SET person_id = $1 WHERE id = $2")
        .bind(zhao_id).bind(zhao_user).execute(c).await.map(|_| ()))
    .unwrap();

    // Base B's roster says otherwise about both; its preview is kept.
    let base_b = base_with_cohort(&db, "B-BASE", "2024-B-JR-01").await;
    let mut theirs = row(1, "王小芳", false, &wang, "13900000002", "2024-B-JR-01");
    theirs[4] = s("某某科技有限公司");
    let f = file(
        base_b,
        "名单.csv",
        roster_csv(&[
            theirs,
            row(2, "赵磊", true, &zhao, "13700000000", "2024-B-JR-01"),
        ]),
    );
    let a = imports::analyse(&db, &f, &settings).await.unwrap();
    let (wang_row, zhao_row) = (a.plan.rows[0].row, a.plan.rows[1].row);
    let clerk = user_with(
        &db,
        "b.clerk",
        "password-1",
        &[Grant::new(Role::BaseAdmin, Scope::Base(base_b)).unwrap()],
    )
    .await;
    let who = ladder::db::audit::Actor {
        user_id: Some(clerk),
        label: "b.clerk".into(),
    };
    let import_id = imports::keep_preview(&db, &who, &f, &a, now).await.unwrap();
    let import = ladder::db::imports::import_by_id(&db, import_id)
        .await
        .unwrap()
        .unwrap();
    let ask = |row: u32, to: &'static str, note: &'static str| {
        let (db, who, import, settings) = (db.clone(), who.clone(), import.clone(), settings);
        async move {
            corrections::request(&db, &who, clerk, &import, row, to, note, &settings, now).await
        }
    };

    // 王芳 has no account: only a system admin can be asked. A row that keeps nothing, or
    // nobody to ask: refused, nothing stored.
    assert_eq!(
        ask(wang_row, "person", "").await,
        Err(AppError::invalid("to", Key::ErrCorrectionNoAccount))
    );
    assert_eq!(
        ask(99, "admin", "").await,
        Err(AppError::Refused(Key::ErrCorrectionNothing))
    );
    assert_eq!(
        ask(wang_row, "everyone", "").await,
        Err(AppError::invalid("to", Key::ErrChoose))
    );
    assert_eq!(requests(&db).await, 0);
    let to_admin = ask(wang_row, "admin", "本人电话已更换，单位也已变动。")
        .await
        .unwrap();
    // One open request per base and person.
    assert_eq!(
        ask(wang_row, "admin", "").await,
        Err(AppError::Refused(Key::ErrCorrectionOpen))
    );

    // The clerk asks 赵磊 through the server function, as the preview's form does; the
    // preview then marks both rows as sent.
    let app = app(db.clone(), Settings::default());
    let cookie = sign_in(&app, "b.clerk", "password-1").await;
    let res = send(
        &app,
        post(
            "/api/request_correction",
            &format!("import_id={import_id}&row={zhao_row}&to=person&note=请核对手机号"),
            Some(&cookie),
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", body_text(res).await);
    let preview = body_text(
        send(
            &app,
            post(
                "/api/import_preview",
                &format!("id={import_id}&show=&page=1"),
                Some(&cookie),
            ),
        )
        .await,
    )
    .await;
    let json: serde_json::Value = serde_json::from_str(&preview).unwrap();
    let offers: Vec<&serde_json::Value> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["correction"])
        .collect();
    assert_eq!(
        offers,
        [
            &serde_json::json!({"to_person": false, "sent": true}),
            &serde_json::json!({"to_person": true, "sent": true}),
        ]
    );

    // What travels is masked, as the preview shows it; so is the audit log.
    let request = store::request(&db, to_admin).await.unwrap().unwrap();
    assert_eq!(request.person_id, wang_id);
    assert!(
        request.differences.contains("139****0002"),
        "{}",
        request.differences
    );
    for text in [request.differences.clone()]
        .into_iter()
        .chain(about_people(&db).await.into_iter().map(|(_, t)| t))
    {
        for phone in ["13900000002", "13812340001", "13700000000"] {
            assert!(!text.contains(phone), "{text}");
        }
    }

    // 赵磊 answers his own request; nobody else's, and not twice.
    let to_zhao = store::of_person(&db, zhao_id).await.unwrap()[0].id;
    assert_eq!(store::open_for_person(&db, zhao_id).await.unwrap(), 1);
    let zhao_who = ladder::db::audit::Actor {
        user_id: Some(zhao_user),
        label: "zhao.lei".into(),
    };
    let close =
        |person: i64, admin: bool, id: i64, decision: &'static str, answer: &'static str| {
            let (db, zhao_who) = (db.clone(), zhao_who.clone());
            let by = corrections::Answerer {
                user: zhao_user,
                person,
                admin,
            };
            async move { corrections::close(&db, &zhao_who, by, id, decision, answer, now).await }
        };
    assert_eq!(
        close(zhao_id, false, to_admin, "corrected", "").await,
        Err(AppError::NotFound),
        "a request to the admins is not the person's to close"
    );
    assert_eq!(
        close(zhao_id, false, to_zhao, "dismissed", " ").await,
        Err(AppError::invalid("answer", Key::ErrRequired))
    );
    close(
        zhao_id,
        false,
        to_zhao,
        "dismissed",
        "手机号无误，名单有误。",
    )
    .await
    .unwrap();
    assert_eq!(
        close(zhao_id, false, to_zhao, "corrected", "").await,
        Err(AppError::Conflict(ladder::api::STATE.into()))
    );
    assert_eq!(store::open_for_person(&db, zhao_id).await.unwrap(), 0);

    // A system admin corrects 王芳: bad input changes nothing.
    let admin = user_with(
        &db,
        "sys.admin",
        "password-1",
        &[Grant::global(Role::SysAdmin).unwrap()],
    )
    .await;
    let admin_who = ladder::db::audit::Actor {
        user_id: Some(admin),
        label: "sys.admin".into(),
    };
    let before = store::identity(&db, wang_id).await.unwrap().unwrap();
    let bad = IdentityInput {
        name: " ".into(),
        gender: "x".into(),
        phone: "123".into(),
        reason: String::new(),
        ..Default::default()
    };
    let Err(AppError::Validation(errors)) =
        corrections::correct(&db, &admin_who, wang_id, &bad, Some((to_admin, admin)), now).await
    else {
        panic!("bad input must be refused")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["name", "gender", "phone", "reason"]);
    assert_eq!(
        store::identity(&db, wang_id).await.unwrap().unwrap(),
        before
    );

    let good = IdentityInput {
        name: "王小芳".into(),
        gender: "female".into(),
        phone: String::new(),
        email: String::new(),
        employer: "某某科技有限公司".into(),
        reason: "本人来电确认已改名、换单位。".into(),
    };
    corrections::correct(
        &db,
        &admin_who,
        wang_id,
        &good,
        Some((to_admin, admin)),
        now,
    )
    .await
    .unwrap();
    let after = store::identity(&db, wang_id).await.unwrap().unwrap();
    assert_eq!(
        (
            after.name.as_str(),
            after.gender.as_deref(),
            after.phone.as_deref(),
            after.employer.as_deref()
        ),
        (
            "王小芳",
            Some("female"),
            Some("13812340001"),
            Some("某某科技有限公司")
        ),
        "the phone left empty stays"
    );
    let closed = store::request(&db, to_admin).await.unwrap().unwrap();
    assert_eq!(closed.state, "corrected");
    // The admin's list: every request with the person's identity as it is now, phone masked.
    let admin_cookie = sign_in(&app, "sys.admin", "password-1").await;
    let list = body_text(
        send(
            &app,
            post("/api/correction_requests", "", Some(&admin_cookie)),
        )
        .await,
    )
    .await;
    assert!(!list.contains("13812340001"), "{list}");
    let json: serde_json::Value = serde_json::from_str(&list).unwrap();
    let entries = json["admin"].as_array().expect("the admin's list");
    assert_eq!(entries.len(), 2);
    let (request, wang_now) = entries
        .iter()
        .find(|e| e[0]["id"] == serde_json::json!(to_admin))
        .map(|e| (&e[0], &e[1]))
        .expect("the request to the admins");
    assert_eq!(request["state"], serde_json::json!("corrected"));
    assert_eq!(
        (&wang_now["name"], &wang_now["phone"], &wang_now["employer"]),
        (
            &serde_json::json!("王小芳"),
            &serde_json::json!("138****0001"),
            &serde_json::json!("某某科技有限公司")
        )
    );
    // A request about someone else cannot be closed by correcting another person.
    assert_eq!(
        corrections::correct(
            &db,
            &admin_who,
            zhao_id,
            &good,
            Some((to_admin, admin)),
            now
        )
        .await,
        Err(AppError::NotFound)
    );
    let actions: Vec<String> = about_people(&db)
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    for action in [
        "identity.correction.requested",
        "identity.correction.closed",
        "identity.corrected",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
    for (_, text) in about_people(&db).await {
        assert!(!text.contains("13812340001"), "{text}");
    }
}

crate::on_both_engines!(correction_requests_from_the_preview);
