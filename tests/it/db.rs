//! The database suite. Every case runs on SQLite and on PostgreSQL.

use crate::common::{actor, user_with};
use crate::on_both_engines;
use ladder::api::{AppError, FieldError};
use ladder::db::audit::{self, AuditFilter};
use ladder::db::{Db, people, sessions, stats};
use ladder::domain::access::Visibility;
use ladder::domain::audit::AuditProblem;
use ladder::domain::role::{Grant, Role, Scope};
use ladder::i18n::Key;
use ladder::server::accounts::{self, NewAccount};
use ladder::server::config::Settings;
use ladder::server::{clock, demo, org, session, signin};
use ladder::{on_db, on_tx};

on_both_engines!(
    audit_rows_chain_and_cannot_be_changed,
    sign_in_limits_failures_per_account_in_a_window,
    sign_in_limits_per_address,
    a_refused_address_is_refused_from_memory_until_it_is_under_the_limit,
    parallel_guesses_cannot_exceed_the_limit,
    invalid_account_reports_every_field_and_writes_nothing,
    duplicate_username_is_a_conflict,
    roles_are_replaced_atomically_and_audited,
    cohort_validation_lists_every_problem,
    deactivation_ends_sessions,
    demo_loads_once,
    concurrent_writers_all_commit,
    login_for_a_person_from_a_roster,
    a_known_device_is_not_locked_out_by_failures_elsewhere,
);

async fn audit_count(db: &Db) -> i64 {
    audit::list(
        db,
        &AuditFilter {
            limit: 1,
            ..Default::default()
        },
    )
    .await
    .expect("audit list")
    .1
}

async fn audit_rows_chain_and_cannot_be_changed(db: Db) {
    // The database's first use of the key is itself audited.
    let before = audit_count(&db).await;
    org::add_base(&db, &actor(), "B-1", "基地一", "上海", clock::now())
        .await
        .expect("base");
    org::add_base(&db, &actor(), "B-2", "基地二", "上海", clock::now())
        .await
        .expect("base");
    let report = crate::common::audit_report(&db).await;
    assert_eq!(report.problems, vec![]);
    assert_eq!(report.chain.rows, before + 2);
    assert_eq!(report.chain.macs, before + 2);

    let update = on_db!(&db, c => sqlx::query("UPDATE audit_log SET actor_label = 'mallory'").execute(c).await.map(|_| ()));
    assert!(update.is_err(), "UPDATE on the audit log must fail");
    let delete =
        on_db!(&db, c => sqlx::query("DELETE FROM audit_log").execute(c).await.map(|_| ()));
    assert!(delete.is_err(), "DELETE on the audit log must fail");
    if let ladder::db::Pool::Postgres(p) = db.pool() {
        assert!(
            sqlx::query("TRUNCATE audit_log").execute(p).await.is_err(),
            "TRUNCATE must fail"
        );
    }
    assert_eq!(audit_count(&db).await, before + 2);

    // With the trigger removed (as an attacker with DDL rights might), the chain shows the edit.
    let drop = match db.pool() {
        ladder::db::Pool::Sqlite(_) => "DROP TRIGGER audit_log_no_update",
        ladder::db::Pool::Postgres(_) => "DROP TRIGGER audit_log_no_update ON audit_log",
    };
    on_db!(&db, c => sqlx::query(drop).execute(c).await.map(|_| ())).expect("drop trigger");
    on_db!(&db, c => sqlx::query("UPDATE audit_log SET after_summary = 'code=B-9' WHERE entity_id = (SELECT MIN(entity_id) FROM audit_log)").execute(c).await.map(|_| ())).expect("tamper");
    let problems = crate::common::audit_report(&db).await.problems;
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, AuditProblem::Broken { .. })),
        "{problems:?}"
    );
}

