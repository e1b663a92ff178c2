//! A person's own statements (migration 0003): education, titles, employers, locality.

use super::{Db, DbResult, Tx, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EducationRow {
    pub id: i64,
    pub level: String,
    pub institution: String,
    pub major: String,
    pub graduated_on: NaiveDate,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TitleRow {
    pub id: i64,
    pub rank: String,
    pub series: String,
    pub obtained_on: NaiveDate,
    pub certificate_no: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EmployerRow {
    pub id: i64,
    pub unit_name: String,
    pub position: String,
    pub from_on: NaiveDate,
    pub to_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct LocalityRow {
    pub hukou: bool,
    pub residence_permit: bool,
    pub social_insurance_months: i32,
    pub practice_since: Option<NaiveDate>,
}

pub async fn education(db: &Db, person: i64) -> DbResult<Vec<EducationRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, EducationRow>(
        "SELECT id, level, institution, major, graduated_on FROM person_education
         WHERE person_id = $1 ORDER BY graduated_on DESC, id",
    ).bind(person).fetch_all(c).await))
}

pub async fn titles(db: &Db, person: i64) -> DbResult<Vec<TitleRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, TitleRow>(
        "SELECT id, rank, series, obtained_on, certificate_no FROM person_titles
         WHERE person_id = $1 ORDER BY obtained_on DESC, id",
    ).bind(person).fetch_all(c).await))
}

pub async fn employers(db: &Db, person: i64) -> DbResult<Vec<EmployerRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, EmployerRow>(
        "SELECT id, unit_name, position, from_on, to_on FROM person_employers
         WHERE person_id = $1 ORDER BY from_on DESC, id",
    ).bind(person).fetch_all(c).await))
}

pub async fn locality(db: &Db, person: i64) -> DbResult<Option<LocalityRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, LocalityRow>(
        "SELECT hukou, residence_permit, social_insurance_months, practice_since FROM person_locality
         WHERE person_id = $1",
    ).bind(person).fetch_optional(c).await))
}

pub struct NewEducation<'a> {
    pub level: &'a str,
    pub institution: &'a str,
    pub major: &'a str,
    pub graduated_on: NaiveDate,
}

pub async fn insert_education(
    tx: &mut Tx,
    person: i64,
    e: &NewEducation<'_>,
    at: DateTime<Utc>,
) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO person_education (person_id, level, institution, major, graduated_on, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    ).bind(person).bind(e.level).bind(e.institution).bind(e.major).bind(e.graduated_on).bind(at)
    .fetch_one(c).await))
}

pub struct NewTitle<'a> {
    pub rank: &'a str,
    pub series: &'a str,
    pub obtained_on: NaiveDate,
    pub certificate_no: &'a str,
}

pub async fn insert_title(
    tx: &mut Tx,
    person: i64,
    t: &NewTitle<'_>,
    at: DateTime<Utc>,
) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO person_titles (person_id, rank, series, obtained_on, certificate_no, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    ).bind(person).bind(t.rank).bind(t.series).bind(t.obtained_on).bind(t.certificate_no).bind(at)
    .fetch_one(c).await))
}

pub struct NewEmployer<'a> {
    pub unit_name: &'a str,
    pub position: &'a str,
    pub from_on: NaiveDate,
    pub to_on: Option<NaiveDate>,
}

pub async fn insert_employer(
    tx: &mut Tx,
    person: i64,
    e: &NewEmployer<'_>,
    at: DateTime<Utc>,
) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO person_employers (person_id, unit_name, position, from_on, to_on, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    ).bind(person).bind(e.unit_name).bind(e.position).bind(e.from_on).bind(e.to_on).bind(at)
    .fetch_one(c).await))
}

/// The tables a profile entry can be removed from (the name is never taken from input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryTable {
    Education,
    Title,
    Employer,
}

impl EntryTable {
    fn table(self) -> &'static str {
        match self {
            EntryTable::Education => "person_education",
            EntryTable::Title => "person_titles",
            EntryTable::Employer => "person_employers",
        }
    }
}

/// Removes one of the person's own entries; 0 when it is not theirs (or does not exist).
pub async fn delete_entry(tx: &mut Tx, person: i64, table: EntryTable, id: i64) -> DbResult<u64> {
    let sql = format!(
        "DELETE FROM {} WHERE id = $1 AND person_id = $2",
        table.table()
    );
    on_tx!(tx, c => ok(sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(id).bind(person)
        .execute(c).await.map(|r| r.rows_affected())))
}

pub async fn upsert_locality(
    tx: &mut Tx,
    person: i64,
    l: &LocalityRow,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO person_locality (person_id, hukou, residence_permit, social_insurance_months, practice_since, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (person_id) DO UPDATE SET hukou = excluded.hukou, residence_permit = excluded.residence_permit,
             social_insurance_months = excluded.social_insurance_months, practice_since = excluded.practice_since,
             updated_at = excluded.updated_at",
    ).bind(person).bind(l.hukou).bind(l.residence_permit).bind(l.social_insurance_months).bind(l.practice_since).bind(at)
    .execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}
