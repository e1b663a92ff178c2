//! The committee's meetings and the secret ballot (0011, 0015). A vote is two rows in one
//! transaction: that the member has voted on the candidate, and the encrypted ballot (bound
//! to the member's tag; nothing in it is readable without the meeting's secret). There is no
//! running counter: a candidate's counts are written once, when their sums are decrypted.
//! Before 0015 a vote incremented the tally in the same transaction; those tallies are kept,
//! with `method` 'counter'.

use super::{Db, DbResult, Pool, Tx, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub session_id: i64,
    pub held_on: NaiveDate,
    pub opened_at: DateTime<Utc>,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
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
        "SELECT id, session_id, held_on, opened_at, voided_at, void_reason FROM review_meetings
         WHERE session_id = $1 ORDER BY id DESC",
    ).bind(session).fetch_all(c).await))
}

pub async fn meeting(db: &Db, id: i64) -> DbResult<Option<MeetingRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, MeetingRow>(
        "SELECT id, session_id, held_on, opened_at, voided_at, void_reason FROM review_meetings WHERE id = $1",
    ).bind(id).fetch_optional(c).await))
}

pub async fn insert_member(
    tx: &mut Tx,
    meeting: i64,
    user: i64,
    role: &str,
    present: bool,
    voter_tag: &str,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO meeting_members (meeting_id, user_id, role, present, voter_tag)
         VALUES ($1, $2, $3, $4, $5)",
    ).bind(meeting).bind(user).bind(role).bind(present).bind(voter_tag)
    .execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

/// A member's tag in the meeting (what their ballots' proofs are bound to).
pub async fn voter_tag(db: &Db, meeting: i64, user: i64) -> DbResult<Option<String>> {
    let tag: Option<Option<String>> = on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT voter_tag FROM meeting_members WHERE meeting_id = $1 AND user_id = $2",
    ).bind(meeting).bind(user).fetch_optional(c).await))?;
    Ok(tag.flatten())
}

/// Stores a meeting's public key and its sealed secret.
pub async fn insert_key(
    tx: &mut Tx,
    meeting: i64,
    public_key: &str,
    secret: &SealedSecret,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query("INSERT INTO ballot_keys (meeting_id, public_key) VALUES ($1, $2)")
        .bind(meeting).bind(public_key).execute(c).await.map(|r| r.rows_affected())))?;
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO ballot_secrets (meeting_id, key_id, nonce, sealed) VALUES ($1, $2, $3, $4)",
    ).bind(meeting).bind(&secret.key_id).bind(&secret.nonce).bind(&secret.sealed)
    .execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

/// A meeting's secret as stored: sealed with the server key `key_id`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SealedSecret {
    pub key_id: String,
    pub nonce: Vec<u8>,
    pub sealed: Vec<u8>,
}

/// The meeting's public key, if it has one (meetings before 0015 do not).
pub async fn public_key(db: &Db, meeting: i64) -> DbResult<Option<String>> {
    on_db!(db, c => ok(sqlx::query_scalar("SELECT public_key FROM ballot_keys WHERE meeting_id = $1")
        .bind(meeting).fetch_optional(c).await))
}

/// The meeting's sealed secret, until it is erased.
pub async fn sealed_secret(db: &Db, meeting: i64) -> DbResult<Option<SealedSecret>> {
    on_db!(db, c => ok(sqlx::query_as::<_, SealedSecret>(
        "SELECT key_id, nonce, sealed FROM ballot_secrets WHERE meeting_id = $1",
    ).bind(meeting).fetch_optional(c).await))
}

/// Deletes the meeting's sealed secret; true if there was one.
pub async fn delete_secret(tx: &mut Tx, meeting: i64) -> DbResult<bool> {
    let n = on_tx!(tx, c => ok(sqlx::query("DELETE FROM ballot_secrets WHERE meeting_id = $1")
        .bind(meeting).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(n > 0)
}

/// After a secret is deleted: makes sure no page of the database's files still holds it.
/// SQLite runs with `secure_delete` (freed content is zeroed), and its write-ahead log — which
/// still holds the row as it was written — is checkpointed into the database and truncated.
/// PostgreSQL rewrites the table into a new file (VACUUM FULL), leaving no dead version of the
/// row in its pages; this runs outside any transaction.
pub async fn scrub_secrets(db: &Db) -> DbResult<()> {
    match db.pool() {
        Pool::Sqlite(p) => {
            ok(sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(p)
                .await)?;
        }
        Pool::Postgres(p) => {
            ok(sqlx::query("VACUUM FULL ballot_secrets").execute(p).await)?;
        }
    }
    Ok(())
}

/// Marks a meeting voided.
pub async fn void_meeting(
    tx: &mut Tx,
    meeting: i64,
    reason: &str,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "UPDATE review_meetings SET voided_at = $2, void_reason = $3 WHERE id = $1",
    ).bind(meeting).bind(at).bind(reason).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

/// An encrypted ballot as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct BallotRow {
    pub receipt: String,
    pub voter_tag: String,
    pub ballot: String,
}

/// Stores a ballot; a conflict when its ciphertext, receipt or the tag's ballot is already there.
pub async fn insert_ballot(
    tx: &mut Tx,
    meeting: i64,
    application: i64,
    row: &BallotRow,
    ciphertext_id: &str,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO ballots (meeting_id, application_id, receipt, voter_tag, ciphertext_id, ballot)
         VALUES ($1, $2, $3, $4, $5, $6)",
    ).bind(meeting).bind(application).bind(&row.receipt).bind(&row.voter_tag)
    .bind(ciphertext_id).bind(&row.ballot)
    .execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

/// A candidate's ballots in the meeting, in receipt order (never the order they were cast).
pub async fn ballots(db: &Db, meeting: i64, application: i64) -> DbResult<Vec<BallotRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, BallotRow>(
        "SELECT receipt, voter_tag, ballot FROM ballots
         WHERE meeting_id = $1 AND application_id = $2 ORDER BY receipt",
    ).bind(meeting).bind(application).fetch_all(c).await))
}