async fn sign_in_limits_failures_per_account_in_a_window(db: Db) {
    user_with(&db, "wang.fang", "correct-password", &[]).await;
    let settings = Settings::default();
    let now = clock::now();
    for _ in 0..settings.login_max_per_account {
        let err = signin::sign_in(
            &db,
            &crate::common::keys(),
            &settings,
            "wang.fang",
            "wrong-password",
            "10.0.0.1",
            now,
        )
        .await
        .unwrap_err();
        assert_eq!(err, AppError::invalid("password", Key::ErrBadCredentials));
    }
    // Over the limit even the right password is refused, from any address.
    let err = signin::sign_in(
        &db,
        &crate::common::keys(),
        &settings,
        "Wang.Fang",
        "correct-password",
        "10.0.0.2",
        now,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::TooManyRequests { .. }), "{err:?}");
    // After the window the account works again.
    let later = now + chrono::TimeDelta::minutes(settings.login_window_minutes + 1);
    let ok = signin::sign_in(
        &db,
        &crate::common::keys(),
        &settings,
        "wang.fang",
        "correct-password",
        "10.0.0.2",
        later,
    )
    .await;
    assert!(ok.is_ok(), "{ok:?}");
}

async fn sign_in_limits_per_address(db: Db) {
    user_with(&db, "li.na", "correct-password", &[]).await;
    let settings = Settings {
        login_max_per_address: 3,
        ..Settings::default()
    };
    let now = clock::now();
    for n in 0..3 {
        // Different (even unknown) accounts from one address.
        let _ = signin::sign_in(
            &db,
            &crate::common::keys(),
            &settings,
            &format!("nobody{n}"),
            "x",
            "10.9.9.9",
            now,
        )
        .await;
    }
    let err = signin::sign_in(
        &db,
        &crate::common::keys(),
        &settings,
        "li.na",
        "correct-password",
        "10.9.9.9",
        now,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::TooManyRequests { .. }));
    assert!(
        signin::sign_in(
            &db,
            &crate::common::keys(),
            &settings,
            "li.na",
            "correct-password",
            "10.9.9.10",
            now
        )
        .await
        .is_ok()
    );
}

