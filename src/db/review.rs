//! Senior-title review storage: the working-day calendar, review sessions, applications with
//! their frozen dossiers and the history of each application's procedure.

use super::{Db, DbError, DbResult, Pool, Tx, ok};
use crate::domain::review::calendar::WorkCalendar;
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

// ---- the working-day calendar ----

/// The whole stored calendar (a few dozen days a year).
pub async fn calendar(db: &Db) -> DbResult<WorkCalendar> {
    let rows: Vec<(NaiveDate, String)> = on_db!(db, c => ok(sqlx::query_as(
        "SELECT day, kind FROM work_calendar ORDER BY day",
    ).fetch_all(c).await))?;
    let mut cal = WorkCalendar::default();
    for (day, kind) in rows {
        if kind == "holiday" {
            cal.holidays.insert(day);
        } else {
            cal.workdays.insert(day);
        }
    }
    Ok(cal)
}

/// Replaces the stored exceptions of every year `cal` mentions with `cal`'s.
pub async fn put_calendar(tx: &mut Tx, cal: &WorkCalendar, at: DateTime<Utc>) -> DbResult<()> {
    use chrono::Datelike;
    let mut years: Vec<i32> = cal
        .holidays
        .iter()
        .chain(cal.workdays.iter())
        .map(|d| d.year())
        .collect();
    years.sort_unstable();
    years.dedup();
    for year in years {
        let (from, to) = (
            NaiveDate::from_ymd_opt(year, 1, 1).ok_or(DbError::NotFound)?,
            NaiveDate::from_ymd_opt(year, 12, 31).ok_or(DbError::NotFound)?,
        );
        on_tx!(tx, c => ok(sqlx::query("DELETE FROM work_calendar WHERE day >= $1 AND day <= $2")
            .bind(from).bind(to).execute(c).await.map(|r| r.rows_affected())))?;
    }
    let days = cal
        .holidays
        .iter()
        .map(|d| (d, "holiday"))
        .chain(cal.workdays.iter().map(|d| (d, "workday")));
    for (day, kind) in days {
        on_tx!(tx, c => ok(sqlx::query(
            "INSERT INTO work_calendar (day, kind, updated_at) VALUES ($1, $2, $3)",
        ).bind(day).bind(kind).bind(at).execute(c).await.map(|r| r.rows_affected())))?;
    }
    Ok(())
}

// ---- review sessions ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub committee_id: i64,
    pub committee_name: String,
    pub code: String,
    pub name: String,
    pub applies_from: NaiveDate,
    pub applies_to: NaiveDate,
    pub scoring_from: NaiveDate,
    pub scoring_to: NaiveDate,
    pub meeting_on: NaiveDate,
    pub rules: String,
    /// The case rubric the session scores on (criterion → maximum points), as JSON.
    pub rubric: String,
    pub applications: i64,
}

pub struct NewSession<'a> {
    pub committee_id: i64,
    pub code: &'a str,
    pub name: &'a str,
    pub applies_from: NaiveDate,
    pub applies_to: NaiveDate,
    pub scoring_from: NaiveDate,
    pub scoring_to: NaiveDate,
    pub meeting_on: NaiveDate,
    pub rules: &'a str,
    pub rubric: &'a str,
}

pub async fn insert_session(tx: &mut Tx, s: &NewSession<'_>, at: DateTime<Utc>) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO review_sessions (committee_id, code, name, applies_from, applies_to,
                                      scoring_from, scoring_to, meeting_on, rules, rubric, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    ).bind(s.committee_id).bind(s.code).bind(s.name).bind(s.applies_from).bind(s.applies_to)
     .bind(s.scoring_from).bind(s.scoring_to).bind(s.meeting_on).bind(s.rules).bind(s.rubric).bind(at)
     .fetch_one(c).await))
}

impl SessionRow {
    pub fn schedule(&self) -> crate::domain::review::schedule::Schedule {
        crate::domain::review::schedule::Schedule {
            applies_from: self.applies_from,
            applies_to: self.applies_to,
            scoring_from: self.scoring_from,
            scoring_to: self.scoring_to,
            meeting_on: self.meeting_on,
        }
    }
}

