//! Sub-panels, members' terms, assignments, conflicts and score sheets (0009).

use super::{Db, DbResult, Tx, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PanelRow {
    pub id: i64,
    pub code: String,
    pub name: String,
}

pub async fn panels(db: &Db, committee: i64) -> DbResult<Vec<PanelRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, PanelRow>(
        "SELECT id, code, name FROM panels WHERE committee_id = $1 ORDER BY code",
    ).bind(committee).fetch_all(c).await))
}

pub async fn insert_panel(
    tx: &mut Tx,
    committee: i64,
    code: &str,
    name: &str,
    at: DateTime<Utc>,
) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO panels (committee_id, code, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    ).bind(committee).bind(code).bind(name).bind(at).fetch_one(c).await))
}

/// A committee's reviewers and chair, with their term and panel when set.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub user_id: i64,
    pub person_id: i64,
    pub name: String,
    pub role: String,
    pub unit_name: Option<String>,
    pub panel_id: Option<i64>,
    pub term_from: Option<NaiveDate>,
    pub term_to: Option<NaiveDate>,
}

pub async fn members(db: &Db, committee: i64) -> DbResult<Vec<MemberRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, MemberRow>(
        "SELECT u.id AS user_id, p.id AS person_id, p.name, g.role, un.name AS unit_name,
                t.panel_id, t.term_from, t.term_to
         FROM role_grants g JOIN users u ON u.id = g.user_id JOIN people p ON p.id = u.person_id
         LEFT JOIN units un ON un.id = p.unit_id
         LEFT JOIN committee_terms t ON t.committee_id = g.committee_id AND t.user_id = u.id
         WHERE g.committee_id = $1 AND g.role IN ('reviewer', 'chair') AND u.active = TRUE
         ORDER BY CASE g.role WHEN 'chair' THEN 0 ELSE 1 END, p.name_sort, u.id",
    ).bind(committee).fetch_all(c).await))
}

pub async fn put_term(
    tx: &mut Tx,
    committee: i64,
    user: i64,
    panel: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO committee_terms (committee_id, user_id, panel_id, term_from, term_to, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (committee_id, user_id) DO UPDATE SET panel_id = excluded.panel_id,
             term_from = excluded.term_from, term_to = excluded.term_to, updated_at = excluded.updated_at",
    ).bind(committee).bind(user).bind(panel).bind(from).bind(to).bind(at)
     .execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

/// Puts an accepted application on a sub-panel.
pub async fn set_application_panel(tx: &mut Tx, application: i64, panel: i64) -> DbResult<u64> {
    on_tx!(tx, c => ok(sqlx::query("UPDATE applications SET panel_id = $1 WHERE id = $2")
        .bind(panel).bind(application).execute(c).await.map(|r| r.rows_affected())))
}

pub async fn application_panel(db: &Db, application: i64) -> DbResult<Option<i64>> {
    on_db!(db, c => ok(sqlx::query_scalar("SELECT panel_id FROM applications WHERE id = $1")
        .bind(application).fetch_one(c).await))
}

// ---- assignments ----

/// Reviewers assigned to an application (user id, name).
pub async fn assigned(db: &Db, application: i64) -> DbResult<Vec<(i64, String)>> {
    on_db!(db, c => ok(sqlx::query_as(
        "SELECT u.id, p.name FROM review_assignments a JOIN users u ON u.id = a.reviewer_id
         JOIN people p ON p.id = u.person_id WHERE a.application_id = $1 ORDER BY p.name_sort, u.id",
    ).bind(application).fetch_all(c).await))
}

/// The applications a reviewer is assigned to.
pub async fn assignments_of(db: &Db, reviewer: i64) -> DbResult<Vec<i64>> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT application_id FROM review_assignments WHERE reviewer_id = $1 ORDER BY application_id",
    ).bind(reviewer).fetch_all(c).await))
}

