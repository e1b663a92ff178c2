//! Issue 20's attack on the secret ballot, tried the way someone with a copy of the database's
//! files would: every state the database passed through while the committee voted is rebuilt
//! (SQLite: the write-ahead log replayed commit by commit, with automatic checkpoints off while
//! capturing; PostgreSQL: every row version still on the heap pages with the transaction that
//! wrote it, read with `pageinspect`), and for each transaction that wrote a member's "has voted"
//! mark we look at everything else it wrote.
//!
//! Each test first shows that it catches the write pattern of the running counter this design
//! replaced (the member's mark and the tally's +1 in one transaction), so neither a vacuum nor a
//! checkpoint can make it pass by accident; then that no real vote's transaction reveals the
//! choice or differs in shape between choices; then that once the last sum is decrypted the
//! meeting's sealed key is nowhere in the database's files.

use super::ballot::{awaiting_vote, sitting};
use super::*;
use ladder::db::{Pool, ballot as ballots, panels};
use std::collections::{BTreeMap, BTreeSet};

/// (member, candidate, choice) as voted.
type Cast = (i64, i64, &'static str);
/// (yes, no, abstain).
type Counts = (i64, i64, i64);
/// A row version's columns, as bytes (None: NULL).
type Attrs = Vec<Option<Vec<u8>>>;
/// A log's commits: each the frames (page number, page) up to its commit frame.
type Commits = Vec<Vec<(u32, Vec<u8>)>>;

/// What one transaction wrote, as an attacker reads it: the "has voted" marks it added and the
/// change it made to each candidate's counts.
#[derive(Debug, Default)]
struct Write {
    marks: Vec<(i64, i64)>,
    /// candidate → (yes, no, abstain) after minus before.
    counts: BTreeMap<i64, (i64, i64, i64)>,
    /// Everything else: (table, rows added or changed, bytes of those rows), for the shape
    /// comparison between choices.
    shape: BTreeMap<String, (i64, usize)>,
    /// Text written to the audit log in this transaction.
    audit: Vec<String>,
}

/// The attack: a transaction that adds one member's mark and moves one count names that
/// member's choice.
fn guess(w: &Write) -> Option<(i64, i64, &'static str)> {
    let [(member, candidate)] = w.marks[..] else {
        return None;
    };
    match w.counts.get(&candidate)? {
        (1, 0, 0) => Some((member, candidate, "yes")),
        (0, 1, 0) => Some((member, candidate, "no")),
        (0, 0, 1) => Some((member, candidate, "abstain")),
        _ => None,
    }
}

/// Holds for every vote's transaction: nothing in it names the choice, its shape is the same
/// whatever was chosen, and no count moved while the ballot was open.
fn assert_unlinkable(writes: &[Write], cast: &[Cast], legacy: Cast) {
    // The detector works: the old pattern, written once on purpose, is caught and read right.
    let caught: Vec<_> = writes.iter().filter_map(guess).collect();
    assert_eq!(
        caught,
        vec![legacy],
        "the running counter's pattern is detected"
    );

    let votes: Vec<&Write> = writes
        .iter()
        .filter(|w| w.marks.len() == 1 && guess(w).is_none())
        .collect();
    assert_eq!(votes.len(), cast.len(), "one transaction per ballot cast");
    let mut shapes: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for w in &votes {
        let (member, candidate) = w.marks[0];
        let &(_, _, choice) = cast
            .iter()
            .find(|(m, c, _)| (*m, *c) == (member, candidate))
            .expect("a mark belongs to a ballot cast");
        assert!(
            w.counts.values().all(|d| *d == (0, 0, 0)),
            "no count moves while voting: {w:?}"
        );
        for text in &w.audit {
            for word in [
                "\"yes\"",
                "\"no\"",
                "\"abstain\"",
                "赞成",
                "反对",
                "弃权",
                "choice",
            ] {
                assert!(
                    !text.contains(word),
                    "the audit row names no choice: {text}"
                );
            }
        }
        shapes
            .entry(choice)
            .or_default()
            .insert(format!("{:?}", w.shape));
    }
    // Yes, no and abstain were all cast, and each wrote exactly one and the same shape.
    assert_eq!(shapes.len(), 3, "{shapes:?}");
    let all: BTreeSet<&String> = shapes.values().flatten().collect();
    assert_eq!(
        all.len(),
        1,
        "a vote's writes differ with its choice: {shapes:?}"
    );
}

/// The meeting for 陈晓明 and 林静, opened with every member present; the members who may vote
/// on each (recused members left out). Returns (meeting, chen, lin, chen's voters, lin's voters).
async fn opened(db: &Db) -> (i64, i64, i64, Vec<i64>, Vec<i64>) {
    let (session, chen, lin) = awaiting_vote(db).await;
    let members = sitting(db, session).await;
    super::ballot::open_with_all(db, db, session, chen).await;
    let eligible = |recused: Vec<i64>| -> Vec<i64> {
        members
            .iter()
            .copied()
            .filter(|m| !recused.contains(m))
            .collect()
    };
    let recused = |app| async move {
        panels::conflicts(db, app)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.reviewer_id)
            .collect::<Vec<i64>>()
    };
    let meeting = ballots::tally(db, chen).await.unwrap().unwrap().meeting_id;
    (
        meeting,
        chen,
        lin,
        eligible(recused(chen).await),
        eligible(recused(lin).await),
    )
}

