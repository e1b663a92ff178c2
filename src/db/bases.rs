//! Training bases, their cohorts and cohort rosters.

use super::{Db, DbResult, Tx, ok};
use crate::domain::access::Visibility;
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BaseRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub region: String,
    pub cohorts: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CohortRow {
    pub id: i64,
    pub base_id: i64,
    pub base_code: String,
    pub code: String,
    pub name: String,
    pub level: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub members: i64,
}

pub async fn insert_base(
    tx: &mut Tx,
    code: &str,
    name: &str,
    region: &str,
    at: DateTime<Utc>,
) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO training_bases (code, name, region, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    ).bind(code).bind(name).bind(region).bind(at).fetch_one(c).await))
}

pub async fn base_id_by_code(db: &Db, code: &str) -> DbResult<Option<i64>> {
    on_db!(db, c => ok(sqlx::query_scalar("SELECT id FROM training_bases WHERE code = $1")
        .bind(code).fetch_optional(c).await))
}

/// Bases the caller may see, with their cohort counts.
pub async fn list_bases(db: &Db, visible: &Visibility) -> DbResult<Vec<BaseRow>> {
    let rows: Vec<BaseRow> = on_db!(db, c => ok(sqlx::query_as::<_, BaseRow>(
        "SELECT b.id, b.code, b.name, b.region,
                (SELECT COUNT(*) FROM cohorts k WHERE k.base_id = b.id) AS cohorts
         FROM training_bases b ORDER BY b.code",
    ).fetch_all(c).await))?;
    Ok(rows.into_iter().filter(|b| visible.admits(b.id)).collect())
}

#[derive(Debug, Clone)]
pub struct NewCohort<'a> {
    pub base_id: i64,
    pub code: &'a str,
    pub name: &'a str,
    pub level: &'a str,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

pub async fn insert_cohort(tx: &mut Tx, k: &NewCohort<'_>, at: DateTime<Utc>) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO cohorts (base_id, code, name, level, starts_on, ends_on, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(k.base_id).bind(k.code).bind(k.name).bind(k.level).bind(k.starts_on).bind(k.ends_on).bind(at)
    .fetch_one(c).await))
}

/// Cohorts of the visible bases, optionally of one base, newest first.
pub async fn list_cohorts(
    db: &Db,
    visible: &Visibility,
    base_id: Option<i64>,
) -> DbResult<Vec<CohortRow>> {
    let rows: Vec<CohortRow> = on_db!(db, c => ok(sqlx::query_as::<_, CohortRow>(
        "SELECT k.id, k.base_id, b.code AS base_code, k.code, k.name, k.level, k.starts_on, k.ends_on,
                (SELECT COUNT(*) FROM cohort_members m WHERE m.cohort_id = k.id) AS members
         FROM cohorts k JOIN training_bases b ON b.id = k.base_id
         ORDER BY k.starts_on DESC, k.code",
    ).fetch_all(c).await))?;
    Ok(rows
        .into_iter()
        .filter(|k| visible.admits(k.base_id) && base_id.is_none_or(|b| b == k.base_id))
        .collect())
}

pub async fn add_member(tx: &mut Tx, cohort_id: i64, person_id: i64) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query("INSERT INTO cohort_members (cohort_id, person_id) VALUES ($1, $2)")
        .bind(cohort_id).bind(person_id).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

/// One cohort by its code.
pub async fn cohort_by_code(db: &Db, code: &str) -> DbResult<Option<CohortRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, CohortRow>(
        "SELECT k.id, k.base_id, b.code AS base_code, k.code, k.name, k.level, k.starts_on, k.ends_on,
                (SELECT COUNT(*) FROM cohort_members m WHERE m.cohort_id = k.id) AS members
         FROM cohorts k JOIN training_bases b ON b.id = k.base_id WHERE k.code = $1",
    ).bind(code).fetch_optional(c).await))
}

/// The cohorts a person is enrolled in.
pub async fn cohorts_of_person(db: &Db, person_id: i64) -> DbResult<Vec<CohortRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, CohortRow>(
        "SELECT k.id, k.base_id, b.code AS base_code, k.code, k.name, k.level, k.starts_on, k.ends_on,
                (SELECT COUNT(*) FROM cohort_members m2 WHERE m2.cohort_id = k.id) AS members
         FROM cohort_members m JOIN cohorts k ON k.id = m.cohort_id
         JOIN training_bases b ON b.id = k.base_id
         WHERE m.person_id = $1 ORDER BY k.starts_on DESC",
    ).bind(person_id).fetch_all(c).await))
}
