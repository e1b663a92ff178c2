//! The append-only, hash-chained audit log. [`append`] runs inside the caller's transaction, so
//! a change and its audit row commit together or not at all.

use super::{DbError, DbResult, Tx, TxConn, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use sqlx::AssertSqlSafe;

use super::Db;

/// The hash the first row chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The keys of the audit log, held outside the database (the server's keyring implements it):
/// rows are authenticated with a MAC, the chain's head is signed into checkpoints, and a
/// signed checkpoint is also written to a file outside the database.
pub trait AuditKeys: Send + Sync + std::fmt::Debug {
    /// The id of the key new rows are authenticated and heads signed with.
    fn current_id(&self) -> &str;
    /// HMAC-SHA-256 of `data` under key `key_id`; `None` when this keyring does not hold it.
    fn mac(&self, key_id: &str, data: &[u8]) -> Option<[u8; 32]>;
    /// An Ed25519 signature of `message` with the current key.
    fn sign(&self, message: &[u8]) -> [u8; 64];
    /// Where signed checkpoints are also appended, if anywhere.
    fn checkpoint_file(&self) -> Option<&std::path::Path>;
}

/// The MAC of a row: over its chain hash, which covers its contents and every row before it.
pub fn row_mac(key: &dyn AuditKeys, key_id: &str, hash: &str) -> Option<String> {
    key.mac(key_id, hash.as_bytes()).map(hex::encode)
}

/// Who did something: a signed-in user, or the command line / system with a label.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub label: String,
}

impl Actor {
    pub fn system(label: &str) -> Actor {
        Actor {
            user_id: None,
            label: label.to_string(),
        }
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub before_summary: Option<String>,
    pub after_summary: Option<String>,
    pub prev_hash: String,
    pub hash: String,
    /// The key the row's MAC was made with; `None` for rows from before migration 0015.
    pub key_id: Option<String>,
    pub mac: Option<String>,
}

/// Filters for browsing; empty strings mean "any".
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: String,
    pub entity_type: String,
    pub actor: String,
    pub limit: i64,
    pub offset: i64,
}

fn field(h: &mut Sha256, value: Option<&str>) {
    // Length-prefixed, so no choice of field contents can make two rows hash alike.
    match value {
        None => h.update(b"-"),
        Some(v) => {
            h.update(v.len().to_string().as_bytes());
            h.update(b":");
            h.update(v.as_bytes());
        }
    }
}

/// The hash of a row given the previous row's hash.
pub fn row_hash(prev_hash: &str, at: DateTime<Utc>, actor: &Actor, change: &Change<'_>) -> String {
    let mut h = Sha256::new();
    field(&mut h, Some(prev_hash));
    field(
        &mut h,
        Some(&at.to_rfc3339_opts(SecondsFormat::Micros, true)),
    );
    field(&mut h, actor.user_id.map(|id| id.to_string()).as_deref());
    field(&mut h, Some(&actor.label));
    field(&mut h, Some(change.action));
    field(&mut h, Some(change.entity_type));
    field(&mut h, Some(&change.entity_id));
    field(&mut h, change.before.as_deref());
    field(&mut h, change.after.as_deref());
    hex::encode(h.finalize())
}

/// Appends one row inside `tx`. On PostgreSQL a transaction-scoped advisory lock serialises
/// appenders so two transactions cannot chain to the same previous row; SQLite's
/// `BEGIN IMMEDIATE` already does.
pub async fn append(
    tx: &mut Tx,
    at: DateTime<Utc>,
    actor: &Actor,
    change: Change<'_>,
) -> DbResult<()> {
    // Without the server's key no row is written: a row without a MAC would be one anyone
    // with write access to the database could have forged.
    let key = tx.chain.clone().ok_or(DbError::NoAuditKey)?;
    let (_, prev) = lock_head(tx).await?;
    let hash = row_hash(&prev, at, actor, &change);
    let key_id = key.current_id().to_string();
    let mac = row_mac(key.as_ref(), &key_id, &hash).ok_or(DbError::NoAuditKey)?;
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, actor_label, action, entity_type, entity_id,
                                before_summary, after_summary, prev_hash, hash, key_id, mac)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(at)
    .bind(actor.user_id)
    .bind(&actor.label)
    .bind(change.action)
    .bind(change.entity_type)
    .bind(&change.entity_id)
    .bind(&change.before)
    .bind(&change.after)
    .bind(&prev)
    .bind(&hash)
    .bind(&key_id)
    .bind(&mac)
    .execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

