//! The committee's meetings and the secret ballot (0011). A vote is two writes in one
//! transaction: a row saying that the member has voted on the candidate (nothing about how),
//! and an increment of the candidate's tally with the digest extended. Neither table has a
//! member column beside a choice, a timestamp or a sequential key.

use super::{Db, DbResult, Tx, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub session_id: i64,
    pub held_on: NaiveDate,
    pub opened_at: DateTime<Utc>,
}

pub async fn insert_meeting(
    tx: &mut Tx,
    session: i64,
    held_on: NaiveDate,
    at: DateTime<Utc>,
) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO review_meetings (session_id, held_on, opened_at) VALUES ($1, $2, $3) RETURNING id",
    ).bind(session).bind(held_on).bind(at).fetch_one(c).await))
}

/// A session's meetings, the latest first.
pub async fn meetings(db: &Db, session: i64) -> DbResult<Vec<MeetingRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, MeetingRow>(
        "SELECT id, session_id, held_on, opened_at FROM review_meetings
         WHERE session_id = $1 ORDER BY id DESC",
    ).bind(session).fetch_all(c).await))
}

pub async fn meeting(db: &Db, id: i64) -> DbResult<Option<MeetingRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, MeetingRow>(
        "SELECT id, session_id, held_on, opened_at FROM review_meetings WHERE id = $1",
    ).bind(id).fetch_optional(c).await))
}

pub async fn insert_member(
    tx: &mut Tx,
    meeting: i64,
    user: i64,
    role: &str,
    present: bool,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO meeting_members (meeting_id, user_id, role, present) VALUES ($1, $2, $3, $4)",
    ).bind(meeting).bind(user).bind(role).bind(present).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub user_id: i64,
    pub name: String,
    pub role: String,
    pub present: bool,
}

/// The members who sat on a meeting, the chair first.
pub async fn members(db: &Db, meeting: i64) -> DbResult<Vec<MemberRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, MemberRow>(
        "SELECT m.user_id, p.name, m.role, m.present
         FROM meeting_members m JOIN users u ON u.id = m.user_id JOIN people p ON p.id = u.person_id
         WHERE m.meeting_id = $1
         ORDER BY CASE m.role WHEN 'chair' THEN 0 ELSE 1 END, p.name, m.user_id",
    ).bind(meeting).fetch_all(c).await))
}

/// Opens a candidate's ballot with its attending count and the digest's starting value.
pub async fn open_tally(
    tx: &mut Tx,
    meeting: i64,
    application: i64,
    attending: i32,
    digest: &str,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO ballot_tallies (meeting_id, application_id, attending, digest) VALUES ($1, $2, $3, $4)",
    ).bind(meeting).bind(application).bind(attending).bind(digest).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TallyRow {
    pub meeting_id: i64,
    pub attending: i32,
    pub yes: i32,
    pub no: i32,
    pub abstain: i32,
    pub digest: String,
}

/// A candidate's ballot in their latest meeting.
pub async fn tally(db: &Db, application: i64) -> DbResult<Option<TallyRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, TallyRow>(
        "SELECT meeting_id, attending, yes, no, abstain, digest FROM ballot_tallies
         WHERE application_id = $1 ORDER BY meeting_id DESC LIMIT 1",
    ).bind(application).fetch_optional(c).await))
}

/// The ballot, locked for the rest of the transaction (SQLite's write transaction already
/// holds the database; PostgreSQL locks the row).
pub async fn tally_for_update(
    tx: &mut Tx,
    meeting: i64,
    application: i64,
) -> DbResult<Option<TallyRow>> {
    match tx {
        Tx::Sqlite(t) => ok(sqlx::query_as::<_, TallyRow>(
            "SELECT meeting_id, attending, yes, no, abstain, digest FROM ballot_tallies
             WHERE meeting_id = $1 AND application_id = $2",
        )
        .bind(meeting)
        .bind(application)
        .fetch_optional(&mut **t)
        .await),
        Tx::Postgres(t) => ok(sqlx::query_as::<_, TallyRow>(
            "SELECT meeting_id, attending, yes, no, abstain, digest FROM ballot_tallies
             WHERE meeting_id = $1 AND application_id = $2 FOR UPDATE",
        )
        .bind(meeting)
        .bind(application)
        .fetch_optional(&mut **t)
        .await),
    }
}

/// Records that `user` has voted on the candidate; false if they already had.
pub async fn mark_voted(tx: &mut Tx, meeting: i64, application: i64, user: i64) -> DbResult<bool> {
    let n = on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO ballot_voters (meeting_id, application_id, user_id) VALUES ($1, $2, $3)
         ON CONFLICT (meeting_id, application_id, user_id) DO NOTHING",
    ).bind(meeting).bind(application).bind(user).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(n == 1)
}

/// Adds one ballot to the tally (`column` is one of the three choice columns) and stores the
/// extended digest.
pub async fn count(
    tx: &mut Tx,
    meeting: i64,
    application: i64,
    choice: crate::domain::review::meeting::Choice,
    digest: &str,
) -> DbResult<()> {
    use crate::domain::review::meeting::Choice;
    let sql = match choice {
        Choice::Yes => {
            "UPDATE ballot_tallies SET yes = yes + 1, digest = $3 WHERE meeting_id = $1 AND application_id = $2"
        }
        Choice::No => {
            "UPDATE ballot_tallies SET no = no + 1, digest = $3 WHERE meeting_id = $1 AND application_id = $2"
        }
        Choice::Abstain => {
            "UPDATE ballot_tallies SET abstain = abstain + 1, digest = $3 WHERE meeting_id = $1 AND application_id = $2"
        }
    };
    on_tx!(tx, c => ok(sqlx::query(sql).bind(meeting).bind(application).bind(digest)
        .execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

/// How many members have voted on the candidate in the meeting.
pub async fn voted(db: &Db, meeting: i64, application: i64) -> DbResult<i64> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM ballot_voters WHERE meeting_id = $1 AND application_id = $2",
    ).bind(meeting).bind(application).fetch_one(c).await))
}

/// Whether `user` has voted on the candidate in the meeting.
pub async fn has_voted(db: &Db, meeting: i64, application: i64, user: i64) -> DbResult<bool> {
    let n: i64 = on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM ballot_voters WHERE meeting_id = $1 AND application_id = $2 AND user_id = $3",
    ).bind(meeting).bind(application).bind(user).fetch_one(c).await))?;
    Ok(n > 0)
}