pub async fn assign(
    tx: &mut Tx,
    application: i64,
    reviewer: i64,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO review_assignments (application_id, reviewer_id, assigned_at) VALUES ($1, $2, $3)
         ON CONFLICT (application_id, reviewer_id) DO NOTHING",
    ).bind(application).bind(reviewer).bind(at).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

pub async fn unassign(tx: &mut Tx, application: i64, reviewer: i64) -> DbResult<u64> {
    on_tx!(tx, c => ok(sqlx::query(
        "DELETE FROM review_assignments WHERE application_id = $1 AND reviewer_id = $2",
    ).bind(application).bind(reviewer).execute(c).await.map(|r| r.rows_affected())))
}

// ---- conflicts ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConflictRow {
    pub reviewer_id: i64,
    pub reviewer_name: String,
    pub kind: String,
    pub detail: String,
}

pub async fn conflicts(db: &Db, application: i64) -> DbResult<Vec<ConflictRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, ConflictRow>(
        "SELECT k.reviewer_id, p.name AS reviewer_name, k.kind, k.detail
         FROM review_conflicts k JOIN users u ON u.id = k.reviewer_id JOIN people p ON p.id = u.person_id
         WHERE k.application_id = $1 ORDER BY p.name_sort, k.id",
    ).bind(application).fetch_all(c).await))
}

/// Whether `reviewer` has any conflict with the application.
pub async fn is_conflicted(db: &Db, application: i64, reviewer: i64) -> DbResult<bool> {
    let n: i64 = on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM review_conflicts WHERE application_id = $1 AND reviewer_id = $2",
    ).bind(application).bind(reviewer).fetch_one(c).await))?;
    Ok(n > 0)
}

/// Records a conflict once (the same reason again changes nothing); true when it is new.
pub async fn add_conflict(
    tx: &mut Tx,
    application: i64,
    reviewer: i64,
    kind: &str,
    detail: &str,
    at: DateTime<Utc>,
) -> DbResult<bool> {
    let n = on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO review_conflicts (application_id, reviewer_id, kind, detail, found_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (application_id, reviewer_id, kind, detail) DO NOTHING",
    ).bind(application).bind(reviewer).bind(kind).bind(detail).bind(at)
     .execute(c).await.map(|r| r.rows_affected())))?;
    Ok(n == 1)
}

// ---- what conflict detection reads ----

/// A person's employers: their stated history, and the unit the roster gives them now.
pub async fn employments(
    db: &Db,
    person: i64,
) -> DbResult<Vec<(String, NaiveDate, Option<NaiveDate>)>> {
    let mut out: Vec<(String, NaiveDate, Option<NaiveDate>)> = on_db!(db, c => ok(sqlx::query_as(
        "SELECT unit_name, from_on, to_on FROM person_employers WHERE person_id = $1 ORDER BY from_on",
    ).bind(person).fetch_all(c).await))?;
    let unit: Option<String> = on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT un.name FROM people p JOIN units un ON un.id = p.unit_id WHERE p.id = $1",
    ).bind(person).fetch_optional(c).await))?;
    if let Some(unit) = unit {
        out.push((unit, NaiveDate::MIN, None));
    }
    Ok(out)
}

/// A person's claims on contracts that stand (deal id and the claim's payload).
pub async fn contract_claims(db: &Db, person: i64) -> DbResult<Vec<(i64, String)>> {
    on_db!(db, c => ok(sqlx::query_as(
        "SELECT r.deal_id, v.payload FROM records r
         JOIN record_versions v ON v.record_id = r.id AND v.version = r.version
         WHERE r.person_id = $1 AND r.kind = 'deal' AND r.status NOT IN ('withdrawn', 'rejected')",
    ).bind(person).fetch_all(c).await))
}

/// The people whose practical cases `user` has scored.
pub async fn scored_cases_of(db: &Db, user: i64) -> DbResult<Vec<i64>> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT DISTINCT r.person_id FROM case_reviews cr JOIN records r ON r.id = cr.record_id
         WHERE cr.reviewer_id = $1",
    ).bind(user).fetch_all(c).await))
}