/// An address found over its limit is then refused from memory, without a transaction (no
/// failure row, even when the database's rows are gone), until exactly the moment the
/// database would let it in again: when the limit-th newest failure leaves the window.
async fn a_refused_address_is_refused_from_memory_until_it_is_under_the_limit(db: Db) {
    user_with(&db, "zhou.min", "correct-password", &[]).await;
    let settings = Settings {
        login_max_per_address: 3,
        ..Settings::default()
    };
    let refusals = signin::Refusals::default();
    let keys = crate::common::keys();
    let attempt = |password: &'static str, address: &'static str, at| {
        let client = signin::Client {
            address,
            ..signin::Client::default()
        };
        signin::sign_in_with(
            &db, &keys, &settings, &refusals, "zhou.min", password, client, at,
        )
    };
    let refused =
        |r: Result<signin::SignedIn, AppError>| matches!(r, Err(AppError::TooManyRequests { .. }));
    let failures = || async {
        on_db!(&db, c => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM login_failures").fetch_one(c).await)
            .unwrap()
    };
    let now = clock::now();
    let second = chrono::TimeDelta::seconds(1);
    // Three failures from one address, a second apart.
    for n in 0..3 {
        let err = attempt("x", "10.7.7.7", now + second * n)
            .await
            .unwrap_err();
        assert_eq!(err, AppError::invalid("password", Key::ErrBadCredentials));
    }
    assert!(refusals.is_empty());
    assert_eq!(failures().await, 3);
    // The database refuses the fourth and the refusal is remembered.
    let at = now + second * 3;
    assert!(refused(attempt("correct-password", "10.7.7.7", at).await));
    assert_eq!(refusals.len(), 1);
    // Remembered: refused even though the counters are gone, and nothing is written.
    on_db!(&db, c => sqlx::query("DELETE FROM login_failures").execute(c).await.map(|_| ()))
        .unwrap();
    assert!(refused(attempt("correct-password", "10.7.7.7", at).await));
    assert_eq!(failures().await, 0);
    // Until the first of the three failures leaves the window, not a moment longer.
    let window = chrono::TimeDelta::minutes(settings.login_window_minutes);
    let ms = chrono::TimeDelta::milliseconds(1);
    assert!(refused(
        attempt("correct-password", "10.7.7.7", now + window - ms).await
    ));
    let ok = attempt("correct-password", "10.7.7.7", now + window + ms).await;
    assert!(ok.is_ok(), "{ok:?}");
    // Another address was never refused.
    assert!(attempt("correct-password", "10.7.7.8", at).await.is_ok());
}

async fn invalid_account_reports_every_field_and_writes_nothing(db: Db) {
    let before = audit_count(&db).await;
    let err = accounts::create_user(
        &db,
        &actor(),
        &NewAccount {
            username: "No Spaces".into(),
            name: "".into(),
            email: None,
            id_number: Some("530102192005080119".into()),
            password: "short".into(),
            must_change_password: true,
            grants: Vec::new(),
        },
        clock::now(),
    )
    .await
    .unwrap_err();
    let AppError::Validation(fields) = err else {
        panic!("validation error expected")
    };
    let names: Vec<&str> = fields
        .iter()
        .map(|f: &FieldError| f.field.as_str())
        .collect();
    assert_eq!(names, ["username", "password", "id_number", "name"]);
    assert_eq!(stats::active_users(&db).await.unwrap(), 0);
    assert_eq!(audit_count(&db).await, before);
}

async fn duplicate_username_is_a_conflict(db: Db) {
    user_with(&db, "zhao.min", "password-1", &[]).await;
    let before = audit_count(&db).await;
    let err = accounts::create_user(
        &db,
        &actor(),
        &NewAccount {
            username: "zhao.min".into(),
            name: "赵敏".into(),
            email: None,
            id_number: None,
            password: "password-2".into(),
            must_change_password: false,
            grants: Vec::new(),
        },
        clock::now(),
    )
    .await
    .unwrap_err();
    assert_eq!(err, AppError::Conflict("username".into()));
    // The person row inserted before the failing user row was rolled back with it.
    let people: i64 =
        on_db!(&db, c => sqlx::query_scalar("SELECT COUNT(*) FROM people").fetch_one(c).await)
            .unwrap();
    assert_eq!(people, 1);
    assert_eq!(audit_count(&db).await, before);
}

async fn roles_are_replaced_atomically_and_audited(db: Db) {
    let base = org::add_base(&db, &actor(), "B-1", "基地", "", clock::now())
        .await
        .unwrap();
    let uid = user_with(
        &db,
        "sun.li",
        "password-1",
        &[Grant::global(Role::Trainee).unwrap()],
    )
    .await;
    let wanted = [
        Grant::new(Role::BaseAdmin, Scope::Base(base)).unwrap(),
        Grant::global(Role::Auditor).unwrap(),
    ];
    accounts::set_roles(&db, &actor(), uid, &wanted, clock::now())
        .await
        .unwrap();
    let mut held: Vec<Grant> = people::grants_of(&db, uid)
        .await
        .unwrap()
        .iter()
        .map(|g| g.grant().unwrap())
        .collect();
    held.sort();
    let mut expected = wanted.to_vec();
    expected.sort();
    assert_eq!(held, expected);
    let (rows, _) = audit::list(
        &db,
        &AuditFilter {
            entity_type: "user".into(),
            limit: 50,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "role.revoke").count(), 1);
    // One grant for the trainee at creation, two now.
    assert_eq!(actions.iter().filter(|a| **a == "role.grant").count(), 3);
    // Granting a role already held, or to an account that does not exist.
    let again = accounts::grant_role(&db, &actor(), uid, wanted[1], clock::now()).await;
    assert_eq!(again, Err(AppError::Conflict("role".into())));
    let missing = accounts::grant_role(&db, &actor(), 9999, wanted[1], clock::now()).await;
    assert_eq!(missing, Err(AppError::NotFound));
    // The last system administrator keeps the role; with a second one it can go.
    let admin = user_with(
        &db,
        "admin.one",
        "password-1",
        &[Grant::global(Role::SysAdmin).unwrap()],
    )
    .await;
    let only = accounts::set_roles(&db, &actor(), admin, &[], clock::now()).await;
    assert_eq!(only, Err(AppError::invalid("role", Key::ErrLastAdmin)));
    user_with(
        &db,
        "admin.two",
        "password-1",
        &[Grant::global(Role::SysAdmin).unwrap()],
    )
    .await;
    assert!(
        accounts::set_roles(&db, &actor(), admin, &[], clock::now())
            .await
            .is_ok()
    );
}

async fn cohort_validation_lists_every_problem(db: Db) {
    org::add_base(&db, &actor(), "B-1", "基地", "", clock::now())
        .await
        .unwrap();
    let input = org::CohortInput {
        base_code: "B-1".into(),
        code: "bad code!".into(),
        name: " ".into(),
        level: "expert".into(),
        starts_on: "2026-09-01".into(),
        ends_on: "2026-08-01".into(),
    };
    let err = org::add_cohort(&db, &actor(), &input, |_| true, clock::now())
        .await
        .unwrap_err();
    let AppError::Validation(fields) = err else {
        panic!("validation expected")
    };
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["code", "name", "level", "ends_on"]);
    let unknown = org::CohortInput {
        base_code: "NOPE".into(),
        code: "K-1".into(),
        name: "班".into(),
        level: "junior".into(),
        starts_on: "2026-09-01".into(),
        ends_on: "2026-12-01".into(),
    };
    let err = org::add_cohort(&db, &actor(), &unknown, |_| true, clock::now())
        .await
        .unwrap_err();
    assert_eq!(err, AppError::invalid("base_code", Key::ErrUnknownBase));
    let forbidden = org::CohortInput {
        base_code: "B-1".into(),
        ..unknown
    };
    let err = org::add_cohort(&db, &actor(), &forbidden, |_| false, clock::now())
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Forbidden);
    assert!(
        ladder::db::bases::list_cohorts(&db, &Visibility::All, None)
            .await
            .unwrap()
            .is_empty()
    );
    org::add_cohort(
        &db,
        &actor(),
        &org::CohortInput {
            base_code: "B-1".into(),
            ..forbidden
        },
        |_| true,
        clock::now(),
    )
    .await
    .unwrap();
    assert_eq!(
        ladder::db::bases::list_cohorts(&db, &Visibility::All, None)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn deactivation_ends_sessions(db: Db) {
    let uid = user_with(&db, "gao.jie", "password-1", &[]).await;
    let s = signin::sign_in(
        &db,
        &crate::common::keys(),
        &Settings::default(),
        "gao.jie",
        "password-1",
        "127.0.0.1",
        clock::now(),
    )
    .await
    .unwrap();
    let hash = ladder::server::session::token_hash(&s.token);
    assert_eq!(
        ladder::db::sessions::session_user(&db, &hash, clock::now())
            .await
            .unwrap(),
        Some(uid)
    );
    accounts::set_active(&db, &actor(), uid, false, clock::now())
        .await
        .unwrap();
    assert_eq!(
        ladder::db::sessions::session_user(&db, &hash, clock::now())
            .await
            .unwrap(),
        None
    );
    let err = signin::sign_in(
        &db,
        &crate::common::keys(),
        &Settings::default(),
        "gao.jie",
        "password-1",
        "127.0.0.1",
        clock::now(),
    )
    .await
    .unwrap_err();
    assert_eq!(err, AppError::invalid("password", Key::ErrBadCredentials));
}

async fn demo_loads_once(db: Db) {
    assert!(demo::load(&db, clock::now()).await.unwrap());
    assert!(
        !demo::load(&db, clock::now()).await.unwrap(),
        "a second load must do nothing"
    );
    let cohorts = ladder::db::bases::list_cohorts(&db, &Visibility::All, None)
        .await
        .unwrap();
    // 35 + 12 from the rosters, the trainee, and the three title applicants.
    assert_eq!(cohorts.iter().map(|k| k.members).sum::<i64>(), 51);
    let committees = ladder::db::committees::list_committees(&db, &Visibility::All)
        .await
        .unwrap();
    // Twelve reviewers and the chair: thirteen members, an odd number.
    assert_eq!(committees[0].reviewers, 12);
    let applicants = ladder::server::demo_review::CANDIDATES.map(|(login, _)| login);
    for username in demo::ACCOUNTS.iter().map(|a| a.username).chain(applicants) {
        let ok = signin::sign_in(
            &db,
            &crate::common::keys(),
            &Settings::default(),
            username,
            demo::DEMO_PASSWORD,
            "127.0.0.1",
            clock::now(),
        )
        .await;
        assert!(ok.is_ok(), "{username} signs in");
    }
    // The demo trainee's records: eighteen verified, one awaiting the base, one rejected.
    let trainee = ladder::db::people::user_by_login(&db, "trainee")
        .await
        .unwrap()
        .unwrap();
    let records = ladder::db::records::of_person(&db, trainee.person_id)
        .await
        .unwrap();
    let count = |s: &str| records.iter().filter(|r| r.status == s).count();
    assert_eq!(
        (
            count("base_verified"),
            count("unverified"),
            count("rejected")
        ),
        (18, 1, 1)
    );
    let snapshot = ladder::db::scores::of_person(&db, trainee.person_id)
        .await
        .unwrap()
        .expect("the demo trainee has a score");
    assert!(snapshot.total > 0);
    // demo.load, the shipped ruleset stored and activated, the trainee's education and
    // locality, twenty records created, a file attached, eighteen verified and one rejected,
    // one sign-in per account; the review: the calendar, the session, the panels and terms,
    // and per applicant four
    // profile entries, five records, a file, five verifications, the submission, the unit's
    // approval and the end of its notice.
    let review = 2 + 1 + 3 * (4 + 5 + 1 + 5 + 3);
    let sign_ins = (demo::ACCOUNTS.len() + applicants.len()) as i64;
    // (and the database's first use of the key, before any of it).
    let report = crate::common::audit_report(&db).await;
    assert_eq!(report.problems, vec![]);
    assert_eq!(
        report.chain.rows,
        1 + 3 + 2 + 20 + 1 + 18 + 1 + review + sign_ins
    );
    let active = ladder::server::rulesets::active(&db, "shanghai-default")
        .await
        .unwrap()
        .expect("the demo activates the shipped ruleset");
    assert_eq!(active.version, 2);
}

/// Eight writers doing read-modify-write at once all commit: BEGIN IMMEDIATE on SQLite and the
/// advisory lock on PostgreSQL serialise them instead of failing with "database is locked".
async fn concurrent_writers_all_commit(db: Db) {
    let mut tasks = Vec::new();
    for n in 0..8 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            for k in 0..5 {
                org::add_base(
                    &db,
                    &actor(),
                    &format!("C-{n}-{k}"),
                    "并发基地",
                    "",
                    clock::now(),
                )
                .await?;
            }
            Ok::<_, AppError>(())
        }));
    }
    for t in tasks {
        t.await.expect("task").expect("every write commits");
    }
    assert_eq!(
        ladder::db::stats::bases_and_cohorts(&db).await.unwrap().0,
        40
    );
    let report = crate::common::audit_report(&db).await;
    assert_eq!(report.problems, vec![]);
    // Forty bases, after the key's first use.
    assert_eq!(report.chain.rows, 41);
}

