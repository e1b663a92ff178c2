//! Score snapshots (migration 0006): each person's report under the ruleset in force.

use super::{Db, DbResult, Tx, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};

pub struct Snapshot<'a> {
    pub person_id: i64,
    pub ruleset_id: i64,
    pub total: i64,
    pub level: &'a str,
    pub report: &'a str,
}

pub async fn upsert(tx: &mut Tx, s: &Snapshot<'_>, at: DateTime<Utc>) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO score_snapshots (person_id, ruleset_id, total, level, report, computed_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (person_id) DO UPDATE SET ruleset_id = excluded.ruleset_id,
             total = excluded.total, level = excluded.level, report = excluded.report,
             computed_at = excluded.computed_at",
    ).bind(s.person_id).bind(s.ruleset_id).bind(s.total).bind(s.level).bind(s.report).bind(at)
    .execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SnapshotRow {
    pub person_id: i64,
    pub ruleset_id: i64,
    pub code: String,
    pub version: i32,
    pub total: i64,
    pub level: String,
    pub report: String,
    pub computed_at: DateTime<Utc>,
}

pub async fn of_person(db: &Db, person: i64) -> DbResult<Option<SnapshotRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, SnapshotRow>(
        "SELECT s.person_id, s.ruleset_id, r.code, r.version, s.total, s.level, s.report, s.computed_at
         FROM score_snapshots s JOIN rulesets r ON r.id = s.ruleset_id WHERE s.person_id = $1",
    ).bind(person).fetch_optional(c).await))
}

/// Everyone who should have a snapshot: people with records or in a cohort.
pub async fn scored_people(db: &Db) -> DbResult<Vec<i64>> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT person_id FROM records UNION SELECT person_id FROM cohort_members ORDER BY 1",
    ).fetch_all(c).await))
}
