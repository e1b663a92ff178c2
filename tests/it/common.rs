//! Test databases and the in-process app.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, header};
use http_body_util::BodyExt;
use ladder::db::Db;
use ladder::db::audit::Actor;
use ladder::domain::role::Grant;
use ladder::server::accounts::{self, NewAccount};
use ladder::server::config::Settings;
use ladder::server::{AppState, clock};
use ladder::service::keys::{self, Keyring};
use leptos::config::LeptosOptions;
use leptos_axum::AxumRouteListing;
use std::sync::Arc;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU32, Ordering};
use tokio::sync::OnceCell;
use tower::ServiceExt;

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Runs a test on the one runtime all tests share, as the server's requests share one.
pub fn run(test: impl std::future::Future<Output = ()>) {
    run_value(test);
}

/// Runs a future on the shared runtime and returns what it gives.
pub fn run_value<T>(f: impl std::future::Future<Output = T>) -> T {
    static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("test runtime")
    });
    RUNTIME.block_on(f)
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The test process's key file (mode 0600), made once: every `ladder` process a test starts is
/// given it, as every instance of a deployment shares one.
pub fn key_file() -> std::path::PathBuf {
    static FILE: LazyLock<std::path::PathBuf> = LazyLock::new(|| {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("keys");
        std::fs::create_dir_all(&dir).expect("key dir");
        let path = dir.join(format!("{}.key", std::process::id()));
        let _ = std::fs::remove_file(&path);
        Keyring::create(&path, clock::now()).expect("test key file");
        path
    });
    FILE.clone()
}

/// The test process's server keys: the key file's, loaded once.
pub fn keys() -> Arc<Keyring> {
    static KEYS: LazyLock<Arc<Keyring>> =
        LazyLock::new(|| Arc::new(Keyring::load(&key_file()).expect("test keys load")));
    KEYS.clone()
}

/// The audit log verified as `ladder check` does (chain, MACs, checkpoints).
pub async fn audit_report(db: &Db) -> ladder::service::checkpoints::AuditReport {
    use ladder::service::checkpoints::{Trust, verify};
    verify(db, &Trust::keyring(&keys()), &[])
        .await
        .expect("audit verifies")
}

/// A fresh SQLite database file's URL.
pub fn sqlite_url() -> String {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("dbs");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{}.db", unique("t")));
    format!("sqlite:{}", path.display())
}

/// Where a spawned `ladder` appends the checkpoints it signs for the database at `url`: one
/// file per database (the test key file is shared, and a checkpoint file belongs to one
/// database's log).
pub fn checkpoint_file_for(url: &str) -> std::path::PathBuf {
    let name: String = url
        .rsplit(['/', ':'])
        .next()
        .unwrap_or("db")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("checkpoints")
        .join(format!("{name}-{}.jsonl", std::process::id()))
}

/// A fresh, migrated SQLite database in its own file (WAL needs a file, not `:memory:`), bound
/// to the test keys as `serve` binds one at start-up.
pub async fn sqlite() -> Db {
    let db = Db::connect(&sqlite_url()).await.expect("sqlite opens");
    ready(db).await
}

/// Migrates a database and binds it to the test keys (the anchor checkpoint).
pub async fn ready(db: Db) -> Db {
    db.migrate().await.expect("migrates");
    let db = db.with_chain_key(keys());
    keys::bind(&db, &keys(), clock::now())
        .await
        .expect("keys bind");
    db
}

/// A fresh, migrated PostgreSQL database, or None when TEST_PG_URL is unset (the test command
/// says so loudly; with LADDER_REQUIRE_PG=1, as in CI, a missing server fails the test).
pub async fn postgres() -> Option<Db> {
    let url = postgres_url().await?;
    let db = Db::connect(&url).await.expect("postgres opens");
    Some(ready(db).await)
}

