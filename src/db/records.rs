//! Trainee records and their immutable versions (migration 0006). The payload of a version is
//! the JSON of a [`crate::domain::records::Entry`]; the record row says which version is in
//! force and where the record stands.

use super::{Db, DbResult, Tx, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

/// A record with the payload of the version in force (and of a pending correction).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecordRow {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub kind: String,
    pub base_id: Option<i64>,
    pub cohort_id: Option<i64>,
    pub session_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub status: String,
    pub version: i32,
    pub pending_version: Option<i32>,
    pub reason: Option<String>,
    pub record_date: NaiveDate,
    pub updated_at: DateTime<Utc>,
    pub payload: String,
    pub pending_payload: Option<String>,
    pub pending_note: Option<String>,
}

const SELECT: &str = "SELECT r.id, r.person_id, p.name AS person_name, r.kind, r.base_id,
        r.cohort_id, r.session_id, r.deal_id, r.status, r.version, r.pending_version, r.reason,
        r.record_date, r.updated_at, v.payload, pv.payload AS pending_payload,
        pv.note AS pending_note
    FROM records r
    JOIN people p ON p.id = r.person_id
    JOIN record_versions v ON v.record_id = r.id AND v.version = r.version
    LEFT JOIN record_versions pv ON pv.record_id = r.id AND pv.version = r.pending_version";

pub struct NewRecord<'a> {
    pub person_id: i64,
    pub kind: &'a str,
    pub base_id: Option<i64>,
    pub cohort_id: Option<i64>,
    pub session_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub status: &'a str,
    pub record_date: NaiveDate,
    pub payload: &'a str,
    pub note: &'a str,
    pub author_id: Option<i64>,
}

/// Inserts a record and its first version.
pub async fn insert(tx: &mut Tx, r: &NewRecord<'_>, at: DateTime<Utc>) -> DbResult<i64> {
    let (decided_by, decided_at) = if r.status == "unverified" {
        (None, None)
    } else {
        (r.author_id, Some(at))
    };
    let id: i64 = on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO records (person_id, kind, base_id, cohort_id, session_id, deal_id, status,
                              version, decided_by, decided_at, record_date, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(r.person_id).bind(r.kind).bind(r.base_id).bind(r.cohort_id).bind(r.session_id)
    .bind(r.deal_id).bind(r.status).bind(decided_by).bind(decided_at).bind(r.record_date).bind(at)
    .fetch_one(c).await))?;
    add_version(tx, id, 1, r.payload, r.note, r.author_id, at).await?;
    Ok(id)
}

pub async fn add_version(
    tx: &mut Tx,
    record: i64,
    version: i32,
    payload: &str,
    note: &str,
    author: Option<i64>,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO record_versions (record_id, version, payload, note, author_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    ).bind(record).bind(version).bind(payload).bind(note).bind(author).bind(at)
    .execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

/// The state a record moves to. `expect` is the state it was read in: a row that changed in
/// between (another admin, another tab) is not touched, and the caller sees 0 rows.
pub struct NewState<'a> {
    pub status: &'a str,
    pub version: i32,
    pub pending_version: Option<i32>,
    pub reason: Option<&'a str>,
    pub decided_by: Option<i64>,
    pub record_date: NaiveDate,
}

pub async fn set_state(
    tx: &mut Tx,
    record: i64,
    expect: (&str, i32, Option<i32>),
    s: &NewState<'_>,
    decided: bool,
    at: DateTime<Utc>,
) -> DbResult<u64> {
    on_tx!(tx, c => ok(sqlx::query(
        "UPDATE records SET status = $1, version = $2, pending_version = $3, reason = $4,
                decided_by = CASE WHEN $5 THEN $6 ELSE decided_by END,
                decided_at = CASE WHEN $5 THEN $7 ELSE decided_at END,
                record_date = $8, updated_at = $7
         WHERE id = $9 AND status = $10 AND version = $11
           AND COALESCE(pending_version, 0) = $12",
    )
    .bind(s.status).bind(s.version).bind(s.pending_version).bind(s.reason).bind(decided)
    .bind(s.decided_by).bind(at).bind(s.record_date).bind(record).bind(expect.0).bind(expect.1)
    .bind(expect.2.unwrap_or(0))
    .execute(c).await.map(|r| r.rows_affected())))
}