/// Takes the log's append lock for the rest of `tx` and returns its head: the newest row's id
/// and hash (0 and [`GENESIS`] when empty). On PostgreSQL a transaction-scoped advisory lock
/// serialises appenders (and checkpoints) so two cannot chain to the same row; SQLite's
/// `BEGIN IMMEDIATE` already does.
pub async fn lock_head(tx: &mut Tx) -> DbResult<(i64, String)> {
    if let TxConn::Postgres(t) = &mut tx.conn {
        ok(sqlx::query("SELECT pg_advisory_xact_lock(7301)")
            .execute(&mut **t)
            .await)?;
    }
    let head: Option<(i64, String)> = on_tx!(tx, c => ok(sqlx::query_as(
        "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetch_optional(c).await))?;
    Ok(head.unwrap_or_else(|| (0, GENESIS.to_string())))
}

const SELECT: &str = "SELECT id, at, actor_user_id, actor_label, action, entity_type, entity_id,
    before_summary, after_summary, prev_hash, hash, key_id, mac FROM audit_log";

/// Newest first, filtered.
pub async fn list(db: &Db, f: &AuditFilter) -> DbResult<(Vec<AuditRow>, i64)> {
    let filter = "WHERE ($1 = '' OR action = $1) AND ($2 = '' OR entity_type = $2)
                  AND ($3 = '' OR lower(actor_label) LIKE '%' || $3 || '%' ESCAPE '!')";
    let rows_sql = format!("{SELECT} {filter} ORDER BY id DESC LIMIT $4 OFFSET $5");
    let count_sql = format!("SELECT COUNT(*) FROM audit_log {filter}");
    // Matched as a substring ignoring case on both engines; the user's % and _ are literal.
    let actor: String = f
        .actor
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '!' | '%' | '_' => vec!['!', c],
            c => vec![c],
        })
        .collect();
    on_db!(db, p => {
        let rows = ok(sqlx::query_as::<_, AuditRow>(AssertSqlSafe(rows_sql))
            .bind(&f.action).bind(&f.entity_type).bind(&actor)
            .bind(f.limit).bind(f.offset)
            .fetch_all(p).await)?;
        let total: i64 = ok(sqlx::query_scalar(AssertSqlSafe(count_sql))
            .bind(&f.action).bind(&f.entity_type).bind(&actor)
            .fetch_one(p).await)?;
        Ok((rows, total))
    })
}

/// The distinct actions and entity types, for the filter menus.
pub async fn facets(db: &Db) -> DbResult<(Vec<String>, Vec<String>)> {
    on_db!(db, p => {
        let actions = ok(sqlx::query_scalar("SELECT DISTINCT action FROM audit_log ORDER BY action")
            .fetch_all(p).await)?;
        let types = ok(sqlx::query_scalar("SELECT DISTINCT entity_type FROM audit_log ORDER BY entity_type")
            .fetch_all(p).await)?;
        Ok((actions, types))
    })
}

/// What the audit page names an entity by, for some of `ids` of `entity_type`: a person's or
/// user's name (and login), a record's kind, an application's candidate, a session's, cohort's,
/// base's or committee's code. Types without a name here are shown by their id.
pub async fn references(
    db: &Db,
    entity_type: &str,
    ids: &[i64],
) -> DbResult<Vec<(i64, String, Option<String>)>> {
    let (from, alias) = match entity_type {
        "user" => (
            "SELECT u.id, p.name, u.username FROM users u JOIN people p ON p.id = u.person_id",
            "u",
        ),
        "person" => ("SELECT p.id, p.name, NULL AS extra FROM people p", "p"),
        "record" => ("SELECT r.id, r.kind, NULL AS extra FROM records r", "r"),
        "application" => (
            "SELECT a.id, p.name, s.code FROM applications a JOIN people p ON p.id = a.person_id
             JOIN review_sessions s ON s.id = a.session_id",
            "a",
        ),
        "review_session" => (
            "SELECT s.id, s.code, NULL AS extra FROM review_sessions s",
            "s",
        ),
        "cohort" => ("SELECT k.id, k.code, NULL AS extra FROM cohorts k", "k"),
        "training_base" => (
            "SELECT b.id, b.code, NULL AS extra FROM training_bases b",
            "b",
        ),
        "committee" => ("SELECT m.id, m.code, NULL AS extra FROM committees m", "m"),
        _ => return Ok(Vec::new()),
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{from} WHERE {alias}.id IN ({})",
        super::imports::placeholders(1, ids.len())
    );
    on_db!(db, p => {
        let mut q = sqlx::query_as::<_, (i64, String, Option<String>)>(AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(id);
        }
        ok(q.fetch_all(p).await)
    })
}

use crate::domain::audit::AuditProblem;

/// What the chain is checked against.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChainTrust<'a> {
    /// Signed heads whose signatures the caller has verified: (seq, last row id, its hash).
    pub checkpoints: &'a [(i64, i64, String)],
    /// The anchor: rows after this id must carry a MAC.
    pub anchor: Option<i64>,
    /// The key to check MACs with; `None` checks only what a public key can (an auditor).
    pub key: Option<&'a dyn AuditKeys>,
}

