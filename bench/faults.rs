//! The fault tests of issue 7 (README "Fault tests"; `bench/faults.sh` builds and runs this).
//! Not part of the test command, which keeps one quick kill case (`tests/it/faults.rs`).
//!
//! Each scenario runs real `ladder serve` processes (the binary given) and talks HTTP to them
//! as a browser's forms do; the state before the HTTP part is set up with the library.
//!
//! 1. **import**: a base admin uploads a 100,000-row roster and commits it; the server is
//!    killed with SIGKILL at twenty points spread evenly over that whole journey (upload,
//!    validation, preview, commit), found by timing one undisturbed run first. After each kill
//!    `ladder check` must pass and the cohort must hold all 100,000 trainees or none (all of
//!    them whenever the commit was acknowledged); the server is started again and the same
//!    file goes through whole.
//! 2. **vote**: the demo session with thirty more reviewers, its meeting open; every member
//!    casts both ballots at once and the server is SIGKILLed after a given number of
//!    acknowledged ballots (several points). After each kill `ladder check` passes and every
//!    acknowledged ballot is recorded; everyone then tries every ballot again on a restarted
//!    server: an acknowledged one is refused as already cast, and in the end each candidate's
//!    tally equals its voters, each counted once.
//! 3. **crowd**: thirty-odd reviewers submit their score sheets and defense scores at once,
//!    then the whole committee votes at once: every request answered 200, no "database is
//!    locked" in any answer or in the server's log, `ladder check` clean, sheets and tallies
//!    exactly the number of people who sent them.
//!
//! `faults LADDER_BIN WORKDIR [sqlite|postgres|all] [import|vote|crowd|all]`; PostgreSQL runs
//! use `PG_ADMIN` (default `postgres://postgres@127.0.0.1:5432/postgres`) to make databases.
//! Prints a markdown report; exits non-zero when any invariant fails.

#[path = "shared.rs"]
mod shared;

use chrono::Duration;
use ladder::db::Db;
use ladder::db::audit::Actor;
use ladder::domain::role::{Grant, Role, Scope};
use ladder::server::review::applications::{self as apps, FormalDecision};
use ladder::server::review::panels as staffing;
use ladder::server::review::{defense, meeting, scoring};
use ladder::server::{clock, demo};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::sync::{Arc, Barrier, Mutex};
use std::time::Instant;

const ROWS: u32 = 100_000;
const COHORT: &str = "2026-FAULT-01";
const IMPORT_POINTS: u32 = 20;
const EXTRA_REVIEWERS: usize = 30;
const REVIEWERS_PER_CANDIDATE: u32 = 30;
const PASSWORD: &str = "fault-password-1";

// ---------------------------------------------------------------------------------------
// Databases: a template made once per scenario, a fresh copy per run.

#[derive(Clone, Copy, PartialEq)]
enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

struct Store {
    engine: Engine,
    dir: PathBuf,
    pg_admin: String,
}

impl Store {
    fn url(&self, name: &str) -> String {
        match self.engine {
            Engine::Sqlite => format!("sqlite:{}", self.dir.join(format!("{name}.db")).display()),
            Engine::Postgres => {
                let server = self.pg_admin.rsplit_once('/').map_or("", |(s, _)| s);
                format!("{server}/ladder_fault_{name}")
            }
        }
    }

    fn psql(&self, sql: &str) {
        let out = Command::new("psql")
            .args([&self.pg_admin, "-qc", sql])
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// An empty database called `name`.
    fn empty(&self, name: &str) -> String {
        match self.engine {
            Engine::Sqlite => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(self.dir.join(format!("{name}.db{suffix}")));
                }
            }
            Engine::Postgres => {
                self.psql(&format!(
                    "DROP DATABASE IF EXISTS ladder_fault_{name} WITH (FORCE)"
                ));
                self.psql(&format!("CREATE DATABASE ladder_fault_{name}"));
            }
        }
        self.url(name)
    }

    /// `name`, a copy of `template` (nobody may be connected to the template).
    fn copy(&self, template: &str, name: &str) -> String {
        self.empty(name);
        match self.engine {
            Engine::Sqlite => {
                for suffix in ["", "-wal"] {
                    let from = self.dir.join(format!("{template}.db{suffix}"));
                    if from.exists() {
                        std::fs::copy(&from, self.dir.join(format!("{name}.db{suffix}")))
                            .expect("copy");
                    }
                }
            }
            Engine::Postgres => {
                self.psql(&format!("DROP DATABASE ladder_fault_{name}"));
                self.psql(&format!(
                    "CREATE DATABASE ladder_fault_{name} TEMPLATE ladder_fault_{template}"
                ));
            }
        }
        self.url(name)
    }
}

// ---------------------------------------------------------------------------------------
// A `ladder serve` process and a small HTTP/1.1 client.