/// The highest version number of a record (a refused correction leaves one above the version
/// in force).
pub async fn last_version(tx: &mut Tx, record: i64) -> DbResult<i32> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "SELECT MAX(version) FROM record_versions WHERE record_id = $1",
    ).bind(record).fetch_one(c).await))
}

pub async fn by_id(db: &Db, id: i64) -> DbResult<Option<RecordRow>> {
    let sql = format!("{SELECT} WHERE r.id = $1");
    on_db!(db, c => ok(sqlx::query_as::<_, RecordRow>(sqlx::AssertSqlSafe(sql.clone()))
        .bind(id).fetch_optional(c).await))
}

/// Every record of a person, newest first.
pub async fn of_person(db: &Db, person: i64) -> DbResult<Vec<RecordRow>> {
    let sql = format!("{SELECT} WHERE r.person_id = $1 ORDER BY r.record_date DESC, r.id DESC");
    on_db!(db, c => ok(sqlx::query_as::<_, RecordRow>(sqlx::AssertSqlSafe(sql.clone()))
        .bind(person).fetch_all(c).await))
}

/// The records of `bases` that wait for a decision: unverified ones and pending corrections,
/// oldest first.
pub async fn queue(db: &Db, bases: &[i64]) -> DbResult<Vec<RecordRow>> {
    if bases.is_empty() {
        return Ok(Vec::new());
    }
    let list = bases
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "{SELECT} WHERE r.base_id IN ({list})
           AND (r.status = 'unverified' OR r.pending_version IS NOT NULL)
         ORDER BY r.updated_at, r.id"
    );
    on_db!(db, c => ok(sqlx::query_as::<_, RecordRow>(sqlx::AssertSqlSafe(sql.clone()))
        .fetch_all(c).await))
}

/// Every claim on a contract, with its claimant.
pub async fn claims_on(db: &Db, deal: i64) -> DbResult<Vec<RecordRow>> {
    let sql = format!("{SELECT} WHERE r.deal_id = $1 ORDER BY r.id");
    on_db!(db, c => ok(sqlx::query_as::<_, RecordRow>(sqlx::AssertSqlSafe(sql.clone()))
        .bind(deal).fetch_all(c).await))
}

/// The contract with this registration number, or a new one. An unregistered contract
/// (`None`) is always new.
pub async fn deal_for(
    tx: &mut Tx,
    registration_no: Option<&str>,
    at: DateTime<Utc>,
) -> DbResult<i64> {
    if let Some(no) = registration_no {
        let found: Option<i64> = on_tx!(tx, c => ok(sqlx::query_scalar(
            "SELECT id FROM deals WHERE registration_no = $1",
        ).bind(no).fetch_optional(c).await))?;
        if let Some(id) = found {
            return Ok(id);
        }
    }
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO deals (registration_no, created_at) VALUES ($1, $2) RETURNING id",
    ).bind(registration_no).bind(at).fetch_one(c).await))
}

pub async fn deal_by_registration(db: &Db, registration_no: &str) -> DbResult<Option<i64>> {
    on_db!(db, c => ok(sqlx::query_scalar("SELECT id FROM deals WHERE registration_no = $1")
        .bind(registration_no).fetch_optional(c).await))
}

/// The kinds of the files attached to each of a person's records (for the evidence gate).
pub async fn document_kinds(db: &Db, person: i64) -> DbResult<Vec<(i64, String)>> {
    on_db!(db, c => ok(sqlx::query_as::<_, (i64, String)>(
        "SELECT f.record_id, f.kind FROM evidence_files f JOIN records r ON r.id = f.record_id
         WHERE r.person_id = $1 AND f.removed_at IS NULL ORDER BY f.record_id, f.id",
    ).bind(person).fetch_all(c).await))
}