/// Moves a session's dates from `before` to `after` (0 rows: they changed meanwhile).
pub async fn move_session(
    tx: &mut Tx,
    id: i64,
    before: &crate::domain::review::schedule::Schedule,
    after: &crate::domain::review::schedule::Schedule,
) -> DbResult<u64> {
    on_tx!(tx, c => ok(sqlx::query(
        "UPDATE review_sessions SET applies_from = $1, applies_to = $2, scoring_from = $3,
                scoring_to = $4, meeting_on = $5
         WHERE id = $6 AND applies_from = $7 AND applies_to = $8 AND scoring_from = $9
           AND scoring_to = $10 AND meeting_on = $11",
    )
    .bind(after.applies_from).bind(after.applies_to).bind(after.scoring_from)
    .bind(after.scoring_to).bind(after.meeting_on).bind(id)
    .bind(before.applies_from).bind(before.applies_to).bind(before.scoring_from)
    .bind(before.scoring_to).bind(before.meeting_on)
    .execute(c).await.map(|r| r.rows_affected())))
}

/// One change of a session's schedule, as kept.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScheduleChangeRow {
    pub before: String,
    pub after: String,
    pub reason: String,
    pub changed_by_name: Option<String>,
    pub changed_at: DateTime<Utc>,
}

pub async fn insert_schedule_change(
    tx: &mut Tx,
    session: i64,
    before: &str,
    after: &str,
    reason: &str,
    by: Option<i64>,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO session_schedule_changes (session_id, before, after, reason, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    ).bind(session).bind(before).bind(after).bind(reason).bind(by).bind(at)
     .execute(c).await.map(|_| ())))
}

/// A session's schedule changes, oldest first, with the name of who made each.
pub async fn schedule_changes(db: &Db, session: i64) -> DbResult<Vec<ScheduleChangeRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, ScheduleChangeRow>(
        "SELECT c.before, c.after, c.reason, p.name AS changed_by_name, c.changed_at
         FROM session_schedule_changes c
         LEFT JOIN users u ON u.id = c.changed_by
         LEFT JOIN people p ON p.id = u.person_id
         WHERE c.session_id = $1 ORDER BY c.id",
    ).bind(session).fetch_all(c).await))
}

const SESSION_SELECT: &str =
    "SELECT s.id, s.committee_id, k.name AS committee_name, s.code, s.name,
        s.applies_from, s.applies_to, s.scoring_from, s.scoring_to, s.meeting_on, s.rules, s.rubric,
        (SELECT COUNT(*) FROM applications a WHERE a.session_id = s.id AND a.dossier_version > 0)
          AS applications
     FROM review_sessions s JOIN committees k ON k.id = s.committee_id";

/// Every session, newest window first.
pub async fn sessions(db: &Db) -> DbResult<Vec<SessionRow>> {
    let sql = format!("{SESSION_SELECT} ORDER BY s.applies_from DESC, s.code");
    on_db!(db, c => ok(sqlx::query_as::<_, SessionRow>(sqlx::AssertSqlSafe(sql)).fetch_all(c).await))
}

pub async fn session(db: &Db, id: i64) -> DbResult<Option<SessionRow>> {
    let sql = format!("{SESSION_SELECT} WHERE s.id = $1");
    on_db!(db, c => ok(sqlx::query_as::<_, SessionRow>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await))
}

// ---- applications ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApplicationRow {
    pub id: i64,
    pub session_id: i64,
    pub person_id: i64,
    pub unit_id: Option<i64>,
    pub state: String,
    pub exception_request: String,
    pub exception_reason: Option<String>,
    pub dossier_version: i32,
    pub notice_from: Option<NaiveDate>,
    pub notice_days_before: i32,
    pub supplement_due: Option<NaiveDate>,
    pub supplement_request: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub revision: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub person_name: String,
    pub unit_name: Option<String>,
    pub session_code: String,
    pub committee_id: i64,
}

const APPLICATION_SELECT: &str = "SELECT a.id, a.session_id, a.person_id, a.unit_id, a.state,
        a.exception_request, a.exception_reason, a.dossier_version, a.notice_from,
        a.notice_days_before, a.supplement_due, a.supplement_request, a.decided_on, a.revision,
        a.created_at, a.updated_at, p.name AS person_name, u.name AS unit_name,
        s.code AS session_code, s.committee_id
     FROM applications a JOIN people p ON p.id = a.person_id
     JOIN review_sessions s ON s.id = a.session_id
     LEFT JOIN units u ON u.id = a.unit_id";