/// Whether a receipt is among the meeting's ballots (and for which candidate).
pub async fn find_receipt(db: &Db, meeting: i64, receipt: &str) -> DbResult<Option<i64>> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT application_id FROM ballots WHERE meeting_id = $1 AND receipt = $2",
    ).bind(meeting).bind(receipt).fetch_optional(c).await))
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
         ORDER BY CASE m.role WHEN 'chair' THEN 0 ELSE 1 END, p.name_sort, m.user_id",
    ).bind(meeting).fetch_all(c).await))
}

/// Opens a candidate's encrypted ballot with its attending count: no counts until the close.
pub async fn open_tally(
    tx: &mut Tx,
    meeting: i64,
    application: i64,
    attending: i32,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO ballot_tallies (meeting_id, application_id, attending, digest, method)
         VALUES ($1, $2, $3, '', 'encrypted')",
    ).bind(meeting).bind(application).bind(attending).execute(c).await.map(|r| r.rows_affected())))?;
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
    /// 'encrypted', 'paper' or 'counter' (before 0015).
    pub method: String,
    /// The counts are final (decrypted, or recorded from paper, or a 'counter' tally).
    pub counted: bool,
    pub sums: Option<String>,
    pub opening: Option<String>,
}

const TALLY: &str =
    "SELECT meeting_id, attending, yes, no, abstain, digest, method, counted, sums, opening
    FROM ballot_tallies";

/// A candidate's ballot in their latest meeting.
pub async fn tally(db: &Db, application: i64) -> DbResult<Option<TallyRow>> {
    let sql = format!("{TALLY} WHERE application_id = $1 ORDER BY meeting_id DESC LIMIT 1");
    on_db!(db, c => ok(sqlx::query_as::<_, TallyRow>(sqlx::AssertSqlSafe(sql))
        .bind(application).fetch_optional(c).await))
}

/// Every candidate's ballot in a meeting.
pub async fn tallies(db: &Db, meeting: i64) -> DbResult<Vec<(i64, TallyRow)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        application_id: i64,
        #[sqlx(flatten)]
        tally: TallyRow,
    }
    let rows: Vec<Row> = on_db!(db, c => ok(sqlx::query_as::<_, Row>(
        "SELECT application_id, meeting_id, attending, yes, no, abstain, digest, method, counted, sums, opening
         FROM ballot_tallies WHERE meeting_id = $1 ORDER BY application_id",
    ).bind(meeting).fetch_all(c).await))?;
    Ok(rows
        .into_iter()
        .map(|r| (r.application_id, r.tally))
        .collect())
}

/// Writes a candidate's final counts, once: the decrypted sums (with the sums, their opening
/// and the ballots' digest) or a paper count.
#[allow(clippy::too_many_arguments)]
pub async fn record_counts(
    tx: &mut Tx,
    meeting: i64,
    application: i64,
    method: &str,
    (yes, no, abstain): (i32, i32, i32),
    digest: &str,
    sums: Option<&str>,
    opening: Option<&str>,
) -> DbResult<bool> {
    let n = on_tx!(tx, c => ok(sqlx::query(
        "UPDATE ballot_tallies SET method = $3, yes = $4, no = $5, abstain = $6, digest = $7,
                sums = $8, opening = $9, counted = TRUE
         WHERE meeting_id = $1 AND application_id = $2 AND NOT counted",
    ).bind(meeting).bind(application).bind(method).bind(yes).bind(no).bind(abstain)
    .bind(digest).bind(sums).bind(opening)
    .execute(c).await.map(|r| r.rows_affected())))?;
    Ok(n == 1)
}

/// Records that `user` has voted on the candidate; false if they already had.
pub async fn mark_voted(tx: &mut Tx, meeting: i64, application: i64, user: i64) -> DbResult<bool> {
    let n = on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO ballot_voters (meeting_id, application_id, user_id) VALUES ($1, $2, $3)
         ON CONFLICT (meeting_id, application_id, user_id) DO NOTHING",
    ).bind(meeting).bind(application).bind(user).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(n == 1)
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

/// Every meeting with a key (the encrypted ballot), newest first, with its session's committee
/// and code.
pub async fn keyed_meetings(db: &Db) -> DbResult<Vec<(i64, i64, String, NaiveDate)>> {
    on_db!(db, c => ok(sqlx::query_as(
        "SELECT m.id, s.committee_id, s.code, m.held_on
         FROM review_meetings m JOIN review_sessions s ON s.id = m.session_id
         JOIN ballot_keys k ON k.meeting_id = m.id
         ORDER BY m.id DESC",
    ).fetch_all(c).await))
}