/// The votes: every choice several times on both candidates.
fn plan(chen: i64, lin: i64, on_chen: &[i64], on_lin: &[i64]) -> Vec<Cast> {
    const CHOICES: [&str; 3] = ["yes", "no", "abstain"];
    let mut cast = Vec::new();
    for (i, m) in on_chen.iter().enumerate() {
        cast.push((*m, chen, CHOICES[i % 3]));
    }
    for (i, m) in on_lin.iter().enumerate() {
        cast.push((*m, lin, CHOICES[(i + 1) % 3]));
    }
    cast
}

/// The old running counter's write, done once on purpose and undone: the member's mark and the
/// tally's +1 in one transaction.
async fn legacy_write(db: &Db, meeting: i64, candidate: i64, member: i64) -> Cast {
    let mut tx = db.begin_write().await.unwrap();
    ladder::on_tx!(&mut tx, c => {
        sqlx::query("INSERT INTO ballot_voters (meeting_id, application_id, user_id) VALUES ($1, $2, $3)")
            .bind(meeting).bind(candidate).bind(member).execute(&mut *c).await.unwrap();
        sqlx::query("UPDATE ballot_tallies SET no = no + 1 WHERE meeting_id = $1 AND application_id = $2")
            .bind(meeting).bind(candidate).execute(&mut *c).await.unwrap();
    });
    tx.commit().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    ladder::on_tx!(&mut tx, c => {
        sqlx::query("DELETE FROM ballot_voters WHERE meeting_id = $1 AND application_id = $2 AND user_id = $3")
            .bind(meeting).bind(candidate).bind(member).execute(&mut *c).await.unwrap();
        sqlx::query("UPDATE ballot_tallies SET no = no - 1 WHERE meeting_id = $1 AND application_id = $2")
            .bind(meeting).bind(candidate).execute(&mut *c).await.unwrap();
    });
    tx.commit().await.unwrap();
    (member, candidate, "no")
}

async fn sealed_key(db: &Db, meeting: i64) -> Option<Vec<u8>> {
    ladder::on_db!(db, c => sqlx::query_scalar("SELECT sealed FROM ballot_secrets WHERE meeting_id = $1")
        .bind(meeting).fetch_optional(c).await.unwrap())
}