/// The URL of a fresh, empty PostgreSQL database (not migrated), or None as for [`postgres`].
pub async fn postgres_url() -> Option<String> {
    let Ok(base) = std::env::var("TEST_PG_URL") else {
        assert!(
            std::env::var("LADDER_REQUIRE_PG").as_deref() != Ok("1"),
            "LADDER_REQUIRE_PG=1 but TEST_PG_URL is unset"
        );
        return None;
    };
    static CLEANED: OnceCell<()> = OnceCell::const_new();
    let admin = sqlx::PgPool::connect(&base)
        .await
        .expect("TEST_PG_URL connects");
    CLEANED
        .get_or_init(|| async {
            // Databases left by earlier runs of this suite (not this process's).
            let stale: Vec<String> = sqlx::query_scalar(
                "SELECT datname FROM pg_database WHERE datname LIKE 'ladder_t_%' AND datname NOT LIKE $1",
            )
            .bind(format!("ladder_t_{}_%", std::process::id()))
            .fetch_all(&admin)
            .await
            .unwrap_or_default();
            for name in stale {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                    .execute(&admin)
                    .await;
            }
        })
        .await;
    let name = unique("ladder_t");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .expect("create test database");
    admin.close().await;
    match base.rsplit_once('/') {
        Some((head, _)) => Some(format!("{head}/{name}")),
        None => panic!("TEST_PG_URL needs a database path"),
    }
}

/// Defines `mod $case { sqlite, postgres }`, running `async fn $case(db: Db)` on each engine.
#[macro_export]
macro_rules! on_both_engines {
    ($($case:ident),* $(,)?) => {$(
        mod $case {
            #[test]
            fn sqlite() {
                $crate::common::run(async { super::$case($crate::common::sqlite().await).await });
            }
            #[test]
            fn postgres() {
                $crate::common::run(async {
                    if let Some(db) = $crate::common::postgres().await {
                        super::$case(db).await;
                    }
                });
            }
        }
    )*};
}

pub fn actor() -> Actor {
    Actor::system("test")
}

/// An account holding one global role, with the password `password-1`.
pub async fn global_user(db: &Db, username: &str, role: ladder::domain::role::Role) -> i64 {
    user_with(
        db,
        username,
        "password-1",
        &[Grant::global(role).expect("a global role")],
    )
    .await
}

/// Creates an account with the given grants; returns its user id.
pub async fn user_with(db: &Db, username: &str, password: &str, grants: &[Grant]) -> i64 {
    accounts::create_user(
        db,
        &actor(),
        &NewAccount {
            username: username.into(),
            name: format!("测试 {username}"),
            email: None,
            id_number: None,
            password: password.into(),
            must_change_password: false,
            grants: grants.to_vec(),
        },
        clock::now(),
    )
    .await
    .expect("user created")
}

pub fn app(db: Db, settings: Settings) -> Router {
    let leptos_options = LeptosOptions::builder()
        .output_name("ladder")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build();
    static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(ladder::server::route_list);
    ladder::server::router_with_routes(
        AppState {
            db,
            settings,
            leptos_options,
            refusals: Default::default(),
            keys: keys(),
        },
        ROUTES.clone(),
    )
}

pub const HOST: &str = "ladder.test";

/// A same-origin form POST to a server function.
pub fn post(path: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::post(path)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, format!("http://{HOST}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(body.to_string())).expect("request")
}

pub fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::get(path)
        .header(header::HOST, HOST)
        .header(header::ACCEPT, "text/html,application/xhtml+xml");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).expect("request")
}

pub async fn send(app: &Router, req: Request<Body>) -> Response<Body> {
    app.clone().oneshot(req).await.expect("router answers")
}

pub async fn body_text(res: Response<Body>) -> String {
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Signs in through the real endpoint and returns the `name=value` session cookie.
pub async fn sign_in(app: &Router, username: &str, password: &str) -> String {
    let res = send(
        app,
        post(
            "/api/sign_in",
            &format!("login={username}&password={password}"),
            None,
        ),
    )
    .await;
    let cookie = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("ladder_session="))
        .unwrap_or_else(|| panic!("{username} signed in (status {})", res.status()));
    cookie.split(';').next().unwrap_or_default().to_string()
}

/// The person behind a user account.
pub async fn person_of(db: &Db, user: i64) -> i64 {
    ladder::on_db!(db, c => sqlx::query_scalar::<_, i64>("SELECT person_id FROM users WHERE id = $1")
        .bind(user).fetch_one(c).await).expect("person")
}