async fn login_for_a_person_from_a_roster(db: Db) {
    // A roster import creates people without logins; `user add --person ID` gives one a login.
    let mut tx = db.begin_write().await.unwrap();
    let person = people::insert_person(
        &mut tx,
        &people::NewPerson {
            name: "胡静".into(),
            id_number: Some("11010519491231002X".into()),
            gender: Some("female"),
            phone: None,
            email: None,
            unit_id: None,
        },
        clock::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let new = |username: &str| NewAccount {
        username: username.into(),
        name: String::new(),
        email: None,
        id_number: Some("110105 19491231 002x".into()),
        password: "password-1".into(),
        must_change_password: true,
        grants: Vec::new(),
    };
    let uid = accounts::create_user(&db, &actor(), &new("hu.jing"), clock::now())
        .await
        .unwrap();
    assert_eq!(
        people::user_by_id(&db, uid)
            .await
            .unwrap()
            .unwrap()
            .person_id,
        person
    );
    // A person has one login.
    let err = accounts::create_user(&db, &actor(), &new("hu.jing2"), clock::now())
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Conflict("id_number".into()));
    let mut tx = db.begin_write().await.unwrap();
    let n: i64 =
        on_tx!(&mut tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM people").fetch_one(c).await)
            .unwrap();
    assert_eq!(n, 1);
}

/// Ten guesses at once: the attempt is reserved before the slow hash, inside a serialised
/// write, so exactly the allowed five are tried and the rest are refused.
async fn parallel_guesses_cannot_exceed_the_limit(db: Db) {
    user_with(&db, "ma.chao", "correct-password", &[]).await;
    let now = clock::now();
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            signin::sign_in(
                &db,
                &crate::common::keys(),
                &Settings::default(),
                "ma.chao",
                "wrong-password",
                "10.1.1.1",
                now,
            )
            .await
        }));
    }
    let mut tried = 0;
    let mut limited = 0;
    for t in tasks {
        match t.await.expect("task") {
            Err(AppError::TooManyRequests { .. }) => limited += 1,
            Err(AppError::Validation(_)) => tried += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((tried, limited), (5, 5));
}

/// OWASP's device cookies: the chair's own browser signs in while someone else has used up
/// the account's and the address's failures; a device's own failures refuse only that device;
/// a cookie of another account, or altered, is worth nothing. Signing in ends the browser's
/// previous session.
async fn a_known_device_is_not_locked_out_by_failures_elsewhere(db: Db) {
    user_with(&db, "lu.qiang", "correct-password", &[]).await;
    user_with(&db, "he.ping", "other-password", &[]).await;
    let settings = Settings {
        login_max_per_address: 3,
        ..Settings::default()
    };
    let keys = crate::common::keys();
    let refusals = signin::Refusals::default();
    let now = clock::now();
    macro_rules! attempt {
        ($login:expr, $password:expr, $client:expr $(,)?) => {
            signin::sign_in_with(
                &db, &keys, &settings, &refusals, $login, $password, $client, now,
            )
            .await
        };
    }
    fn from(address: &str) -> signin::Client<'_> {
        signin::Client {
            address,
            ..signin::Client::default()
        }
    }
    // From the guesser's address, with a device cookie.
    fn device(cookie: &str) -> signin::Client<'_> {
        signin::Client {
            address: "10.6.6.6",
            device: Some(cookie),
            session: None,
        }
    }
    let refused = |r: &Result<signin::SignedIn, AppError>| matches!(r, Err(AppError::TooManyRequests { retry_after_secs }) if *retry_after_secs > 0);
    // Two browsers of the chair's have signed in before; a colleague's one of theirs.
    let own = attempt!("lu.qiang", "correct-password", from("10.1.1.1")).unwrap();
    let laptop = attempt!("lu.qiang", "correct-password", from("10.1.1.2")).unwrap();
    let colleague = attempt!("he.ping", "other-password", from("10.1.1.3")).unwrap();
    // The first session ends when the same browser signs in again.
    let first = own.token.clone();
    let own = attempt!(
        "lu.qiang",
        "correct-password",
        signin::Client {
            address: "10.1.1.1",
            device: Some(&own.device),
            session: Some(&first),
        },
    )
    .unwrap();
    assert_eq!(
        sessions::session_user(&db, &session::token_hash(&first), now)
            .await
            .unwrap(),
        None
    );
    assert!(
        sessions::session_user(&db, &session::token_hash(&own.token), now)
            .await
            .unwrap()
            .is_some()
    );

    // Someone guesses from many addresses until the account is refused, and from 10.6.6.6
    // until that address is too.
    for i in 0..settings.login_max_per_account {
        let address = format!("10.6.6.{}", 10 + i);
        let _ = attempt!("lu.qiang", "guess", from(&address));
    }
    for _ in 0..settings.login_max_per_address {
        let _ = attempt!("nobody", "guess", from("10.6.6.6"));
    }
    assert!(refused(&attempt!(
        "he.ping",
        "other-password",
        from("10.6.6.6")
    )));
    assert!(refused(&attempt!(
        "lu.qiang",
        "correct-password",
        from("10.2.2.2")
    )));
    // The chair's browser is not refused — even from the guesser's address, over its limit.
    let (own_device, laptop_device) = (own.device.as_str(), laptop.device.as_str());
    let ok = attempt!("lu.qiang", "correct-password", device(own_device));
    assert!(ok.is_ok(), "{ok:?}");
    // A cookie of another account, or altered, counts as no cookie.
    assert!(refused(&attempt!(
        "lu.qiang",
        "correct-password",
        device(&colleague.device)
    )));
    let mut forged = laptop_device.to_string();
    let last = forged.pop().unwrap();
    forged.push(if last == '0' { '1' } else { '0' });
    assert!(refused(&attempt!(
        "lu.qiang",
        "correct-password",
        device(&forged)
    )));

    // The laptop's own failures refuse the laptop alone.
    for _ in 0..settings.login_max_per_account {
        let err = attempt!("lu.qiang", "typo", device(laptop_device)).unwrap_err();
        assert_eq!(err, AppError::invalid("password", Key::ErrBadCredentials));
    }
    assert!(refused(&attempt!(
        "lu.qiang",
        "correct-password",
        device(laptop_device)
    )));
    let ok = attempt!("lu.qiang", "correct-password", device(own_device));
    assert!(ok.is_ok(), "{ok:?}");
}