pub async fn insert_application(
    tx: &mut Tx,
    session: i64,
    person: i64,
    unit: Option<i64>,
    state: &str,
    at: DateTime<Utc>,
) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO applications (session_id, person_id, unit_id, state, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    ).bind(session).bind(person).bind(unit).bind(state).bind(at).fetch_one(c).await))
}

pub async fn application(db: &Db, id: i64) -> DbResult<Option<ApplicationRow>> {
    let sql = format!("{APPLICATION_SELECT} WHERE a.id = $1");
    on_db!(db, c => ok(sqlx::query_as::<_, ApplicationRow>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await))
}

/// The application as the transaction sees it (for a change that depends on it).
pub async fn application_in(tx: &mut Tx, id: i64) -> DbResult<Option<ApplicationRow>> {
    let sql = format!("{APPLICATION_SELECT} WHERE a.id = $1");
    on_tx!(tx, c => ok(sqlx::query_as::<_, ApplicationRow>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await))
}

pub async fn applications_of_session(db: &Db, session: i64) -> DbResult<Vec<ApplicationRow>> {
    let sql = format!("{APPLICATION_SELECT} WHERE a.session_id = $1 ORDER BY p.name_sort, a.id");
    on_db!(db, c => ok(sqlx::query_as::<_, ApplicationRow>(sqlx::AssertSqlSafe(sql)).bind(session).fetch_all(c).await))
}

pub async fn applications_of_person(db: &Db, person: i64) -> DbResult<Vec<ApplicationRow>> {
    let sql = format!("{APPLICATION_SELECT} WHERE a.person_id = $1 ORDER BY a.id DESC");
    on_db!(db, c => ok(sqlx::query_as::<_, ApplicationRow>(sqlx::AssertSqlSafe(sql)).bind(person).fetch_all(c).await))
}

/// Applications that have reached a unit (submitted at least once), for its reviewers.
pub async fn applications_of_unit(db: &Db, unit: i64) -> DbResult<Vec<ApplicationRow>> {
    let sql = format!(
        "{APPLICATION_SELECT} WHERE a.unit_id = $1 AND a.dossier_version > 0 ORDER BY a.id DESC"
    );
    on_db!(db, c => ok(sqlx::query_as::<_, ApplicationRow>(sqlx::AssertSqlSafe(sql)).bind(unit).fetch_all(c).await))
}

/// Applications in `state` in any session (for the clock).
pub async fn applications_in_state(db: &Db, state: &str) -> DbResult<Vec<ApplicationRow>> {
    let sql = format!("{APPLICATION_SELECT} WHERE a.state = $1 ORDER BY a.id");
    on_db!(db, c => ok(sqlx::query_as::<_, ApplicationRow>(sqlx::AssertSqlSafe(sql)).bind(state).fetch_all(c).await))
}

/// Writes the application's changeable fields, if nobody moved it since it was read at
/// `row.revision`; then its revision is one more. `Conflict` otherwise.
pub async fn save(tx: &mut Tx, row: &ApplicationRow, at: DateTime<Utc>) -> DbResult<()> {
    let done = on_tx!(tx, c => ok(sqlx::query(
        "UPDATE applications SET state = $1, unit_id = $2, exception_request = $3,
                exception_reason = $4, dossier_version = $5, notice_from = $6,
                notice_days_before = $7, supplement_due = $8, supplement_request = $9,
                decided_on = $10, revision = revision + 1, updated_at = $11
         WHERE id = $12 AND revision = $13",
    ).bind(&row.state).bind(row.unit_id).bind(&row.exception_request)
     .bind(&row.exception_reason).bind(row.dossier_version).bind(row.notice_from)
     .bind(row.notice_days_before).bind(row.supplement_due).bind(&row.supplement_request)
     .bind(row.decided_on).bind(at).bind(row.id).bind(row.revision)
     .execute(c).await.map(|r| r.rows_affected())))?;
    if done == 1 {
        Ok(())
    } else {
        Err(DbError::Conflict {
            constraint: "applications.revision".into(),
        })
    }
}

