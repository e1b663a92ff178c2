//! The result's public notice and what follows it (0012): objections filed on the public page
//! and their resolution, and the certificates issued on confirmation.

use super::{Db, DbResult, Tx, TxConn, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

pub struct NewObjection<'a> {
    pub application: i64,
    pub name: &'a str,
    pub contact: &'a str,
    pub body: &'a str,
    pub source: &'a str,
}

pub async fn insert_objection(
    tx: &mut Tx,
    o: &NewObjection<'_>,
    at: DateTime<Utc>,
) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO objections (application_id, name, contact, body, source, filed_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    ).bind(o.application).bind(o.name).bind(o.contact).bind(o.body).bind(o.source).bind(at)
     .fetch_one(c).await))
}

/// Objections filed from `source` since `since`, counted inside the write transaction so two
/// requests at once cannot both slip under the limit: on PostgreSQL a transaction-scoped
/// advisory lock on the source serialises them (SQLite's `BEGIN IMMEDIATE` already does).
pub async fn lock_and_count_from(tx: &mut Tx, source: &str, since: DateTime<Utc>) -> DbResult<i64> {
    if let TxConn::Postgres(t) = &mut tx.conn {
        ok(sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind(format!("ladder-objection:{source}"))
            .execute(&mut **t)
            .await
            .map(|r| r.rows_affected()))?;
    }
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM objections WHERE source = $1 AND filed_at > $2",
    ).bind(source).bind(since).fetch_one(c).await))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ObjectionRow {
    pub id: i64,
    pub application_id: i64,
    pub name: String,
    pub contact: String,
    pub body: String,
    pub filed_at: DateTime<Utc>,
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub candidate: String,
}

const OBJECTION_SELECT: &str = "SELECT o.id, o.application_id, o.name, o.contact, o.body,
        o.filed_at, o.outcome, o.reason, o.resolved_at, p.name AS candidate
     FROM objections o JOIN applications a ON a.id = o.application_id
     JOIN people p ON p.id = a.person_id";

/// A session's objections, oldest first.
pub async fn of_session(db: &Db, session: i64) -> DbResult<Vec<ObjectionRow>> {
    let sql = format!("{OBJECTION_SELECT} WHERE a.session_id = $1 ORDER BY o.id");
    on_db!(db, c => ok(sqlx::query_as::<_, ObjectionRow>(sqlx::AssertSqlSafe(sql)).bind(session).fetch_all(c).await))
}

pub async fn objection(db: &Db, id: i64) -> DbResult<Option<ObjectionRow>> {
    let sql = format!("{OBJECTION_SELECT} WHERE o.id = $1");
    on_db!(db, c => ok(sqlx::query_as::<_, ObjectionRow>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await))
}

/// Objections ever filed against an application.
pub async fn count_of(db: &Db, application: i64) -> DbResult<i64> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM objections WHERE application_id = $1",
    ).bind(application).fetch_one(c).await))
}

/// Open objections to an application, inside a transaction.
pub async fn open_count(tx: &mut Tx, application: i64) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM objections WHERE application_id = $1 AND outcome IS NULL",
    ).bind(application).fetch_one(c).await))
}

/// Resolves an open objection; false when it was already resolved.
pub async fn resolve(
    tx: &mut Tx,
    id: i64,
    outcome: &str,
    reason: &str,
    by: i64,
    at: DateTime<Utc>,
) -> DbResult<bool> {
    let n = on_tx!(tx, c => ok(sqlx::query(
        "UPDATE objections SET outcome = $1, reason = $2, resolved_by = $3, resolved_at = $4
         WHERE id = $5 AND outcome IS NULL",
    ).bind(outcome).bind(reason).bind(by).bind(at).bind(id).execute(c).await
     .map(|r| r.rows_affected())))?;
    Ok(n == 1)
}

