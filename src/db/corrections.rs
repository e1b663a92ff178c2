//! Identity corrections (0016): the requests a base's clerk sends from an import preview when
//! the roster differs from a person the base does not own, and a system admin's correction of
//! a person's identity data.

use super::{Db, DbError, DbResult, Tx, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};

pub struct NewRequest<'a> {
    pub person: i64,
    pub base: i64,
    pub import: Option<i64>,
    pub row: Option<i64>,
    /// `person` or `admin`.
    pub to: &'a str,
    /// The masked differences, as JSON.
    pub differences: &'a str,
    pub note: &'a str,
    pub by: i64,
}

/// Files a request; `None` when the base already has one open for the person.
pub async fn insert(tx: &mut Tx, r: &NewRequest<'_>, at: DateTime<Utc>) -> DbResult<Option<i64>> {
    let open: i64 = on_tx!(tx, c => ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM correction_requests
         WHERE person_id = $1 AND base_id = $2 AND state = 'open'",
    ).bind(r.person).bind(r.base).fetch_one(c).await))?;
    if open > 0 {
        return Ok(None);
    }
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO correction_requests (person_id, base_id, import_id, row_no, addressed_to,
             differences, note, requested_by, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    ).bind(r.person).bind(r.base).bind(r.import).bind(r.row).bind(r.to).bind(r.differences)
     .bind(r.note).bind(r.by).bind(at).fetch_one(c).await))
    .map(Some)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub id_number: Option<String>,
    pub base_id: i64,
    pub base_name: String,
    pub import_id: Option<i64>,
    pub row_no: Option<i64>,
    pub addressed_to: String,
    pub differences: String,
    pub note: String,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub state: String,
    pub answer: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The person's identity as it is now (what a system admin corrects).
    #[sqlx(flatten)]
    pub now: Identity,
}

const SELECT: &str = "SELECT r.id, r.person_id, p.name AS person_name, p.id_number,
        r.base_id, b.name AS base_name, r.import_id, r.row_no, r.addressed_to, r.differences,
        r.note, u.username AS requested_by, r.requested_at, r.state, r.answer, r.closed_at,
        p.name, p.gender, p.phone, p.email, e.name AS employer
     FROM correction_requests r JOIN people p ON p.id = r.person_id
     JOIN training_bases b ON b.id = r.base_id
     JOIN users u ON u.id = r.requested_by
     LEFT JOIN units e ON e.id = p.unit_id";

pub async fn request(db: &Db, id: i64) -> DbResult<Option<RequestRow>> {
    let sql = format!("{SELECT} WHERE r.id = $1");
    on_db!(db, c => ok(sqlx::query_as::<_, RequestRow>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await))
}

/// A person's requests, open first, then the newest.
pub async fn of_person(db: &Db, person: i64) -> DbResult<Vec<RequestRow>> {
    let sql = format!(
        "{SELECT} WHERE r.person_id = $1 AND r.addressed_to = 'person'
         ORDER BY CASE WHEN r.state = 'open' THEN 0 ELSE 1 END, r.id DESC LIMIT 50"
    );
    on_db!(db, c => ok(sqlx::query_as::<_, RequestRow>(sqlx::AssertSqlSafe(sql)).bind(person).fetch_all(c).await))
}

/// Every request (a system admin's list): open first, then the newest.
pub async fn all(db: &Db, limit: i64) -> DbResult<Vec<RequestRow>> {
    let sql = format!(
        "{SELECT} ORDER BY CASE WHEN r.state = 'open' THEN 0 ELSE 1 END, r.id DESC LIMIT $1"
    );
    on_db!(db, c => ok(sqlx::query_as::<_, RequestRow>(sqlx::AssertSqlSafe(sql)).bind(limit).fetch_all(c).await))
}

/// The open requests from an import, by row: what the preview marks as sent.
pub async fn rows_of_import(db: &Db, import: i64) -> DbResult<Vec<i64>> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT row_no FROM correction_requests
         WHERE import_id = $1 AND row_no IS NOT NULL ORDER BY row_no",
    ).bind(import).fetch_all(c).await))
}

/// Open requests addressed to a person (their task count).
pub async fn open_for_person(db: &Db, person: i64) -> DbResult<i64> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM correction_requests
         WHERE person_id = $1 AND addressed_to = 'person' AND state = 'open'",
    ).bind(person).fetch_one(c).await))
}

/// Open requests addressed to the system admins.
pub async fn open_for_admins(db: &Db) -> DbResult<i64> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM correction_requests WHERE addressed_to = 'admin' AND state = 'open'",
    ).fetch_one(c).await))
}

/// Closes an open request; false when it was already closed.
pub async fn close(
    tx: &mut Tx,
    id: i64,
    state: &str,
    answer: &str,
    by: i64,
    at: DateTime<Utc>,
) -> DbResult<bool> {
    let n = on_tx!(tx, c => ok(sqlx::query(
        "UPDATE correction_requests SET state = $1, answer = $2, closed_by = $3, closed_at = $4
         WHERE id = $5 AND state = 'open'",
    ).bind(state).bind(answer).bind(by).bind(at).bind(id).execute(c).await
     .map(|r| r.rows_affected())))?;
    Ok(n == 1)
}

/// A person's identity data as a system admin corrects it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Identity {
    pub name: String,
    pub gender: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub employer: Option<String>,
}

pub async fn identity(db: &Db, person: i64) -> DbResult<Option<Identity>> {
    on_db!(db, c => ok(sqlx::query_as::<_, Identity>(
        "SELECT p.name, p.gender, p.phone, p.email, u.name AS employer
         FROM people p LEFT JOIN units u ON u.id = p.unit_id WHERE p.id = $1",
    ).bind(person).fetch_optional(c).await))
}

/// Sets a person's identity data (the employer found or added by name); what it was before.
pub async fn set_identity(
    tx: &mut Tx,
    person: i64,
    to: &Identity,
    at: DateTime<Utc>,
) -> DbResult<Identity> {
    let before = on_tx!(tx, c => ok(sqlx::query_as::<_, Identity>(
        "SELECT p.name, p.gender, p.phone, p.email, u.name AS employer
         FROM people p LEFT JOIN units u ON u.id = p.unit_id WHERE p.id = $1",
    ).bind(person).fetch_optional(c).await))?
    .ok_or(DbError::NotFound)?;
    let unit: Option<i64> = match &to.employer {
        None => None,
        Some(name) => {
            on_tx!(tx, c => ok(sqlx::query(
                "INSERT INTO units (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            ).bind(name).bind(at).execute(c).await.map(|_| ())))?;
            Some(
                on_tx!(tx, c => ok(sqlx::query_scalar("SELECT id FROM units WHERE name = $1")
                .bind(name).fetch_one(c).await))?,
            )
        }
    };
    on_tx!(tx, c => ok(sqlx::query(
        "UPDATE people SET name = $2, gender = $3, phone = $4, email = $5, unit_id = $6,
         name_sort = $7 WHERE id = $1",
    ).bind(person).bind(&to.name).bind(&to.gender).bind(&to.phone).bind(&to.email).bind(unit)
     .bind(super::collation::name_key(&to.name))
     .execute(c).await.map(|_| ())))?;
    Ok(before)
}