/// Tables whose rows' sizes vary with who and when, never with what: the mark itself (the
/// member's id) and the audit log (ids, times and hashes).
fn unsized_table(table: &str) -> bool {
    matches!(table, "ballot_voters" | "audit_log")
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ---------------------------------------------------------------------------------------------
// SQLite: the write-ahead log, replayed commit by commit.

mod sqlite {
    use super::*;
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    use std::path::{Path, PathBuf};
    use std::str::FromStr;

    /// One state of the database as the attacker rebuilds it.
    #[derive(Debug, Default, Clone)]
    struct State {
        marks: BTreeSet<(i64, i64)>,
        counts: BTreeMap<i64, (i64, i64, i64)>,
        /// table → each row's text (rows in a stable order).
        rows: BTreeMap<String, BTreeSet<String>>,
        audit_max: i64,
        audit: Vec<(i64, String)>,
    }

    /// The commits in a write-ahead log file: for each, the frames (page number, page) up to
    /// and including its commit frame. The format is SQLite's documented one (walformat.html).
    fn commits(wal: &[u8]) -> (usize, Commits) {
        let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        assert!(wal.len() >= 32, "the log has a header");
        assert!(
            matches!(be(&wal[0..4]), 0x377f0682 | 0x377f0683),
            "a WAL file"
        );
        let page = be(&wal[8..12]) as usize;
        let salts = &wal[16..24];
        let mut out = Vec::new();
        let mut pending = Vec::new();
        let mut at = 32;
        while at + 24 + page <= wal.len() {
            let header = &wal[at..at + 24];
            if &header[8..16] != salts {
                break; // a frame of an earlier generation of the log
            }
            pending.push((be(&header[0..4]), wal[at + 24..at + 24 + page].to_vec()));
            if be(&header[4..8]) != 0 {
                out.push(std::mem::take(&mut pending));
            }
            at += 24 + page;
        }
        (page, out)
    }

    async fn read(path: &Path) -> State {
        let opts = SqliteConnectOptions::from_str(&format!("sqlite:{}", path.display()))
            .unwrap()
            .immutable(true)
            .read_only(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await
            .unwrap();
        let mut s = State::default();
        for (m, a) in
            sqlx::query_as::<_, (i64, i64)>("SELECT user_id, application_id FROM ballot_voters")
                .fetch_all(&pool)
                .await
                .unwrap()
        {
            s.marks.insert((m, a));
        }
        for (a, y, n, ab) in sqlx::query_as::<_, (i64, i64, i64, i64)>(
            "SELECT application_id, yes, no, abstain FROM ballot_tallies",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
        {
            s.counts.insert(a, (y, n, ab));
        }
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT LIKE '_sqlx%' ORDER BY name",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        for t in tables {
            // Each row as one text: every column, quoted.
            let cols: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                    .bind(&t)
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            let expr = cols
                .iter()
                .map(|c| format!("quote(\"{c}\")"))
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            let rows: Vec<String> =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT {expr} FROM \"{t}\"")))
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            s.rows.insert(t, rows.into_iter().collect());
        }
        s.audit = sqlx::query_as("SELECT id, action || ' ' || coalesce(before_summary, '') || ' ' || coalesce(after_summary, '') FROM audit_log ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
        s.audit_max = s.audit.last().map_or(0, |(id, _)| *id);
        pool.close().await;
        s
    }

    fn write(before: &State, after: &State) -> Write {
        let mut w = Write {
            marks: after.marks.difference(&before.marks).copied().collect(),
            ..Write::default()
        };
        for (a, (y, n, ab)) in &after.counts {
            let (y0, n0, ab0) = before.counts.get(a).copied().unwrap_or_default();
            w.counts.insert(*a, (y - y0, n - n0, ab - ab0));
        }
        for (t, rows) in &after.rows {
            let old = before.rows.get(t).cloned().unwrap_or_default();
            let new: Vec<&String> = rows.difference(&old).collect();
            if !new.is_empty() {
                let bytes = if unsized_table(t) {
                    0
                } else {
                    new.iter().map(|r| r.len()).sum()
                };
                w.shape.insert(t.clone(), (new.len() as i64, bytes));
            }
        }
        w.audit = after
            .audit
            .iter()
            .filter(|(id, _)| *id > before.audit_max)
            .map(|(_, t)| t.clone())
            .collect();
        w
    }

    /// Every state after each commit of `wal`, applied on `base`, in order.
    async fn replay(base: &[u8], wal: &[u8], dir: &Path) -> Vec<State> {
        let (page, commits) = commits(wal);
        let mut image = base.to_vec();
        let mut states = Vec::new();
        let file: PathBuf = dir.join("state.db");
        for frames in commits {
            for (no, data) in frames {
                let at = (no as usize - 1) * page;
                if image.len() < at + page {
                    image.resize(at + page, 0);
                }
                image[at..at + page].copy_from_slice(&data);
            }
            std::fs::write(&file, &image).unwrap();
            states.push(read(&file).await);
        }
        states
    }

    #[test]
    fn a_ballot_cannot_be_linked_by_replaying_the_log() {
        crate::common::run(async {
            let url = crate::common::sqlite_url();
            let path = PathBuf::from(url.trim_start_matches("sqlite:"));
            let db = crate::common::ready(Db::connect(&url).await.unwrap()).await;
            let (meeting, chen, lin, on_chen, on_lin) = opened(&db).await;

            // Capture: the votes go through connections that never checkpoint, so the log
            // keeps every commit; it starts empty, on a database file copied aside.
            let opts = SqliteConnectOptions::from_str(&url)
                .unwrap()
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(std::time::Duration::from_secs(5))
                .pragma("secure_delete", "on")
                .pragma("wal_autocheckpoint", "0");
            let capture = db.with_pool(Pool::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(4)
                    .connect_with(opts)
                    .await
                    .unwrap(),
            ));
            let Pool::Sqlite(p) = capture.pool() else {
                unreachable!()
            };
            let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(p)
                .await
                .unwrap();
            assert_eq!(busy, 0, "the log is emptied before capturing");
            let base = std::fs::read(&path).unwrap();

            let legacy = legacy_write(&capture, meeting, lin, on_lin[0]).await;
            let cast = plan(chen, lin, &on_chen, &on_lin);
            for (m, a, choice) in &cast {
                super::super::vote(&capture, *m, *a, choice).await.unwrap();
            }
            let wal_path = PathBuf::from(format!("{}-wal", path.display()));
            let wal = std::fs::read(&wal_path).unwrap();

            let dir = path.parent().unwrap().join(format!(
                "replay-{}",
                path.file_stem().unwrap().to_string_lossy()
            ));
            std::fs::create_dir_all(&dir).unwrap();
            let mut states = vec![
                read(&{
                    let f = dir.join("base.db");
                    std::fs::write(&f, &base).unwrap();
                    f
                })
                .await,
            ];
            states.extend(replay(&base, &wal, &dir).await);
            assert!(states.len() > cast.len() + 2, "every commit is in the log");
            let writes: Vec<Write> = states.windows(2).map(|s| write(&s[0], &s[1])).collect();
            assert_unlinkable(&writes, &cast, legacy);

            // The sealed key is in the files while the ballot is open (the search works)…
            let sealed = sealed_key(&capture, meeting)
                .await
                .expect("sealed while open");
            let files = |p: &Path| -> Vec<u8> {
                let mut all = std::fs::read(p).unwrap();
                all.extend(std::fs::read(format!("{}-wal", p.display())).unwrap_or_default());
                all
            };
            assert!(holds(&files(&path), &sealed));
            // …and gone from every page once the last sum is decrypted.
            for app in [chen, lin] {
                super::super::certify(&capture, app).await.unwrap();
            }
            assert_eq!(sealed_key(&capture, meeting).await, None);
            assert!(
                !holds(&files(&path), &sealed),
                "the erased key is in no page of the database or its log"
            );
            std::fs::remove_dir_all(&dir).unwrap();
        });
    }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: every row version on the heap pages, with the transaction that wrote it.