/// For each of a person's contracts, the shares of the verified claims of other people, as
/// (deal, claimant's payload) pairs: the caller reads the share from the payload.
pub async fn other_verified_claims(db: &Db, person: i64) -> DbResult<Vec<(i64, String)>> {
    on_db!(db, c => ok(sqlx::query_as::<_, (i64, String)>(
        "SELECT o.deal_id, v.payload FROM records o
         JOIN record_versions v ON v.record_id = o.id AND v.version = o.version
         WHERE o.person_id <> $1 AND o.status IN ('base_verified', 'registry_verified')
           AND o.deal_id IN (SELECT deal_id FROM records WHERE person_id = $1 AND deal_id IS NOT NULL)",
    ).bind(person).fetch_all(c).await))
}

/// A scheduled session with its course and cohort, for recording attendance.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionDetail {
    pub id: i64,
    pub cohort_id: i64,
    pub cohort_code: String,
    pub base_id: i64,
    pub base_code: String,
    pub held_on: NaiveDate,
    pub course_code: String,
    pub title: String,
    pub module: String,
    pub hours: i64,
    pub kind: String,
}

pub async fn session_detail(db: &Db, session: i64) -> DbResult<Option<SessionDetail>> {
    on_db!(db, c => ok(sqlx::query_as::<_, SessionDetail>(
        "SELECT s.id, s.cohort_id, k.code AS cohort_code, k.base_id, b.code AS base_code, s.held_on,
                co.code AS course_code, co.title, co.module, co.hours, co.kind
         FROM cohort_sessions s JOIN cohorts k ON k.id = s.cohort_id
         JOIN training_bases b ON b.id = k.base_id JOIN courses co ON co.id = s.course_id
         WHERE s.id = $1",
    ).bind(session).fetch_optional(c).await))
}

pub async fn cohort_member_ids(db: &Db, cohort: i64) -> DbResult<Vec<i64>> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT person_id FROM cohort_members WHERE cohort_id = $1 ORDER BY person_id",
    ).bind(cohort).fetch_all(c).await))
}

/// The people with a record of a session.
pub async fn attendees(db: &Db, session: i64) -> DbResult<Vec<i64>> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT person_id FROM records WHERE session_id = $1 ORDER BY person_id",
    ).bind(session).fetch_all(c).await))
}

/// How many people have a record of each of a cohort's sessions.
pub async fn attendance_counts(db: &Db, cohort: i64) -> DbResult<Vec<(i64, i64)>> {
    on_db!(db, c => ok(sqlx::query_as::<_, (i64, i64)>(
        "SELECT r.session_id, COUNT(*) FROM records r JOIN cohort_sessions s ON s.id = r.session_id
         WHERE s.cohort_id = $1 GROUP BY r.session_id",
    ).bind(cohort).fetch_all(c).await))
}

/// A cohort's members by name.
pub async fn cohort_roster(db: &Db, cohort: i64) -> DbResult<Vec<(i64, String)>> {
    on_db!(db, c => ok(sqlx::query_as::<_, (i64, String)>(
        "SELECT p.id, p.name FROM cohort_members m JOIN people p ON p.id = m.person_id
         WHERE m.cohort_id = $1 ORDER BY p.name_sort, p.id",
    ).bind(cohort).fetch_all(c).await))
}

/// The people with a live (not withdrawn or rejected) training record of a base's catalog
/// course, whether logged by themselves or recorded as attendance: a course counts once.
pub async fn course_takers(db: &Db, base: i64, course_code: &str) -> DbResult<Vec<i64>> {
    // The payload is serde_json's compact output, so the course code appears exactly so;
    // course codes hold no LIKE wildcards (letters, digits, `-`, `.`).
    let needle = format!("%\"course_code\":\"{course_code}\"%");
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT DISTINCT r.person_id FROM records r
         JOIN record_versions v ON v.record_id = r.id AND v.version = r.version
         WHERE r.kind = 'training' AND r.base_id = $1
           AND r.status NOT IN ('withdrawn', 'rejected') AND v.payload LIKE $2
         ORDER BY r.person_id",
    ).bind(base).bind(needle).fetch_all(c).await))
}