/// The session in which `person` last did not pass, among `committee`'s sessions whose
/// application window opened in `year`.
pub async fn failed_in_year(
    db: &Db,
    person: i64,
    committee: i64,
    year: i32,
) -> DbResult<Option<String>> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(DbError::NotFound)?;
    let to = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(DbError::NotFound)?;
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT s.code FROM applications a JOIN review_sessions s ON s.id = a.session_id
         WHERE a.person_id = $1 AND s.committee_id = $2 AND a.state = 'not_passed'
           AND s.applies_from >= $3 AND s.applies_from <= $4
         ORDER BY s.applies_from DESC LIMIT 1",
    ).bind(person).bind(committee).bind(from).bind(to).fetch_optional(c).await))
}

// ---- dossiers ----

pub async fn insert_dossier(
    tx: &mut Tx,
    application: i64,
    version: i32,
    payload: &str,
    sha256: &str,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO dossiers (application_id, version, payload, sha256, frozen_at)
         VALUES ($1, $2, $3, $4, $5)",
    ).bind(application).bind(version).bind(payload).bind(sha256).bind(at).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DossierRow {
    pub version: i32,
    pub payload: String,
    pub sha256: String,
    pub frozen_at: DateTime<Utc>,
}

pub async fn dossier(db: &Db, application: i64, version: i32) -> DbResult<Option<DossierRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, DossierRow>(
        "SELECT version, payload, sha256, frozen_at FROM dossiers
         WHERE application_id = $1 AND version = $2",
    ).bind(application).bind(version).fetch_optional(c).await))
}

// ---- the procedure's history ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub event: String,
    pub from_state: String,
    pub to_state: String,
    pub actor: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

pub struct NewEvent<'a> {
    pub application: i64,
    pub event: &'a str,
    pub from_state: &'a str,
    pub to_state: &'a str,
    pub actor: &'a str,
    pub reason: &'a str,
}

pub async fn insert_event(tx: &mut Tx, e: &NewEvent<'_>, at: DateTime<Utc>) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO application_events (application_id, event, from_state, to_state, actor, reason, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    ).bind(e.application).bind(e.event).bind(e.from_state).bind(e.to_state).bind(e.actor)
     .bind(e.reason).bind(at).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

pub async fn events(db: &Db, application: i64) -> DbResult<Vec<EventRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, EventRow>(
        "SELECT event, from_state, to_state, actor, reason, at FROM application_events
         WHERE application_id = $1 ORDER BY id",
    ).bind(application).fetch_all(c).await))
}

/// A person's employer unit and gender, as the roster holds them.
pub async fn person_unit(db: &Db, person: i64) -> DbResult<Option<(Option<i64>, Option<String>)>> {
    on_db!(db, c => ok(sqlx::query_as(
        "SELECT unit_id, gender FROM people WHERE id = $1",
    ).bind(person).fetch_optional(c).await))
}

/// The states as one JSON parameter ($2) and the table that unpacks it.
fn states_param(db: &Db, states: &[&str]) -> (&'static str, String) {
    let table = match db.pool() {
        Pool::Sqlite(_) => "json_each($2) AS j",
        Pool::Postgres(_) => "json_array_elements_text($2::json) AS j(value)",
    };
    (table, serde_json::to_string(states).unwrap_or_default())
}

/// Applications of a unit's staff in one of `states` (a unit reviewer's to-do count).
pub async fn count_for_unit(db: &Db, unit: i64, states: &[&str]) -> DbResult<i64> {
    let (table, states) = states_param(db, states);
    let sql = format!(
        "SELECT COUNT(*) FROM applications WHERE unit_id = $1 AND state IN (SELECT value FROM {table})"
    );
    on_db!(db, c => ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(unit).bind(states).fetch_one(c).await))
}

/// Applications to a committee's sessions in one of `states` (the secretariat's to-do count).
pub async fn count_for_committee(db: &Db, committee: i64, states: &[&str]) -> DbResult<i64> {
    let (table, states) = states_param(db, states);
    let sql = format!(
        "SELECT COUNT(*) FROM applications a JOIN review_sessions s ON s.id = a.session_id
         WHERE s.committee_id = $1 AND a.state IN (SELECT value FROM {table})"
    );
    on_db!(db, c => ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(committee).bind(states).fetch_one(c).await))
}