/// The (field, message) pairs of a validation error.
pub fn fields(e: ladder::api::AppError) -> Vec<(String, ladder::i18n::Key)> {
    match e {
        ladder::api::AppError::Validation(v) => v
            .into_iter()
            .map(|ladder::api::FieldError { field, key }| (field, key))
            .collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// A multipart form post of `fields` and one file, as a browser sends it.
pub fn multipart(
    path: &str,
    fields: &[(&str, &str)],
    file_name: &str,
    bytes: &[u8],
    cookie: &str,
    origin: &str,
) -> Request<Body> {
    let boundary = "ladder-test-boundary";
    let mut body = Vec::new();
    for (field, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post(path)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, origin)
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request")
}

/// The attack on the audit log by someone who can write the database but not read the key
/// file: the triggers that forbid changes dropped, `edit` run, and from row `from` on every
/// row's chain hash recomputed with the published algorithm, as if nothing had happened.
pub async fn rewrite_audit(db: &Db, from: i64, edit: &[&str]) {
    use chrono::{DateTime, Utc};
    use ladder::db::audit::{Actor, Change, row_hash};
    let drops: &[&str] = match db.pool() {
        ladder::db::Pool::Sqlite(_) => &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ],
        ladder::db::Pool::Postgres(_) => &["DROP TRIGGER audit_log_no_update ON audit_log"],
    };
    for s in drops.iter().chain(edit) {
        ladder::on_db!(db, c => sqlx::query(sqlx::AssertSqlSafe(s.to_string())).execute(c).await.map(|_| ()))
            .unwrap_or_else(|e| panic!("{s}: {e}"));
    }
    type Row = (
        i64,
        DateTime<Utc>,
        Option<i64>,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = ladder::on_db!(db, c => sqlx::query_as(
        "SELECT id, at, actor_user_id, actor_label, action, entity_type, entity_id,
                before_summary, after_summary
         FROM audit_log WHERE id >= $1 ORDER BY id",
    )
    .bind(from)
    .fetch_all(c)
    .await
    .unwrap());
    let mut prev: String = ladder::on_db!(db, c => sqlx::query_scalar(
        "SELECT hash FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(from)
    .fetch_one(c)
    .await
    .unwrap());
    for (id, at, user_id, label, action, entity_type, entity_id, before, after) in rows {
        let hash = row_hash(
            &prev,
            at,
            &Actor { user_id, label },
            &Change {
                action: &action,
                entity_type: &entity_type,
                entity_id,
                before,
                after,
            },
        );
        ladder::on_db!(db, c => sqlx::query("UPDATE audit_log SET prev_hash = $2, hash = $3 WHERE id = $1")
            .bind(id)
            .bind(&prev)
            .bind(&hash)
            .execute(c)
            .await
            .map(|_| ())
            .unwrap());
        prev = hash;
    }
}

/// Every registered server function's name (its path under `/api/`).
pub fn server_functions() -> std::collections::BTreeSet<String> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect()
}

/// A committee of the 经济系列 (科技成果转移转化) with `code` and `name`.
pub async fn committee(db: &Db, code: &str, name: &str) -> i64 {
    ladder::server::org::add_committee(
        db,
        &actor(),
        code,
        name,
        "经济系列",
        "科技成果转移转化",
        clock::now(),
    )
    .await
    .expect("committee")
}

/// A unit (employer) named `name`.
pub async fn unit(db: &Db, name: &str) -> i64 {
    let mut tx = db.begin_write().await.expect("write");
    let id = ladder::db::people::insert_unit(&mut tx, name, clock::now())
        .await
        .expect("unit");
    tx.commit().await.expect("commit");
    id
}

/// A person without a login, as a roster import makes them: their id.
pub async fn person(db: &Db, name: &str, id_number: Option<&str>) -> i64 {
    let mut tx = db.begin_write().await.expect("write");
    let id = ladder::db::people::insert_person(
        &mut tx,
        &ladder::db::people::NewPerson {
            name: name.into(),
            id_number: id_number.map(str::to_string),
            gender: None,
            phone: None,
            email: None,
            unit_id: None,
        },
        clock::now(),
    )
    .await
    .expect("person");
    tx.commit().await.expect("commit");
    id
}