/// The rubric scores given to a person's cases, as (record, scores JSON).
pub async fn case_reviews_of_person(db: &Db, person: i64) -> DbResult<Vec<(i64, String)>> {
    on_db!(db, c => ok(sqlx::query_as::<_, (i64, String)>(
        "SELECT cr.record_id, cr.scores FROM case_reviews cr JOIN records r ON r.id = cr.record_id
         WHERE r.person_id = $1 ORDER BY cr.record_id, cr.reviewer_id",
    ).bind(person).fetch_all(c).await))
}

/// One reviewer's scores of a case, replacing their earlier ones.
pub async fn put_case_review(
    tx: &mut Tx,
    record: i64,
    reviewer: i64,
    scores: &str,
    comment: &str,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO case_reviews (record_id, reviewer_id, scores, comment, created_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (record_id, reviewer_id) DO UPDATE SET scores = excluded.scores,
             comment = excluded.comment, created_at = excluded.created_at",
    ).bind(record).bind(reviewer).bind(scores).bind(comment).bind(at)
    .execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

/// A reviewer's own scores of a case, if any.
pub async fn my_case_review(
    db: &Db,
    record: i64,
    reviewer: i64,
) -> DbResult<Option<(String, String)>> {
    on_db!(db, c => ok(sqlx::query_as::<_, (String, String)>(
        "SELECT scores, comment FROM case_reviews WHERE record_id = $1 AND reviewer_id = $2",
    ).bind(record).bind(reviewer).fetch_optional(c).await))
}

/// The cases of `bases` that reviewers may score (not withdrawn or rejected), newest first.
pub async fn cases_of_bases(db: &Db, bases: &[i64]) -> DbResult<Vec<RecordRow>> {
    if bases.is_empty() {
        return Ok(Vec::new());
    }
    let list = bases
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "{SELECT} WHERE r.kind = 'case' AND r.base_id IN ({list})
           AND r.status NOT IN ('withdrawn', 'rejected')
         ORDER BY r.record_date DESC, r.id DESC"
    );
    on_db!(db, c => ok(sqlx::query_as::<_, RecordRow>(sqlx::AssertSqlSafe(sql.clone()))
        .fetch_all(c).await))
}

/// A contract's registration number (None while unregistered).
pub async fn deal_registration(db: &Db, deal: i64) -> DbResult<Option<String>> {
    on_db!(db, c => ok(sqlx::query_scalar::<_, Option<String>>(
        "SELECT registration_no FROM deals WHERE id = $1",
    ).bind(deal).fetch_one(c).await))
}

/// Registers a contract that was unregistered (its number becomes its key).
pub async fn register_deal(tx: &mut Tx, deal: i64, registration_no: &str) -> DbResult<u64> {
    on_tx!(tx, c => ok(sqlx::query(
        "UPDATE deals SET registration_no = $1 WHERE id = $2 AND registration_no IS NULL",
    ).bind(registration_no).bind(deal).execute(c).await.map(|r| r.rows_affected())))
}

/// The record a form's submission saved, if that form (`key`) was sent before.
pub async fn submitted(db: &Db, person: i64, key: &str) -> DbResult<Option<i64>> {
    let saved: Option<Option<i64>> = on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT record_id FROM form_submissions WHERE person_id = $1 AND form_key = $2",
    ).bind(person).bind(key).fetch_optional(c).await))?;
    Ok(saved.flatten())
}

/// Claims a form's key at the start of the transaction that saves it (`record` is None for a
/// new record until [`submission_saved`]). A conflict: a concurrent copy claimed it first.
pub async fn claim_submission(
    tx: &mut Tx,
    person: i64,
    key: &str,
    record: Option<i64>,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO form_submissions (person_id, form_key, record_id, submitted_at)
         VALUES ($1, $2, $3, $4)",
    ).bind(person).bind(key).bind(record).bind(at).execute(c).await.map(|_| ())))
}

/// The record a claimed submission saved.
pub async fn submission_saved(tx: &mut Tx, person: i64, key: &str, record: i64) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "UPDATE form_submissions SET record_id = $3 WHERE person_id = $1 AND form_key = $2",
    ).bind(person).bind(key).bind(record).execute(c).await.map(|_| ())))
}