mod postgres {
    use super::*;

    /// A superuser's connection to the same database (pageinspect needs one).
    async fn admin(url: &str) -> sqlx::PgPool {
        let admin = std::env::var("PG_ADMIN")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let db = url.rsplit_once('/').unwrap().1;
        let server = admin.rsplit_once('/').unwrap().0;
        sqlx::PgPool::connect(&format!("{server}/{db}"))
            .await
            .expect("PG_ADMIN (a superuser) connects; pageinspect needs one")
    }

    /// Every version of every row of `table` still on its pages, dead or alive: (the
    /// transaction that wrote it, its columns' bytes).
    async fn versions(admin: &sqlx::PgPool, table: &str) -> Vec<(i64, Attrs)> {
        let pages: i64 = sqlx::query_scalar(
            "SELECT pg_relation_size($1::regclass) / current_setting('block_size')::bigint",
        )
        .bind(table)
        .fetch_one(admin)
        .await
        .unwrap();
        let mut out = Vec::new();
        for page in 0..pages {
            let rows: Vec<(Option<String>, Option<Attrs>)> = sqlx::query_as(
                "SELECT t_xmin::text, t_attrs FROM heap_page_item_attrs(get_raw_page($1, $2::int), $1::regclass)
                 WHERE t_xmin IS NOT NULL",
            )
            .bind(table)
            .bind(page)
            .fetch_all(admin)
            .await
            .unwrap();
            for (xmin, attrs) in rows {
                if let (Some(x), Some(a)) = (xmin, attrs) {
                    out.push((x.parse().unwrap(), a));
                }
            }
        }
        out
    }

    fn int8(b: &Option<Vec<u8>>) -> i64 {
        let b = b.as_ref().expect("not null");
        match b.len() {
            8 => i64::from_le_bytes(b[..8].try_into().unwrap()),
            4 => i32::from_le_bytes(b[..4].try_into().unwrap()).into(),
            n => panic!("an integer of {n} bytes"),
        }
    }

    /// The column positions of `names` in `table`.
    async fn positions(admin: &sqlx::PgPool, table: &str, names: &[&str]) -> Vec<usize> {
        let cols: Vec<String> = sqlx::query_scalar(
            "SELECT attname::text FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0
             ORDER BY attnum",
        )
        .bind(table)
        .fetch_all(admin)
        .await
        .unwrap();
        names
            .iter()
            .map(|n| cols.iter().position(|c| c == n).expect("column"))
            .collect()
    }

