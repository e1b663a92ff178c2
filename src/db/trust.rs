//! The server keys a database has been used with, and the audit chain's signed checkpoints
//! (0015). Only public halves and signatures are stored here; the secrets stay in the key file.

use super::{Db, DbResult, Tx, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};

/// A key set as the database knows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct KeyRow {
    pub id: String,
    pub public_key: String,
    pub first_used: DateTime<Utc>,
    pub current: bool,
}

pub async fn keys(db: &Db) -> DbResult<Vec<KeyRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, KeyRow>(
        "SELECT id, public_key, first_used, current FROM server_keys ORDER BY first_used, id",
    ).fetch_all(c).await))
}

/// Records `id` as the current key (every other one no longer current).
pub async fn make_current(
    tx: &mut Tx,
    id: &str,
    public_key: &str,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query("UPDATE server_keys SET current = FALSE WHERE id <> $1")
        .bind(id).execute(c).await.map(|r| r.rows_affected())))?;
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO server_keys (id, public_key, first_used, current) VALUES ($1, $2, $3, TRUE)
         ON CONFLICT (id) DO UPDATE SET current = TRUE",
    ).bind(id).bind(public_key).bind(at).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

/// A signed head of the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct CheckpointRow {
    pub seq: i64,
    pub last_id: i64,
    pub head: String,
    pub at: DateTime<Utc>,
    pub reason: String,
    pub key_id: String,
    pub signature: String,
}

/// The number the next checkpoint gets (call under the audit log's lock).
pub async fn next_seq(tx: &mut Tx) -> DbResult<i64> {
    let max: Option<i64> = on_tx!(tx, c => ok(sqlx::query_scalar(
        "SELECT MAX(seq) FROM audit_checkpoints",
    ).fetch_one(c).await))?;
    Ok(max.unwrap_or(0) + 1)
}

pub async fn insert_checkpoint(tx: &mut Tx, cp: &CheckpointRow) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO audit_checkpoints (seq, last_id, head, at, reason, key_id, signature)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(cp.seq).bind(cp.last_id).bind(&cp.head).bind(cp.at).bind(&cp.reason)
    .bind(&cp.key_id).bind(&cp.signature)
    .execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

const SELECT: &str =
    "SELECT seq, last_id, head, at, reason, key_id, signature FROM audit_checkpoints";

/// Every checkpoint, oldest first.
pub async fn checkpoints(db: &Db) -> DbResult<Vec<CheckpointRow>> {
    let sql = format!("{SELECT} ORDER BY seq");
    on_db!(db, c => ok(sqlx::query_as::<_, CheckpointRow>(sqlx::AssertSqlSafe(sql)).fetch_all(c).await))
}

/// The newest checkpoint.
pub async fn latest_checkpoint(db: &Db) -> DbResult<Option<CheckpointRow>> {
    let sql = format!("{SELECT} ORDER BY seq DESC LIMIT 1");
    on_db!(db, c => ok(sqlx::query_as::<_, CheckpointRow>(sqlx::AssertSqlSafe(sql)).fetch_optional(c).await))
}
