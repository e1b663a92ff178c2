//! The append-only, hash-chained audit log. [`append`] runs inside the caller's transaction, so
//! a change and its audit row commit together or not at all.

use super::{DbResult, Tx, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use sqlx::AssertSqlSafe;

use super::Db;

/// The hash the first row chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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
    if let Tx::Postgres(t) = tx {
        ok(sqlx::query("SELECT pg_advisory_xact_lock(7301)")
            .execute(&mut **t)
            .await)?;
    }
    let prev: Option<String> = on_tx!(tx, c => ok(sqlx::query_scalar(
        "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetch_optional(c).await))?;
    let prev = prev.unwrap_or_else(|| GENESIS.to_string());
    let hash = row_hash(&prev, at, actor, &change);
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, actor_label, action, entity_type, entity_id,
                                before_summary, after_summary, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
    .execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

const SELECT: &str = "SELECT id, at, actor_user_id, actor_label, action, entity_type, entity_id,
    before_summary, after_summary, prev_hash, hash FROM audit_log";

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

/// Where the chain breaks, if it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainCheck {
    Intact { rows: i64 },
    Broken { row_id: i64 },
}

/// Recomputes every row's hash from its contents and its predecessor.
pub async fn verify_chain(db: &Db) -> DbResult<ChainCheck> {
    let sql = format!("{SELECT} ORDER BY id");
    let rows: Vec<AuditRow> =
        on_db!(db, p => ok(sqlx::query_as::<_, AuditRow>(AssertSqlSafe(sql)).fetch_all(p).await))?;
    let mut prev = GENESIS.to_string();
    for row in &rows {
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
        if row.prev_hash != prev || row_hash(&prev, row.at, &actor, &change) != row.hash {
            return Ok(ChainCheck::Broken { row_id: row.id });
        }
        prev = row.hash.clone();
    }
    Ok(ChainCheck::Intact {
        rows: rows.len() as i64,
    })
}