/// The chain as found: its length, head and problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub rows: i64,
    pub last_id: i64,
    pub head: String,
    /// Rows whose MAC was checked.
    pub macs: i64,
    pub problems: Vec<AuditProblem>,
}

/// Rows are read in pages of this many, so a long log is checked in bounded memory.
const CHAIN_PAGE: i64 = 5000;

/// Recomputes every row's hash from its contents and its predecessor, checks MACs when given
/// the key, and compares the chain with the signed checkpoints.
pub async fn verify_chain(db: &Db, trust: ChainTrust<'_>) -> DbResult<ChainReport> {
    let sql = format!("{SELECT} WHERE id > $1 ORDER BY id LIMIT $2");
    let mut report = ChainReport {
        rows: 0,
        last_id: 0,
        head: GENESIS.to_string(),
        macs: 0,
        problems: Vec::new(),
    };
    let mut found: std::collections::BTreeMap<i64, String> = Default::default();
    let wanted: std::collections::BTreeSet<i64> = trust.checkpoints.iter().map(|c| c.1).collect();
    loop {
        let rows: Vec<AuditRow> = on_db!(db, p => ok(sqlx::query_as::<_, AuditRow>(AssertSqlSafe(sql.clone()))
            .bind(report.last_id).bind(CHAIN_PAGE).fetch_all(p).await))?;
        let Some(last) = rows.last() else { break };
        let next_after = last.id;
        for row in &rows {
            let prev = std::mem::take(&mut report.head);
            check_row(row, &prev, trust, &mut report);
            if wanted.contains(&row.id) {
                found.insert(row.id, row.hash.clone());
            }
            report.rows += 1;
            report.head = row.hash.clone();
            report.last_id = row.id;
        }
        report.last_id = next_after;
    }
    for (seq, last_id, head) in trust.checkpoints {
        let matches = if *last_id == 0 {
            head == GENESIS
        } else {
            found.get(last_id) == Some(head)
        };
        if !matches {
            report.problems.push(AuditProblem::CheckpointMismatch {
                seq: *seq,
                row: *last_id,
            });
        }
    }
    Ok(report)
}

fn check_row(row: &AuditRow, prev: &str, trust: ChainTrust<'_>, report: &mut ChainReport) {
    let actor = Actor {
        user_id: row.actor_user_id,
        label: row.actor_label.clone(),
    };
    let change = Change {
        action: &row.action,
        entity_type: &row.entity_type,
        entity_id: row.entity_id.clone(),
        before: row.before_summary.clone(),
        after: row.after_summary.clone(),
    };
    if row.prev_hash != prev || row_hash(prev, row.at, &actor, &change) != row.hash {
        report.problems.push(AuditProblem::Broken { row: row.id });
    }
    match (&row.key_id, &row.mac) {
        (Some(key_id), Some(mac)) => {
            if let Some(key) = trust.key {
                match row_mac(key, key_id, &row.hash) {
                    Some(expected) if &expected == mac => report.macs += 1,
                    Some(_) => report.problems.push(AuditProblem::BadMac { row: row.id }),
                    None => report.problems.push(AuditProblem::UnknownKey {
                        row: row.id,
                        key: key_id.clone(),
                    }),
                }
            }
        }
        _ if trust.anchor.is_some_and(|a| row.id > a) => {
            report
                .problems
                .push(AuditProblem::MissingMac { row: row.id });
        }
        _ => {}
    }
}