    async fn writes(admin: &sqlx::PgPool, meeting: i64) -> Vec<Write> {
        let mut by_tx: BTreeMap<i64, Write> = BTreeMap::new();
        let v = positions(
            admin,
            "ballot_voters",
            &["meeting_id", "application_id", "user_id"],
        )
        .await;
        for (x, a) in versions(admin, "ballot_voters").await {
            if int8(&a[v[0]]) == meeting {
                by_tx
                    .entry(x)
                    .or_default()
                    .marks
                    .push((int8(&a[v[2]]), int8(&a[v[1]])));
            }
        }
        // Each candidate's counts, version by version in the order the transactions wrote them.
        let t = positions(
            admin,
            "ballot_tallies",
            &["meeting_id", "application_id", "yes", "no", "abstain"],
        )
        .await;
        let mut counts: BTreeMap<i64, Vec<(i64, Counts)>> = BTreeMap::new();
        for (x, a) in versions(admin, "ballot_tallies").await {
            if int8(&a[t[0]]) == meeting {
                counts
                    .entry(int8(&a[t[1]]))
                    .or_default()
                    .push((x, (int8(&a[t[2]]), int8(&a[t[3]]), int8(&a[t[4]]))));
            }
        }
        for (app, mut versions) in counts {
            versions.sort();
            for pair in versions.windows(2) {
                let ((_, (y0, n0, a0)), (x, (y, n, a))) = (pair[0], pair[1]);
                by_tx
                    .entry(x)
                    .or_default()
                    .counts
                    .insert(app, (y - y0, n - n0, a - a0));
            }
        }
        // The shape of everything else each transaction wrote, and its audit text.
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '_sqlx%'",
        )
        .fetch_all(admin)
        .await
        .unwrap();
        for table in tables {
            for (x, attrs) in versions(admin, &table).await {
                let Some(w) = by_tx.get_mut(&x) else { continue };
                let bytes: usize = if unsized_table(&table) {
                    0
                } else {
                    attrs.iter().map(|a| a.as_ref().map_or(0, Vec::len)).sum()
                };
                let e = w.shape.entry(table.clone()).or_default();
                e.0 += 1;
                e.1 += bytes;
                if table == "audit_log" {
                    for a in attrs.iter().flatten() {
                        w.audit.push(String::from_utf8_lossy(a).into_owned());
                    }
                }
            }
        }
        by_tx.into_values().collect()
    }

    #[test]
    fn a_ballot_cannot_be_linked_from_the_heap_pages() {
        crate::common::run(async {
            let Some(url) = crate::common::postgres_url().await else {
                return;
            };
            let db = crate::common::ready(Db::connect(&url).await.unwrap()).await;
            let admin = admin(&url).await;
            sqlx::query("CREATE EXTENSION IF NOT EXISTS pageinspect")
                .execute(&admin)
                .await
                .unwrap();
            // No vacuum removes the versions the attacker reads (the test's own condition; the
            // attack works the same on whatever a vacuum leaves, the check would only see less).
            for table in ["ballot_voters", "ballot_tallies"] {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "ALTER TABLE {table} SET (autovacuum_enabled = off)"
                )))
                .execute(&admin)
                .await
                .unwrap();
            }
            let (meeting, chen, lin, on_chen, on_lin) = opened(&db).await;
            let legacy = legacy_write(&db, meeting, lin, on_lin[0]).await;
            let cast = plan(chen, lin, &on_chen, &on_lin);
            for (m, a, choice) in &cast {
                super::super::vote(&db, *m, *a, choice).await.unwrap();
            }
            let writes = writes(&admin, meeting).await;
            // The legacy write's undo has no mark of its own; the detector sees the +1 first.
            assert_unlinkable(&writes, &cast, legacy);

            // The sealed key is on the heap while the ballot is open (the search works)…
            let sealed = sealed_key(&db, meeting).await.expect("sealed while open");
            let on_pages = |rows: Vec<(i64, Attrs)>| {
                rows.iter()
                    .flat_map(|(_, a)| a.iter().flatten())
                    .any(|bytes| holds(bytes, &sealed))
            };
            assert!(on_pages(versions(&admin, "ballot_secrets").await));
            // …and on no page, as no version of any row, once the last sum is decrypted.
            for app in [chen, lin] {
                super::super::certify(&db, app).await.unwrap();
            }
            assert_eq!(sealed_key(&db, meeting).await, None);
            assert!(!on_pages(versions(&admin, "ballot_secrets").await));
            admin.close().await;
        });
    }
}
