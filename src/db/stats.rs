//! Counts for the landing pages' task lists.

use super::{Db, DbResult, ok};
use crate::on_db;
use chrono::{DateTime, NaiveDate, Utc};

/// A `SELECT COUNT(*)` without parameters.
async fn count(db: &Db, sql: &'static str) -> DbResult<i64> {
    on_db!(db, c => ok(sqlx::query_scalar(sql).fetch_one(c).await))
}

/// A `SELECT COUNT(*)` with one id parameter.
async fn count_of(db: &Db, sql: &'static str, id: i64) -> DbResult<i64> {
    on_db!(db, c => ok(sqlx::query_scalar(sql).bind(id).fetch_one(c).await))
}

pub async fn active_users(db: &Db) -> DbResult<i64> {
    count(db, "SELECT COUNT(*) FROM users WHERE active = TRUE").await
}

pub async fn people_without_login(db: &Db) -> DbResult<i64> {
    count(
        db,
        "SELECT COUNT(*) FROM people p WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.person_id = p.id)",
    )
    .await
}

/// Trainees enrolled at a base who have no login yet.
pub async fn base_people_without_login(db: &Db, base_id: i64) -> DbResult<i64> {
    count_of(
        db,
        "SELECT COUNT(DISTINCT m.person_id) FROM cohort_members m JOIN cohorts k ON k.id = m.cohort_id
         WHERE k.base_id = $1 AND NOT EXISTS (SELECT 1 FROM users u WHERE u.person_id = m.person_id)",
        base_id,
    )
    .await
}

/// Cohorts of a base running on `today`.
pub async fn running_cohorts(db: &Db, base_id: i64, today: NaiveDate) -> DbResult<i64> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM cohorts WHERE base_id = $1 AND starts_on <= $2 AND ends_on >= $2",
    ).bind(base_id).bind(today).fetch_one(c).await))
}

pub async fn bases_and_cohorts(db: &Db) -> DbResult<(i64, i64)> {
    let bases = count(db, "SELECT COUNT(*) FROM training_bases").await?;
    let cohorts = count(db, "SELECT COUNT(*) FROM cohorts").await?;
    Ok((bases, cohorts))
}

/// Ruleset versions stored as drafts (not yet activated).
pub async fn ruleset_drafts(db: &Db) -> DbResult<i64> {
    count(db, "SELECT COUNT(*) FROM rulesets WHERE status = 'draft'").await
}

/// Courses a base offers (not retired).
pub async fn active_courses(db: &Db, base_id: i64) -> DbResult<i64> {
    count_of(
        db,
        "SELECT COUNT(*) FROM courses WHERE base_id = $1 AND active = TRUE",
        base_id,
    )
    .await
}

/// Staff of a unit who are registered in Ladder.
pub async fn unit_people(db: &Db, unit_id: i64) -> DbResult<i64> {
    count_of(
        db,
        "SELECT COUNT(*) FROM people WHERE unit_id = $1",
        unit_id,
    )
    .await
}

/// Members of a committee holding `role`.
pub async fn committee_members(db: &Db, committee_id: i64, role: &str) -> DbResult<i64> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM role_grants WHERE committee_id = $1 AND role = $2",
    ).bind(committee_id).bind(role).fetch_one(c).await))
}

pub async fn audit_rows_since(db: &Db, since: DateTime<Utc>) -> DbResult<i64> {
    on_db!(db, c => ok(sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE at > $1")
        .bind(since).fetch_one(c).await))
}
