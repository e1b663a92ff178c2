//! Several app instances on one database: a session started on one is honoured by the other,
//! and signing out on one ends it everywhere, because sessions live in the database; an
//! import previewed on one commits on the other, exactly once. Two real `ladder serve`
//! processes starting together on one empty PostgreSQL database migrate it once and then
//! share their users' sessions. (Scoring and voting: tests/it/review/instances.rs.)

use crate::common::{app, get, global_user, post, send, sign_in};
use crate::on_both_engines;
use axum::http::StatusCode;
use ladder::db::Db;
use ladder::domain::role::Role;
use ladder::server::config::Settings;

on_both_engines!(
    sessions_are_shared_between_instances,
    an_import_previewed_on_one_instance_commits_once_on_either
);

/// A second, independent connection pool to the same database, as another process would have.
pub(crate) async fn second_instance(db: &Db) -> Db {
    db.with_pool(match db.pool() {
        ladder::db::Pool::Sqlite(p) => ladder::db::Pool::Sqlite(
            sqlx::SqlitePool::connect_with((*p.connect_options()).clone())
                .await
                .expect("second sqlite pool"),
        ),
        ladder::db::Pool::Postgres(p) => ladder::db::Pool::Postgres(
            sqlx::PgPool::connect_with((*p.connect_options()).clone())
                .await
                .expect("second pg pool"),
        ),
    })
}

async fn sessions_are_shared_between_instances(db: Db) {
    global_user(&db, "admin1", Role::SysAdmin).await;
    let a = app(db.clone(), Settings::default());
    let b = app(second_instance(&db).await, Settings::default());
    let cookie = sign_in(&a, "admin1", "password-1").await;
    assert_eq!(
        send(&b, get("/admin/users", Some(&cookie))).await.status(),
        StatusCode::OK
    );
    let res = send(&b, post("/api/sign_out", "", Some(&cookie))).await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(
        send(&a, get("/admin/users", Some(&cookie))).await.status(),
        StatusCode::FOUND
    );
    // Failed sign-ins counted by one instance limit the other.
    for _ in 0..5 {
        send(
            &a,
            post("/api/sign_in", "login=admin1&password=wrong-one", None),
        )
        .await;
    }
    let res = send(
        &b,
        post("/api/sign_in", "login=admin1&password=password-1", None),
    )
    .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// A clerk previews a roster on one instance; the commit reaches the other, and a second
/// commit of the same preview (a double click landing on the first instance) at the same
/// moment is refused: the import is there once, whole.
async fn an_import_previewed_on_one_instance_commits_once_on_either(db: Db) {
    use ladder::server::config::ImportSettings;
    use ladder::server::imports::{self, CommitChoice, ImportError};
    let base = crate::imports::base_and_cohort(&db).await;
    let other = second_instance(&db).await;
    let now = ladder::server::clock::now();
    let settings = ImportSettings::default();
    let file = crate::imports::file(base, "roster.xlsx", crate::imports::quirky_xlsx());
    let analysed = imports::analyse(&db, &file, &settings).await.unwrap();
    let new = analysed.plan.counts.new;
    assert!(new > 0);
    let id = imports::keep_preview(&db, &crate::common::actor(), &file, &analysed, now)
        .await
        .unwrap();
    let row = ladder::db::imports::import_by_id(&other, id)
        .await
        .unwrap()
        .expect("the other instance sees the kept preview");
    let choice = CommitChoice {
        valid_only: true,
        confirm: true,
    };
    let actor = crate::common::actor();
    let (a, b) = tokio::join!(
        imports::commit_kept(&other, &actor, &row, choice, &settings, now),
        imports::commit_kept(&db, &actor, &row, choice, &settings, now),
    );
    let (done, refused) = match (a, b) {
        (Ok(done), Err(e)) | (Err(e), Ok(done)) => (done, e),
        (a, b) => panic!(
            "exactly one commit must succeed: {:?} / {:?}",
            a.is_ok(),
            b.is_ok()
        ),
    };
    assert!(
        matches!(
            refused,
            ImportError::AlreadyCommitted | ImportError::Changed
        ),
        "{refused:?}"
    );
    assert_eq!(done.plan.counts.new, new);
    let rows: i64 = ladder::on_db!(&db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM cohort_members WHERE import_id = $1",
    ).bind(id).fetch_one(c).await)
    .unwrap();
    assert_eq!(rows, i64::try_from(new).unwrap());
    let state = ladder::db::imports::import_by_id(&db, id)
        .await
        .unwrap()
        .unwrap()
        .state;
    assert_eq!(state, "committed");
    assert_eq!(
        ladder::service::checkpoints::check(&other, &crate::common::keys())
            .await
            .unwrap()
            .findings,
        vec![]
    );
}