/// Closes the application's other open objections once one is upheld.
pub async fn supersede_others(
    tx: &mut Tx,
    application: i64,
    reason: &str,
    by: i64,
    at: DateTime<Utc>,
) -> DbResult<u64> {
    on_tx!(tx, c => ok(sqlx::query(
        "UPDATE objections SET outcome = 'superseded', reason = $1, resolved_by = $2, resolved_at = $3
         WHERE application_id = $4 AND outcome IS NULL",
    ).bind(reason).bind(by).bind(at).bind(application).execute(c).await
     .map(|r| r.rows_affected())))
}

// ---- certificates ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CertificateRow {
    pub application_id: i64,
    pub number: String,
    pub issued_on: NaiveDate,
    pub person_name: String,
    pub unit_name: Option<String>,
    pub committee: String,
    pub session_code: String,
    pub state: String,
}

const CERTIFICATE_SELECT: &str = "SELECT c.application_id, c.number, c.issued_on,
        p.name AS person_name, u.name AS unit_name, m.name AS committee,
        s.code AS session_code, a.state
     FROM certificates c JOIN applications a ON a.id = c.application_id
     JOIN people p ON p.id = a.person_id
     JOIN review_sessions s ON s.id = a.session_id
     JOIN committees m ON m.id = s.committee_id
     LEFT JOIN units u ON u.id = a.unit_id";

pub async fn certificate_by_number(db: &Db, number: &str) -> DbResult<Option<CertificateRow>> {
    let sql = format!("{CERTIFICATE_SELECT} WHERE c.number = $1");
    on_db!(db, c => ok(sqlx::query_as::<_, CertificateRow>(sqlx::AssertSqlSafe(sql)).bind(number).fetch_optional(c).await))
}

pub async fn certificate_of(db: &Db, application: i64) -> DbResult<Option<CertificateRow>> {
    let sql = format!("{CERTIFICATE_SELECT} WHERE c.application_id = $1");
    on_db!(db, c => ok(sqlx::query_as::<_, CertificateRow>(sqlx::AssertSqlSafe(sql)).bind(application).fetch_optional(c).await))
}

/// Certificates already issued to a session's candidates (the next one's sequence).
pub async fn count_in_session(tx: &mut Tx, session: i64) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM certificates c JOIN applications a ON a.id = c.application_id
         WHERE a.session_id = $1",
    ).bind(session).fetch_one(c).await))
}

pub async fn insert_certificate(
    tx: &mut Tx,
    application: i64,
    number: &str,
    issued_on: NaiveDate,
    by: i64,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO certificates (application_id, number, issued_on, issued_by, issued_at)
         VALUES ($1, $2, $3, $4, $5)",
    ).bind(application).bind(number).bind(issued_on).bind(by).bind(at).execute(c).await
     .map(|r| r.rows_affected())))?;
    Ok(())
}

// ---- the public notice ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeRow {
    pub application_id: i64,
    pub session_id: i64,
    pub session_code: String,
    pub session_name: String,
    pub committee: String,
    pub person_name: String,
    pub unit_name: Option<String>,
    pub state: String,
    pub notice_from: Option<NaiveDate>,
    pub notice_days_before: i32,
    pub rules: String,
}

/// Results on public notice (running or suspended by an objection), by session and name.
pub async fn on_notice(db: &Db) -> DbResult<Vec<NoticeRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, NoticeRow>(
        "SELECT a.id AS application_id, s.id AS session_id, s.code AS session_code,
                s.name AS session_name, m.name AS committee, p.name AS person_name,
                u.name AS unit_name, a.state, a.notice_from, a.notice_days_before, s.rules
         FROM applications a JOIN people p ON p.id = a.person_id
         JOIN review_sessions s ON s.id = a.session_id
         JOIN committees m ON m.id = s.committee_id
         LEFT JOIN units u ON u.id = a.unit_id
         WHERE a.state IN ('result_public_notice', 'result_objection_review')
         ORDER BY s.id DESC, p.name_sort, a.id",
    ).fetch_all(c).await))
}
