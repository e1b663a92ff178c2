//! Stored ruleset versions (migration 0002): drafts, the active version per code, and the lock
//! that makes a version immutable once activated or referenced.

use super::{Db, DbResult, Tx, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RulesetRow {
    pub id: i64,
    pub code: String,
    pub version: i32,
    pub jurisdiction: String,
    pub name: String,
    pub sha256: String,
    pub status: String,
    pub imported_at: DateTime<Utc>,
    pub activated_at: Option<DateTime<Utc>>,
    pub locked_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str =
    "id, code, version, jurisdiction, name, sha256, status, imported_at, activated_at, locked_at";

/// Every version with its source, for the rulesets page (a handful of small files).
pub async fn list_with_sources(db: &Db) -> DbResult<Vec<(RulesetRow, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        row: RulesetRow,
        source: String,
    }
    let sql = format!("SELECT {COLUMNS}, source FROM rulesets ORDER BY code, version DESC");
    let rows: Vec<Row> = on_db!(db, c => ok(sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql.clone())).fetch_all(c).await))?;
    Ok(rows.into_iter().map(|r| (r.row, r.source)).collect())
}

pub async fn find(tx: &mut Tx, code: &str, version: i32) -> DbResult<Option<RulesetRow>> {
    let sql = format!("SELECT {COLUMNS} FROM rulesets WHERE code = $1 AND version = $2");
    on_tx!(tx, c => ok(sqlx::query_as::<_, RulesetRow>(sqlx::AssertSqlSafe(sql.clone()))
        .bind(code).bind(version).fetch_optional(c).await))
}

/// A new version or a replaced draft: what an import writes.
pub struct NewRuleset<'a> {
    pub code: &'a str,
    pub version: i32,
    pub jurisdiction: &'a str,
    pub name: &'a str,
    pub source: &'a str,
    pub sha256: &'a str,
}

pub async fn insert(tx: &mut Tx, r: &NewRuleset<'_>, at: DateTime<Utc>) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO rulesets (code, version, jurisdiction, name, source, sha256, imported_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(r.code).bind(r.version).bind(r.jurisdiction).bind(r.name).bind(r.source).bind(r.sha256).bind(at)
    .fetch_one(c).await))
}

/// Replaces a draft's content; a locked version is refused here and by the trigger.
pub async fn replace_draft(
    tx: &mut Tx,
    id: i64,
    r: &NewRuleset<'_>,
    at: DateTime<Utc>,
) -> DbResult<u64> {
    on_tx!(tx, c => ok(sqlx::query(
        "UPDATE rulesets SET jurisdiction = $1, name = $2, source = $3, sha256 = $4, imported_at = $5
         WHERE id = $6 AND locked_at IS NULL",
    )
    .bind(r.jurisdiction).bind(r.name).bind(r.source).bind(r.sha256).bind(at).bind(id)
    .execute(c).await.map(|r| r.rows_affected())))
}

/// Retires the active version of `code` and activates `id`, locking it.
pub async fn activate(tx: &mut Tx, code: &str, id: i64, at: DateTime<Utc>) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "UPDATE rulesets SET status = 'retired' WHERE code = $1 AND status = 'active' AND id <> $2",
    ).bind(code).bind(id).execute(c).await.map(|r| r.rows_affected())))?;
    on_tx!(tx, c => ok(sqlx::query(
        "UPDATE rulesets SET status = 'active', activated_at = $1, locked_at = COALESCE(locked_at, $1)
         WHERE id = $2",
    ).bind(at).bind(id).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

/// Locks a version because something stored now refers to it (a score, a dossier).
pub async fn lock(tx: &mut Tx, id: i64, at: DateTime<Utc>) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "UPDATE rulesets SET locked_at = $1 WHERE id = $2 AND locked_at IS NULL",
    ).bind(at).bind(id).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

pub async fn list(db: &Db) -> DbResult<Vec<RulesetRow>> {
    let sql = format!("SELECT {COLUMNS} FROM rulesets ORDER BY code, version");
    on_db!(db, c => ok(sqlx::query_as::<_, RulesetRow>(sqlx::AssertSqlSafe(sql.clone())).fetch_all(c).await))
}

/// The stored source of a version.
pub async fn source(db: &Db, code: &str, version: i32) -> DbResult<Option<String>> {
    on_db!(db, c => ok(sqlx::query_scalar("SELECT source FROM rulesets WHERE code = $1 AND version = $2")
        .bind(code).bind(version).fetch_optional(c).await))
}

/// The active version of `code`: its number and source.
pub async fn active(db: &Db, code: &str) -> DbResult<Option<(i32, String)>> {
    on_db!(db, c => ok(sqlx::query_as::<_, (i32, String)>(
        "SELECT version, source FROM rulesets WHERE code = $1 AND status = 'active'",
    ).bind(code).fetch_optional(c).await))
}

/// The ruleset scores are computed under: the active version activated last (one code is
/// active per jurisdiction; a deployment serves one). Its id, code, version and source.
pub async fn current(db: &Db) -> DbResult<Option<(i64, String, i32, String)>> {
    on_db!(db, c => ok(sqlx::query_as::<_, (i64, String, i32, String)>(
        "SELECT id, code, version, source FROM rulesets WHERE status = 'active'
         ORDER BY activated_at DESC, id DESC LIMIT 1",
    ).fetch_optional(c).await))
}