/// A tiny HTTP/1.1 client for the processes below: (status, head and body as text).
fn http(addr: &str, request: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("connects");
    s.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

fn get_on(addr: &str, path: &str, cookie: &str) -> u16 {
    http(
        addr,
        &format!(
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nAccept: text/html\r\nConnection: close\r\n\r\n"
        ),
    )
    .0
}

fn post_on(addr: &str, path: &str, body: &str, cookie: &str) -> (u16, String) {
    http(
        addr,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nCookie: {cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

/// Two `ladder serve` processes start at the same moment on one empty PostgreSQL database:
/// both come up (the migrator's advisory lock lets one migrate while the other waits), each
/// migration is applied once, a session begun on one is honoured by the other, signing out
/// on the other ends it on both, and both stop cleanly on SIGTERM.
#[test]
fn two_serve_processes_start_together_and_share_sessions() {
    let Some(url) = crate::common::run_value(crate::common::postgres_url()) else {
        return;
    };
    // Both on port 0: each says in its log which port it was given.
    let (said, heard) = std::sync::mpsc::channel::<(usize, String)>();
    let mut servers = Servers(
        (0..2)
            .map(|i| {
                let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ladder"))
                    .env("LADDER_KEY_FILE", crate::common::key_file())
                    .env(
                        "LADDER_CHECKPOINT_FILE",
                        crate::common::checkpoint_file_for(&url),
                    )
                    .arg("serve")
                    .env("DATABASE_URL", &url)
                    .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
                    .env("RUST_LOG", "info")
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("ladder serve starts");
                let stderr = child.stderr.take().unwrap();
                let said = said.clone();
                std::thread::spawn(move || {
                    use std::io::BufRead;
                    for line in std::io::BufReader::new(stderr)
                        .lines()
                        .map_while(Result::ok)
                    {
                        let _ = said.send((i, line));
                    }
                });
                child
            })
            .collect(),
    );
    drop(said);
    // Each is ready once it listens: it migrates before it binds.
    let mut addrs = [String::new(), String::new()];
    let mut log = String::new();
    while addrs.iter().any(String::is_empty) {
        let (i, line) = heard
            .recv_timeout(std::time::Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("the servers did not start:\n{log}"));
        log.push_str(&format!("[{i}] {line}\n"));
        if let Some(addr) = line.split("listening on http://").nth(1) {
            addrs[i] = addr.trim().to_string();
        }
    }
    for addr in &addrs {
        assert_eq!(get_on(addr, "/readyz", ""), 200, "{log}");
    }
    let once: Vec<(i64, i64)> = crate::common::run_value(async {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        let rows = sqlx::query_as(
            "SELECT version, COUNT(*) FROM _sqlx_migrations GROUP BY version ORDER BY version",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        pool.close().await;
        rows
    });
    let expected = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"))
        .unwrap()
        .count();
    assert_eq!(once.len(), expected);
    assert!(once.iter().all(|(_, n)| *n == 1), "{once:?}");

    // An account, made with the command line while both serve.
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_ladder"))
        .env("LADDER_KEY_FILE", crate::common::key_file())
        .env(
            "LADDER_CHECKPOINT_FILE",
            crate::common::checkpoint_file_for(&url),
        )
        .args([
            "user",
            "add",
            "--username",
            "ops1",
            "--name",
            "运维",
            "--role",
            "sys_admin",
            "--password",
            "password-1",
        ])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    let (status, answer) = post_on(
        &addrs[0],
        "/api/sign_in",
        "login=ops1&password=password-1",
        "",
    );
    assert_eq!(status, 200, "{answer}");
    let cookie = answer
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: ladder_session="))
        .and_then(|v| v.split(';').next())
        .map(|t| format!("ladder_session={t}"))
        .expect("a session cookie");
    assert_eq!(get_on(&addrs[1], "/admin/users", &cookie), 200);
    assert_eq!(post_on(&addrs[1], "/api/sign_out", "", &cookie).0, 200);
    assert_eq!(get_on(&addrs[0], "/admin/users", &cookie), 302);

    for s in &mut servers.0 {
        let term = std::process::Command::new("kill")
            .args(["-TERM", &s.id().to_string()])
            .status()
            .unwrap();
        assert!(term.success());
        assert!(s.wait().unwrap().success(), "stopped uncleanly:\n{log}");
    }
}

/// Child processes killed when the test ends, also when it fails half-way.
struct Servers(Vec<std::process::Child>);

impl Drop for Servers {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