struct Server {
    child: Child,
    addr: String,
    log: Arc<Mutex<String>>,
    /// Reads the server's log; joined once the process has ended, so the log is whole.
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(bin: &Path, url: &str) -> Server {
        let mut child = Command::new(bin)
            .arg("serve")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("DATABASE_URL", url)
            .env("LADDER_KEY_FILE", shared::key_file())
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", "info")
            .env_remove("LADDER_LOG_FORMAT")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ladder serve starts");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (said, heard) = channel();
        let kept = log.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(addr) = line.split("listening on http://").nth(1) {
                    let _ = said.send(addr.trim().to_string());
                }
                let mut log = kept.lock().expect("log");
                log.push_str(&line);
                log.push('\n');
            }
        });
        let mut server = Server {
            child,
            addr: String::new(),
            log,
            reader: Some(reader),
        };
        match heard.recv_timeout(std::time::Duration::from_secs(300)) {
            Ok(addr) => server.addr = addr,
            Err(_) => panic!("the server did not start:\n{}", server.log()),
        }
        server
    }

    fn log(&self) -> String {
        self.log.lock().expect("log").clone()
    }

    /// SIGKILL: no shutdown, no flush.
    fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.drain();
    }

    fn drain(&mut self) {
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }

    /// SIGTERM, and whether it stopped cleanly.
    fn stop(&mut self) -> bool {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let clean = self.child.wait().is_ok_and(|s| s.success());
        self.drain();
        clean
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Status and whole answer (head and body) of one request on its own connection; status 0
/// when the connection failed or was cut.
fn http(addr: &str, request: &[u8]) -> (u16, String) {
    let attempt = || -> std::io::Result<(u16, String)> {
        let mut s = std::net::TcpStream::connect(addr)?;
        s.set_read_timeout(Some(std::time::Duration::from_secs(600)))?;
        s.write_all(request)?;
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes)?;
        let answer = String::from_utf8_lossy(&bytes).into_owned();
        let status = answer
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        Ok((status, answer))
    };
    attempt().unwrap_or_else(|e| (0, e.to_string()))
}

fn post_form(addr: &str, path: &str, body: &str, cookie: &str) -> (u16, String) {
    http(
        addr,
        format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nCookie: {cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
}

fn sign_in(addr: &str, login: &str, password: &str) -> String {
    let (status, answer) = post_form(
        addr,
        "/api/sign_in",
        &format!("login={login}&password={password}"),
        "",
    );
    assert_eq!(status, 200, "sign-in of {login}: {answer}");
    answer
        .lines()
        .find(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie: ladder_session=")
        })
        .and_then(|l| l.split_once(": "))
        .and_then(|(_, v)| v.split(';').next())
        .map(str::to_string)
        .expect("a session cookie")
}

/// `POST /files/imports` with the roster, as the upload form sends it; the new import's id.
fn upload(addr: &str, cookie: &str, base: i64, file: &[u8]) -> Result<i64, String> {
    let boundary = "ladder-fault-boundary-7f3a";
    let mut body = Vec::new();
    for (name, value) in [("base", base.to_string()), ("kind", "roster".to_string())] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"roster.xlsx\"\r\n\
             Content-Type: {}\r\n\r\n",
            ladder::server::exports::XLSX
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut request = format!(
        "POST /files/imports HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nCookie: {cookie}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    let (status, answer) = http(addr, &request);
    let location = answer
        .lines()
        .find_map(|l| {
            let lower = l.to_ascii_lowercase();
            lower
                .strip_prefix("location: /admin/imports/")
                .map(|id| id.trim().to_string())
        })
        .ok_or_else(|| format!("upload answered {status}"))?;
    location
        .parse()
        .map_err(|_| format!("upload sent the browser to {location}"))
}

fn commit(addr: &str, cookie: &str, id: i64) -> Result<(), String> {
    let (status, answer) = post_form(
        addr,
        "/api/commit_import",
        &format!("id={id}&valid_only=on&confirm=on"),
        cookie,
    );
    if status == 200 && answer.contains("\"committed\":true") {
        Ok(())
    } else {
        Err(format!("commit answered {status}"))
    }
}

// ---------------------------------------------------------------------------------------
// Checks through the binary an operator uses, and counts through the library.

fn ladder_check(bin: &Path, url: &str) -> Result<(), String> {
    let out = Command::new(bin)
        .arg("check")
        .env("DATABASE_URL", url)
        .env("LADDER_KEY_FILE", shared::key_file())
        .env_remove("RUST_LOG")
        .output()
        .expect("ladder check runs");
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ladder check failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

async fn open(url: &str) -> Db {
    shared::open(url).await
}

async fn members_of(db: &Db, cohort: &str) -> i64 {
    ladder::on_db!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM cohort_members m JOIN cohorts k ON k.id = m.cohort_id WHERE k.code = $1",
    ).bind(cohort).fetch_one(c).await)
    .expect("count")
}

/// The findings of a run, printed as they come and failing the run at the end.
#[derive(Default)]
struct Verdict {
    failures: Vec<String>,
}

impl Verdict {
    fn require(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            let what = what();
            eprintln!("FAILED: {what}");
            self.failures.push(what);
        }
    }
}

// ---------------------------------------------------------------------------------------
// 1. Import

struct ImportRun {
    point: Option<f64>,
    /// The server had logged that it began writing (inside the commit's transaction).
    writing: bool,
    uploaded: Option<f64>,
    committed: Option<f64>,
    members: i64,
    check: Result<(), String>,
    again: i64,
}

enum Step {
    Uploaded(f64),
    Committed(f64),
    Failed(String),
}

