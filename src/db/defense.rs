//! The defense (0013): each candidate's schedule and the reviewers' scores. A score is written
//! once: the primary key makes a second submission a no-op the caller reports, and triggers on
//! both engines refuse to change or delete it.

use super::{Db, DbResult, Tx, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, NaiveDateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DefenseRow {
    pub application_id: i64,
    /// China time.
    pub starts_at: NaiveDateTime,
    pub place: String,
}

/// Sets (or moves) an application's defense. Moving it is refused here too once a score is
/// in, so a reschedule racing a first score cannot slip past: false when nothing changed.
pub async fn schedule(
    tx: &mut Tx,
    application: i64,
    starts_at: NaiveDateTime,
    place: &str,
    at: DateTime<Utc>,
) -> DbResult<bool> {
    let n = on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO review_defenses (application_id, starts_at, place, scheduled_at)
         SELECT $1, $2, $3, $4
         WHERE NOT EXISTS (SELECT 1 FROM defense_scores WHERE application_id = $1)
         ON CONFLICT (application_id) DO UPDATE
         SET starts_at = excluded.starts_at, place = excluded.place, scheduled_at = excluded.scheduled_at",
    ).bind(application).bind(starts_at).bind(place).bind(at).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(n == 1)
}

pub async fn defense(db: &Db, application: i64) -> DbResult<Option<DefenseRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, DefenseRow>(
        "SELECT application_id, starts_at, place FROM review_defenses WHERE application_id = $1",
    ).bind(application).fetch_optional(c).await))
}

pub struct NewScore<'a> {
    pub application: i64,
    pub reviewer: i64,
    pub score: i32,
    pub comment: &'a str,
}

/// Stores a score; false when the reviewer had already scored (nothing changes).
pub async fn insert_score(tx: &mut Tx, s: &NewScore<'_>, at: DateTime<Utc>) -> DbResult<bool> {
    let n = on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO defense_scores (application_id, reviewer_id, score, comment, submitted_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (application_id, reviewer_id) DO NOTHING",
    ).bind(s.application).bind(s.reviewer).bind(s.score).bind(s.comment).bind(at)
     .execute(c).await.map(|r| r.rows_affected())))?;
    Ok(n == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScoreRow {
    pub reviewer_id: i64,
    pub score: i32,
    pub comment: String,
    pub submitted_at: DateTime<Utc>,
}

/// An application's defense scores, in the order they came in.
pub async fn scores(db: &Db, application: i64) -> DbResult<Vec<ScoreRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, ScoreRow>(
        "SELECT reviewer_id, score, comment, submitted_at
         FROM defense_scores WHERE application_id = $1 ORDER BY submitted_at, reviewer_id",
    ).bind(application).fetch_all(c).await))
}
