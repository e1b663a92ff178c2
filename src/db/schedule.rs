//! Cohort timetables (migration 0005): catalog courses held on a day.

use super::{Db, DbResult, Tx, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub held_on: NaiveDate,
    pub location: String,
    pub course_code: String,
    pub title: String,
    pub module: String,
    pub hours: i64,
    pub kind: String,
}

pub async fn sessions(db: &Db, cohort: i64) -> DbResult<Vec<SessionRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, SessionRow>(
        "SELECT s.id, s.held_on, s.location, k.code AS course_code, k.title, k.module, k.hours, k.kind
         FROM cohort_sessions s JOIN courses k ON k.id = s.course_id
         WHERE s.cohort_id = $1 ORDER BY s.held_on, k.code",
    ).bind(cohort).fetch_all(c).await))
}

/// The active course of `base` with this code: its id.
pub async fn active_course(db: &Db, base: i64, code: &str) -> DbResult<Option<i64>> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT id FROM courses WHERE base_id = $1 AND code = $2 AND active = $3",
    ).bind(base).bind(code).bind(true).fetch_optional(c).await))
}

pub async fn insert(
    tx: &mut Tx,
    cohort: i64,
    course: i64,
    held_on: NaiveDate,
    location: &str,
    at: DateTime<Utc>,
) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO cohort_sessions (cohort_id, course_id, held_on, location, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    ).bind(cohort).bind(course).bind(held_on).bind(location).bind(at).fetch_one(c).await))
}

/// The cohort a session belongs to.
pub async fn cohort_of(db: &Db, session: i64) -> DbResult<Option<i64>> {
    on_db!(db, c => ok(sqlx::query_scalar("SELECT cohort_id FROM cohort_sessions WHERE id = $1")
        .bind(session).fetch_optional(c).await))
}

pub async fn base_of_cohort(db: &Db, cohort: i64) -> DbResult<Option<i64>> {
    on_db!(db, c => ok(sqlx::query_scalar("SELECT base_id FROM cohorts WHERE id = $1")
        .bind(cohort).fetch_optional(c).await))
}

pub async fn delete(tx: &mut Tx, session: i64) -> DbResult<u64> {
    on_tx!(tx, c => ok(sqlx::query("DELETE FROM cohort_sessions WHERE id = $1")
        .bind(session).execute(c).await.map(|r| r.rows_affected())))
}