/// One journey (upload, then commit), killed at `kill_at` seconds after it began if it has not
/// finished by then.
fn import_journey(
    bin: &Path,
    url: &str,
    file: &Arc<Vec<u8>>,
    base: i64,
    kill_at: Option<f64>,
) -> ImportRun {
    let mut server = Server::start(bin, url);
    let cookie = sign_in(&server.addr, "baseadmin", demo::DEMO_PASSWORD);
    let (tx, rx) = channel();
    let t0 = Instant::now();
    let (addr, bytes, c) = (server.addr.clone(), file.clone(), cookie.clone());
    let journey = std::thread::spawn(move || {
        let id = match upload(&addr, &c, base, &bytes) {
            Ok(id) => id,
            Err(e) => return tx.send(Step::Failed(e)),
        };
        let _ = tx.send(Step::Uploaded(t0.elapsed().as_secs_f64()));
        match commit(&addr, &c, id) {
            Ok(()) => tx.send(Step::Committed(t0.elapsed().as_secs_f64())),
            Err(e) => tx.send(Step::Failed(e)),
        }
    });
    let (mut uploaded, mut committed) = (None, None);
    loop {
        let wait = kill_at.map_or(std::time::Duration::from_secs(600), |k| {
            std::time::Duration::from_secs_f64(k).saturating_sub(t0.elapsed())
        });
        match rx.recv_timeout(wait) {
            Ok(Step::Uploaded(t)) => uploaded = Some(t),
            Ok(Step::Committed(t)) => {
                committed = Some(t);
                break;
            }
            Ok(Step::Failed(e)) => {
                if kill_at.is_none() {
                    panic!("the undisturbed import failed: {e}\n{}", server.log());
                }
                break;
            }
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    if kill_at.is_some() {
        server.kill9();
    } else {
        assert!(server.stop(), "unclean stop:\n{}", server.log());
    }
    let _ = journey.join();
    // Whatever it wrote before it died is in the pipe; the reader has it once the pipe closes.
    let writing = server.log().contains("import validated; writing");
    drop(server);
    let check = ladder_check(bin, url);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let members = rt.block_on(async {
        let db = open(url).await;
        let n = members_of(&db, COHORT).await;
        db.close().await;
        n
    });
    // The same file again, on a restarted server.
    let again = if kill_at.is_some() {
        let again = import_journey(bin, url, file, base, None);
        again.members
    } else {
        members
    };
    ImportRun {
        point: kill_at,
        writing,
        uploaded,
        committed,
        members,
        check,
        again,
    }
}

fn import_scenario(bin: &Path, store: &Store, verdict: &mut Verdict) -> String {
    let engine = store.engine.name();
    eprintln!("== import ({engine}): template, roster of {ROWS} rows");
    let file = store.dir.join("roster-100k.xlsx");
    if !file.exists() {
        shared::xlsx(&file, ROWS, COHORT);
    }
    let bytes = Arc::new(std::fs::read(&file).expect("roster"));
    let template = store.empty("import_template");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let base = rt.block_on(async {
        let db = open(&template).await;
        assert!(demo::load(&db, clock::now()).await.expect("demo"));
        let (base, _) = shared::cohort(&db, Some(demo::BASE_CODE), COHORT).await;
        db.close().await;
        base
    });
    drop(rt);

    let url = store.copy("import_template", "import_calibration");
    let calm = import_journey(bin, &url, &bytes, base, None);
    let total = calm.committed.expect("committed");
    verdict.require(calm.members == i64::from(ROWS), || {
        format!(
            "{engine} import: the undisturbed import holds {} rows",
            calm.members
        )
    });
    eprintln!(
        "undisturbed: uploaded and previewed at {:.2} s, committed at {total:.2} s",
        calm.uploaded.unwrap_or(0.0)
    );
    let mut runs = Vec::new();
    for i in 0..IMPORT_POINTS {
        let at = total * (f64::from(i) + 0.5) / f64::from(IMPORT_POINTS);
        let url = store.copy("import_template", "import_run");
        let run = import_journey(bin, &url, &bytes, base, Some(at));
        eprintln!(
            "kill at {at:.2} s: {} rows, check {}, again {}",
            run.members,
            if run.check.is_ok() { "clean" } else { "FAILED" },
            run.again
        );
        verdict.require(run.check.is_ok(), || {
            format!("{engine} import killed at {at:.2} s: {:?}", run.check)
        });
        verdict.require(run.members == 0 || run.members == i64::from(ROWS), || {
            format!(
                "{engine} import killed at {at:.2} s: {} of {ROWS} rows",
                run.members
            )
        });
        verdict.require(
            run.committed.is_none() || run.members == i64::from(ROWS),
            || {
                format!(
                    "{engine} import killed at {at:.2} s: acknowledged but {} rows",
                    run.members
                )
            },
        );
        verdict.require(run.again == i64::from(ROWS), || {
            format!(
                "{engine} import killed at {at:.2} s: the second import holds {} rows",
                run.again
            )
        });
        runs.push(run);
    }
    let mut out = format!(
        "\n### Import killed with SIGKILL ({engine})\n\n\
         {ROWS}-row roster (.xlsx, {:.1} MB) uploaded by a base admin and committed, through a \
         release `ladder serve`. Undisturbed: upload and preview answered at {:.2} s, commit at \
         {total:.2} s. Then one fresh copy of the database per kill point, spread evenly over \
         that time from the first byte of the upload.\n\n\
         | kill at s | share of the journey | phase reached | rows after the kill | `ladder check` | same file again |\n\
         |---:|---:|---|---:|---|---:|\n",
        bytes.len() as f64 / 1e6,
        calm.uploaded.unwrap_or(0.0)
    );
    for r in &runs {
        let at = r.point.unwrap_or(0.0);
        let phase = match (r.uploaded, r.committed, r.writing) {
            (_, Some(_), _) => "commit acknowledged",
            (_, None, true) => "writing, inside the transaction",
            (Some(_), None, false) => "commit: validating again",
            (None, None, _) => "upload: reading, validating, preview",
        };
        out.push_str(&format!(
            "| {at:.2} | {:.0}% | {phase} | {} | {} | {} |\n",
            100.0 * at / total,
            if r.members == 0 {
                "0 (absent)".to_string()
            } else if r.members == i64::from(ROWS) {
                format!("{} (whole)", r.members)
            } else {
                format!("**{}**", r.members)
            },
            if r.check.is_ok() {
                "clean"
            } else {
                "**failed**"
            },
            r.again
        ));
    }
    out
}

// ---------------------------------------------------------------------------------------
// 2 and 3. The committee

/// Who takes part once the review state is set up.
#[derive(Clone)]
struct Committee {
    /// 陈晓明 and 林静's applications.
    apps: [i64; 2],
    /// Each assigned reviewer's login and the applications they score.
    scorers: Vec<(String, Vec<i64>)>,
    /// Each voting member's login and the applications they may vote on.
    voters: Vec<(String, Vec<i64>)>,
    /// Each voter's encrypted yes ballot for each of their applications (form-encoded), made
    /// as their browser would: every copy of the database holds the same meeting key.
    ballots: Vec<Vec<String>>,
    /// How many may vote on each application.
    electorate: [usize; 2],
}

async fn login_of(db: &Db, user: i64) -> String {
    ladder::db::people::user_by_id(db, user)
        .await
        .expect("user")
        .expect("user exists")
        .username
}

/// The demo data, thirty more reviewers on panel P1, thirty reviewers for each candidate, and
/// both candidates in expert review with their defense scheduled for today. With `voting`,
/// every sheet and defense score in, the review ended and the meeting open with everyone.
async fn committee(db: &Db, voting: bool) -> Committee {
    let now = clock::now();
    let today = clock::china_date(now);
    assert!(demo::load(db, now).await.expect("demo"));
    let system = Actor::system("faults");
    let committee =
        ladder::db::committees::list_committees(db, &ladder::domain::access::Visibility::All)
            .await
            .expect("committees")
            .into_iter()
            .find(|k| k.code == demo::COMMITTEE_CODE)
            .expect("the demo committee")
            .id;
    let p1 = ladder::db::panels::panels(db, committee)
        .await
        .expect("panels")[0]
        .id;
    for i in 1..=EXTRA_REVIEWERS {
        let user = ladder::server::accounts::create_user(
            db,
            &system,
            &ladder::server::accounts::NewAccount {
                username: format!("fault{i:02}"),
                name: format!("评审专家{i:02}"),
                email: None,
                id_number: None,
                password: PASSWORD.into(),
                must_change_password: false,
                grants: vec![
                    Grant::new(Role::Reviewer, Scope::Committee(committee)).expect("grant"),
                ],
            },
            now,
        )
        .await
        .expect("reviewer");
        let mut tx = db.begin_write().await.expect("tx");
        ladder::db::panels::put_term(
            &mut tx,
            committee,
            user,
            Some(p1),
            today - Duration::days(330),
            today + Duration::days(700),
            now,
        )
        .await
        .expect("term");
        tx.commit().await.expect("commit");
    }
    let session = ladder::db::review::sessions(db)
        .await
        .expect("sessions")
        .into_iter()
        .find(|s| s.code == ladder::server::demo_review::SESSION_CODE)
        .expect("the demo session");
    // Thirty reviewers score each candidate (the session's rules are data).
    let mut rules: serde_json::Value = serde_json::from_str(&session.rules).expect("rules");
    rules["min_reviewers"] = REVIEWERS_PER_CANDIDATE.into();
    ladder::on_db!(db, c => sqlx::query("UPDATE review_sessions SET rules = $1 WHERE id = $2")
        .bind(rules.to_string()).bind(session.id).execute(c).await.map(|_| ()))
    .expect("rules");

    let who = secretary(db).await;
    // Scoring and the meeting today: the secretariat moves the session's dates, as it must
    // (the window closed yesterday).
    let day = chrono::Duration::days(1);
    let input = ladder::server::review::sessions::ScheduleInput {
        applies_from: session.applies_from.min(today - day).to_string(),
        applies_to: (today - day).to_string(),
        scoring_from: today.to_string(),
        scoring_to: today.to_string(),
        meeting_on: today.to_string(),
        reason: "故障测试：评审与会议提前到今天".into(),
    };
    ladder::server::review::sessions::reschedule(db, &who, |_| true, session.id, &input, now)
        .await
        .expect("schedule");
    let all = ladder::db::review::applications_of_session(db, session.id)
        .await
        .expect("applications");
    let apps_ = [all[0].id, all[1].id];
    // 赵强 is turned down at the formal check (as in the review tests): not voted on.
    for (step, reason) in [
        (FormalDecision::Receive, ""),
        (FormalDecision::Reject, "任职年限不足"),
    ] {
        apps::formal_decide(db, &who, |_| true, all[2].id, step, reason, now)
            .await
            .expect("formal check");
    }
    for id in apps_ {
        for step in [FormalDecision::Receive, FormalDecision::Accept] {
            apps::formal_decide(db, &who, |_| true, id, step, "", now)
                .await
                .expect("formal check");
        }
        staffing::set_panel(db, &who, |_| true, id, p1, now)
            .await
            .expect("panel");
    }
    staffing::assign_reviewers(db, &who, |_| true, session.id, now)
        .await
        .expect("assignment");
    for id in apps_ {
        staffing::lock_recusals(db, &who, |_| true, id, now)
            .await
            .expect("recusals");
        defense::schedule(
            db,
            &who,
            |_| true,
            id,
            &format!("{today}T08:00"),
            "第一会议室",
            now,
        )
        .await
        .expect("defense");
    }
    let mut scorers: Vec<(String, Vec<i64>)> = Vec::new();
    for id in apps_ {
        for (user, _) in ladder::db::panels::assigned(db, id)
            .await
            .expect("assigned")
        {
            add_to(&mut scorers, login_of(db, user).await, id);
            if voting {
                scoring::submit(db, &reviewer(user), user, id, &sheet(), now)
                    .await
                    .expect("sheet");
                defense::score(db, &reviewer(user), user, id, "80", "", now)
                    .await
                    .expect("defense score");
            }
        }
    }
    let mut c = Committee {
        apps: apps_,
        scorers,
        voters: Vec::new(),
        ballots: Vec::new(),
        electorate: [0, 0],
    };
    if voting {
        open_meeting(db, &mut c).await;
    }
    c
}

/// The secretariat ends both expert reviews and opens the meeting with every sitting member
/// present; then who may vote on what (the meeting recuses whoever has a conflict).
async fn open_meeting(db: &Db, c: &mut Committee) {
    let now = clock::now();
    let who = secretary(db).await;
    for id in c.apps {
        scoring::complete(db, &who, |_| true, id, now)
            .await
            .expect("end of the expert review");
    }
    let session = ladder::db::review::application(db, c.apps[0])
        .await
        .expect("application")
        .expect("exists")
        .session_id;
    let s = ladder::db::review::session(db, session)
        .await
        .expect("session")
        .expect("session exists");
    let (_, seats, problems) = meeting::seats(db, &s, clock::china_date(now))
        .await
        .expect("seats");
    assert!(problems.is_empty(), "the committee is properly composed");
    let members: Vec<i64> = seats.iter().map(|m| m.user_id).collect();
    meeting::open(db, &keys(), &who, |_| true, session, &members, now)
        .await
        .expect("meeting");
    for (k, id) in c.apps.into_iter().enumerate() {
        let recused: Vec<i64> = ladder::db::panels::conflicts(db, id)
            .await
            .expect("conflicts")
            .into_iter()
            .map(|c| c.reviewer_id)
            .collect();
        for &m in members.iter().filter(|m| !recused.contains(m)) {
            add_to(&mut c.voters, login_of(db, m).await, id);
            c.electorate[k] += 1;
        }
    }
    c.ballots.clear();
    for (login, apps_) in &c.voters {
        let user = ladder::db::people::user_by_login(db, login)
            .await
            .expect("user")
            .expect("voter")
            .id;
        let mut mine = Vec::new();
        for &id in apps_ {
            mine.push(form_encode(&yes_ballot(db, user, id).await));
        }
        c.ballots.push(mine);
    }
}

/// The server's keys of this run (the benchmarks' key file).
fn keys() -> std::sync::Arc<ladder::service::keys::Keyring> {
    std::sync::Arc::new(
        ladder::service::keys::Keyring::load(&shared::key_file()).expect("bench keys"),
    )
}

/// A member's yes, encrypted under the meeting's key with their tag, as the vote page does.
async fn yes_ballot(db: &Db, user: i64, application: i64) -> String {
    use ladder::db::ballot as ballots;
    let tally = ballots::tally(db, application)
        .await
        .expect("tally")
        .expect("open ballot");
    let key = ballots::public_key(db, tally.meeting_id)
        .await
        .expect("key")
        .expect("the meeting has a key");
    let key = ladder_ballot::MeetingKey::from_text(&key).expect("a key");
    let tag = ballots::voter_tag(db, tally.meeting_id, user)
        .await
        .expect("tag")
        .expect("a member's tag");
    ladder_ballot::cast(
        &ladder_ballot::Context {
            meeting: tally.meeting_id,
            candidate: application,
            voter: &tag,
            key: &key,
        },
        ladder_ballot::Choice::Yes,
        &mut rand_core::OsRng,
    )
    .wire
}

/// `application/x-www-form-urlencoded` for one value.
fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The demo committee's secretary, as the audit log names them.
async fn secretary(db: &Db) -> Actor {
    let user = ladder::db::people::user_by_login(db, "secretary")
        .await
        .expect("secretary")
        .expect("the demo secretary");
    Actor {
        user_id: Some(user.id),
        label: user.username,
    }
}

/// `id` onto `login`'s list of applications.
fn add_to(people: &mut Vec<(String, Vec<i64>)>, login: String, id: i64) {
    match people.iter_mut().find(|(l, _)| *l == login) {
        Some((_, list)) => list.push(id),
        None => people.push((login, vec![id])),
    }
}

fn reviewer(user: i64) -> Actor {
    Actor {
        user_id: Some(user),
        label: format!("user {user}"),
    }
}

fn sheet() -> scoring::SheetInput {
    scoring::SheetInput {
        points: SHEET
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        recommendation: "support".into(),
        comment: String::new(),
    }
}

const SHEET: [(&str, &str); 5] = [
    ("complexity", "16"),
    ("outcome", "20"),
    ("personal_contribution", "20"),
    ("professional_method", "15"),
    ("reflection", "8"),
];

fn sheet_form(id: i64) -> String {
    let mut body = format!("id={id}&recommendation=support&comment=");
    for (k, v) in SHEET {
        body.push_str(&format!("&points%5B{k}%5D={v}"));
    }
    body
}

fn password_of(login: &str) -> &'static str {
    if login.starts_with("fault") {
        PASSWORD
    } else {
        demo::DEMO_PASSWORD
    }
}

/// Each person's session cookie, signed in on `server` one after another.
fn cookies(server: &Server, people: &[(String, Vec<i64>)]) -> Vec<String> {
    people
        .iter()
        .map(|(login, _)| sign_in(&server.addr, login, password_of(login)))
        .collect()
}

struct Tallies {
    voted: [i64; 2],
    counted: [i64; 2],
    sheets: [i64; 2],
}

async fn tallies(db: &Db, apps_: [i64; 2]) -> Tallies {
    let mut t = Tallies {
        voted: [0; 2],
        counted: [0; 2],
        sheets: [0; 2],
    };
    for (k, id) in apps_.into_iter().enumerate() {
        if let Some(row) = ladder::db::ballot::tally(db, id).await.expect("tally") {
            // No counter moves while members vote: the ballots stored are what will be counted.
            t.counted[k] = ladder::db::ballot::ballots(db, row.meeting_id, id)
                .await
                .expect("ballots")
                .len() as i64;
            t.voted[k] = ladder::db::ballot::voted(db, row.meeting_id, id)
                .await
                .expect("voters");
        }
        t.sheets[k] = ladder::db::scoring::sheets(db, id)
            .await
            .expect("sheets")
            .len() as i64;
    }
    t
}

/// Every voter sends every ballot at once; (voter, application, status) in the order answered.
fn vote_all(
    addr: &str,
    committee: &Committee,
    cookies: &[String],
    acks: Option<std::sync::mpsc::Sender<()>>,
) -> Vec<(usize, i64, u16, String)> {
    let start = Arc::new(Barrier::new(committee.voters.len()));
    let answers = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = committee
        .voters
        .iter()
        .enumerate()
        .map(|(v, (_, apps_))| {
            let (start, answers, acks) = (start.clone(), answers.clone(), acks.clone());
            let (addr, cookie, apps_) = (addr.to_string(), cookies[v].clone(), apps_.clone());
            let ballots = committee.ballots[v].clone();
            std::thread::spawn(move || {
                start.wait();
                for (id, ballot) in apps_.into_iter().zip(ballots) {
                    let (status, answer) = post_form(
                        &addr,
                        "/api/cast_vote",
                        &format!("id={id}&ballot={ballot}"),
                        &cookie,
                    );
                    if status == 200
                        && let Some(acks) = &acks
                    {
                        let _ = acks.send(());
                    }
                    answers
                        .lock()
                        .expect("answers")
                        .push((v, id, status, answer));
                }
            })
        })
        .collect();
    drop(acks);
    for t in threads {
        let _ = t.join();
    }
    Arc::try_unwrap(answers)
        .map(|m| m.into_inner().expect("answers"))
        .unwrap_or_default()
}

fn vote_scenario(bin: &Path, store: &Store, verdict: &mut Verdict) -> String {
    let engine = store.engine.name();
    eprintln!("== vote ({engine}): template");
    let template = store.empty("vote_template");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let committee = rt.block_on(async {
        let db = open(&template).await;
        let c = committee(&db, true).await;
        db.close().await;
        c
    });
    // Everyone signs in once; the sessions are in the database, so every copy honours them.
    let mut server = Server::start(bin, &template);
    let cookies = cookies(&server, &committee.voters);
    assert!(server.stop(), "unclean stop:\n{}", server.log());
    drop(server);
    let ballots: usize = committee.electorate.iter().sum();
    let points: Vec<usize> = [1, 8, 20, 35, 50, 65, 80, 95]
        .iter()
        .map(|p| ballots * p / 100)
        .map(|n| n.max(1))
        .collect();
    let mut out = format!(
        "\n### SIGKILL during the secret ballot ({engine})\n\n\
         The demo committee with thirty more reviewers: {} members vote on two candidates ({} \
         ballots), all at once; the server is killed with SIGKILL once the given number of \
         ballots has been acknowledged (HTTP 200), on a fresh copy of the database each time. \
         Then `ladder check`, and everyone sends every ballot again to a restarted server.\n\n\
         | killed after | acknowledged | recorded after the kill | acknowledged but missing | `ladder check` | refused again as cast | counted in the end | voters in the end | electorate |\n\
         |---:|---:|---:|---:|---|---:|---:|---:|---:|\n",
        committee.voters.len(),
        ballots
    );
    for &kill_after in &points {
        let url = store.copy("vote_template", "vote_run");
        let mut server = Server::start(bin, &url);
        let (tx, rx) = channel();
        let (addr, c, k) = (server.addr.clone(), committee.clone(), cookies.clone());
        let voting = std::thread::spawn(move || vote_all(&addr, &c, &k, Some(tx)));
        let mut acked = 0;
        while acked < kill_after && rx.recv().is_ok() {
            acked += 1;
        }
        server.kill9();
        let answers = voting.join().expect("voters");
        drop(server);
        let acknowledged: Vec<(usize, i64)> = answers
            .iter()
            .filter(|a| a.2 == 200)
            .map(|a| (a.0, a.1))
            .collect();
        let check = ladder_check(bin, &url);
        let after_kill = rt.block_on(async {
            let db = open(&url).await;
            let t = tallies(&db, committee.apps).await;
            // Every acknowledged ballot's voter is recorded as having voted.
            let mut missing = 0;
            for &(v, id) in &acknowledged {
                let login = &committee.voters[v].0;
                let user = ladder::db::people::user_by_login(&db, login)
                    .await
                    .expect("user")
                    .expect("voter")
                    .id;
                let recorded: i64 = ladder::on_db!(&db, c => sqlx::query_scalar(
                    "SELECT COUNT(*) FROM ballot_voters WHERE application_id = $1 AND user_id = $2",
                ).bind(id).bind(user).fetch_one(c).await)
                .expect("voter row");
                if recorded != 1 {
                    missing += 1;
                }
            }
            db.close().await;
            (t, missing)
        });
        let (t, missing) = after_kill;
        // Everyone again, on a restarted server.
        let mut server = Server::start(bin, &url);
        let again = vote_all(&server.addr, &committee, &cookies, None);
        assert!(server.stop(), "unclean stop:\n{}", server.log());
        drop(server);
        let refused_acked = again
            .iter()
            .filter(|a| acknowledged.contains(&(a.0, a.1)))
            .filter(|a| a.2 != 200 && a.2 != 0 && a.2 < 500)
            .count();
        let failed_again = again.iter().filter(|a| a.2 == 0 || a.2 >= 500).count();
        let (end, decrypted) = rt.block_on(async {
            let db = open(&url).await;
            let t = tallies(&db, committee.apps).await;
            // The chair's count: the sums decrypt to one yes per voter.
            let chair = ladder::db::people::user_by_login(&db, "chair")
                .await
                .expect("chair")
                .expect("the demo chair");
            let who = Actor {
                user_id: Some(chair.id),
                label: chair.username,
            };
            let mut decrypted = [0i64; 2];
            for (k, id) in committee.apps.into_iter().enumerate() {
                if meeting::certify(&db, &keys(), &who, |_| true, id, clock::now())
                    .await
                    .is_ok()
                {
                    let row = ladder::db::ballot::tally(&db, id)
                        .await
                        .expect("tally")
                        .expect("counted");
                    decrypted[k] = i64::from(row.yes);
                }
            }
            db.close().await;
            (t, decrypted)
        });
        let check_end = ladder_check(bin, &url);
        eprintln!(
            "kill after {kill_after}: {} acknowledged, {missing} missing, check {}, end {:?}/{:?}",
            acknowledged.len(),
            check.is_ok(),
            end.counted,
            end.voted
        );
        verdict.require(check.is_ok() && check_end.is_ok(), || {
            format!("{engine} vote killed after {kill_after}: {check:?} / {check_end:?}")
        });
        verdict.require(missing == 0, || {
            format!(
                "{engine} vote killed after {kill_after}: {missing} acknowledged ballots missing"
            )
        });
        verdict.require(t.counted == t.voted, || {
            format!(
                "{engine} vote killed after {kill_after}: tallies {:?} ≠ voters {:?}",
                t.counted, t.voted
            )
        });
        verdict.require(refused_acked == acknowledged.len(), || {
            format!(
                "{engine} vote killed after {kill_after}: only {refused_acked} of {} acknowledged ballots refused the second time",
                acknowledged.len()
            )
        });
        verdict.require(failed_again == 0, || {
            format!("{engine} vote killed after {kill_after}: {failed_again} failures on the restarted server")
        });
        for (k, yes) in decrypted.iter().enumerate() {
            let electorate = committee.electorate[k] as i64;
            verdict.require(
                end.counted[k] == electorate && end.voted[k] == electorate && *yes == electorate,
                || {
                    format!(
                        "{engine} vote killed after {kill_after}: candidate {k}: {} ballots stored, {yes} yes decrypted, of {electorate} voters ({} recorded)",
                        end.counted[k], end.voted[k]
                    )
                },
            );
        }
        out.push_str(&format!(
            "| {kill_after} | {} | {} | {missing} | {} | {refused_acked} | {} | {} | {} |\n",
            acknowledged.len(),
            t.voted[0] + t.voted[1],
            if check.is_ok() && check_end.is_ok() {
                "clean"
            } else {
                "**failed**"
            },
            end.counted[0] + end.counted[1],
            end.voted[0] + end.voted[1],
            ballots
        ));
    }
    out
}

fn crowd_scenario(bin: &Path, store: &Store, verdict: &mut Verdict) -> String {
    let engine = store.engine.name();
    eprintln!("== crowd ({engine}): template");
    let url = store.empty("crowd");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let db = rt.block_on(open(&url));
    let committee = rt.block_on(committee(&db, false));
    let mut server = Server::start(bin, &url);
    let scorer_cookies = cookies(&server, &committee.scorers);

    // Every reviewer sends every sheet and defense score at the same moment.
    let start = Arc::new(Barrier::new(committee.scorers.len()));
    let t = Instant::now();
    let threads: Vec<_> = committee
        .scorers
        .iter()
        .enumerate()
        .map(|(i, (_, apps_))| {
            let (start, addr) = (start.clone(), server.addr.clone());
            let (cookie, apps_) = (scorer_cookies[i].clone(), apps_.clone());
            std::thread::spawn(move || {
                start.wait();
                let mut answers = Vec::new();
                for id in apps_ {
                    answers.push(post_form(
                        &addr,
                        "/api/submit_score",
                        &sheet_form(id),
                        &cookie,
                    ));
                    answers.push(post_form(
                        &addr,
                        "/api/submit_defense_score",
                        &format!("id={id}&score=80&comment="),
                        &cookie,
                    ));
                }
                answers
            })
        })
        .collect();
    let scored: Vec<(u16, String)> = threads
        .into_iter()
        .flat_map(|t| t.join().expect("scorer"))
        .collect();
    let scoring_secs = t.elapsed().as_secs_f64();

    // The secretariat ends the review and opens the meeting; then everyone votes at once.
    let mut committee = committee;
    rt.block_on(open_meeting(&db, &mut committee));
    let voter_cookies = cookies(&server, &committee.voters);
    let t = Instant::now();
    let voted = vote_all(&server.addr, &committee, &voter_cookies, None);
    let voting_secs = t.elapsed().as_secs_f64();
    let stopped = server.stop();
    let log = server.log();
    drop(server);
    let end = rt.block_on(async {
        let t = tallies(&db, committee.apps).await;
        db.close().await;
        t
    });
    let check = ladder_check(bin, &url);

    let not_ok = |answers: &[(u16, String)]| answers.iter().filter(|a| a.0 != 200).count();
    let votes: Vec<(u16, String)> = voted.iter().map(|a| (a.2, a.3.clone())).collect();
    let locked_answers = scored
        .iter()
        .chain(votes.iter())
        .filter(|a| a.1.to_ascii_lowercase().contains("locked"))
        .count();
    let locked_log = log.lines().filter(|l| l.contains("locked")).count();
    let errors_log = log.lines().filter(|l| l.contains("ERROR")).count();
    let sheets_expected: Vec<i64> = committee
        .apps
        .iter()
        .map(|id| {
            committee
                .scorers
                .iter()
                .filter(|(_, a)| a.contains(id))
                .count() as i64
        })
        .collect();
    verdict.require(not_ok(&scored) == 0 && not_ok(&votes) == 0, || {
        let mut bad: Vec<String> = scored
            .iter()
            .chain(votes.iter())
            .filter(|a| a.0 != 200)
            .take(3)
            .map(|a| a.1.clone())
            .collect();
        bad.dedup();
        format!("{engine} crowd: answers other than 200: {bad:?}")
    });
    verdict.require(locked_answers == 0 && locked_log == 0 && errors_log == 0, || {
        format!("{engine} crowd: {locked_answers} answers and {locked_log} log lines say locked; {errors_log} errors logged")
    });
    verdict.require(stopped, || format!("{engine} crowd: unclean stop"));
    verdict.require(check.is_ok(), || format!("{engine} crowd: {check:?}"));
    for (k, expected) in sheets_expected.iter().enumerate() {
        verdict.require(end.sheets[k] == *expected, || {
            format!("{engine} crowd: {} sheets of {expected}", end.sheets[k])
        });
        verdict.require(
            end.counted[k] == committee.electorate[k] as i64 && end.voted[k] == end.counted[k],
            || {
                format!(
                    "{engine} crowd: tally {} / voters {} / electorate {}",
                    end.counted[k], end.voted[k], committee.electorate[k]
                )
            },
        );
    }
    format!(
        "\n### Thirty reviewers at once ({engine})\n\n\
         | step | people at once | requests | answered 200 | \"locked\" in answers / log | errors logged | wall time s | stored | expected | `ladder check` |\n\
         |---|---:|---:|---:|---|---:|---:|---:|---:|---|\n\
         | score sheets and defense scores | {} | {} | {} | {locked_answers} / {locked_log} | {errors_log} | {scoring_secs:.2} | {} sheets | {} | {} |\n\
         | secret ballot | {} | {} | {} | | | {voting_secs:.2} | {} ballots | {} | |\n",
        committee.scorers.len(),
        scored.len(),
        scored.len() - not_ok(&scored),
        end.sheets[0] + end.sheets[1],
        sheets_expected.iter().sum::<i64>(),
        if check.is_ok() { "clean" } else { "**failed**" },
        committee.voters.len(),
        votes.len(),
        votes.len() - not_ok(&votes),
        end.counted[0] + end.counted[1],
        committee.electorate.iter().sum::<usize>(),
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(bin), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: faults LADDER_BIN WORKDIR [sqlite|postgres|all] [import|vote|crowd|all]");
        std::process::exit(2);
    };
    let bin = std::fs::canonicalize(bin).expect("the ladder binary");
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("workdir");
    let dir = std::fs::canonicalize(dir).expect("workdir");
    let engines = match args.get(2).map_or("all", String::as_str) {
        "sqlite" => vec![Engine::Sqlite],
        "postgres" => vec![Engine::Postgres],
        _ => vec![Engine::Sqlite, Engine::Postgres],
    };
    let which = args.get(3).map_or("all", String::as_str).to_string();
    let pg_admin = std::env::var("PG_ADMIN")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let mut verdict = Verdict::default();
    // Each section as soon as it is done.
    let report = |section: String| println!("{section}");
    for engine in engines {
        let store = Store {
            engine,
            dir: dir.clone(),
            pg_admin: pg_admin.clone(),
        };
        if which == "all" || which == "import" {
            report(import_scenario(&bin, &store, &mut verdict));
        }
        if which == "all" || which == "vote" {
            report(vote_scenario(&bin, &store, &mut verdict));
        }
        if which == "all" || which == "crowd" {
            report(crowd_scenario(&bin, &store, &mut verdict));
        }
    }
    if verdict.failures.is_empty() {
        println!("\nEvery invariant held.");
    } else {
        println!("\n**{} invariants failed:**\n", verdict.failures.len());
        for f in &verdict.failures {
            println!("- {f}");
        }
        std::process::exit(1);
    }
}
