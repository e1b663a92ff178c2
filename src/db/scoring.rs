//! Reviewers' score sheets and the secretariat's reminders (0009, 0010). A sheet is written
//! once: the primary key makes a second submission a no-op the caller reports, and triggers
//! on both engines refuse to change or delete it.

use super::{Db, DbResult, Tx, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};

pub struct NewSheet<'a> {
    pub application: i64,
    pub reviewer: i64,
    /// Criterion → points, as JSON.
    pub scores: &'a str,
    pub total: i32,
    pub recommendation: &'a str,
    pub comment: &'a str,
}

/// Stores a sheet; false when the reviewer had already submitted one (nothing changes).
pub async fn insert(tx: &mut Tx, s: &NewSheet<'_>, at: DateTime<Utc>) -> DbResult<bool> {
    let n = on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO review_scores (application_id, reviewer_id, scores, total, recommendation, comment, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (application_id, reviewer_id) DO NOTHING",
    ).bind(s.application).bind(s.reviewer).bind(s.scores).bind(s.total).bind(s.recommendation)
     .bind(s.comment).bind(at).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(n == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SheetRow {
    pub reviewer_id: i64,
    pub scores: String,
    pub total: i32,
    pub recommendation: String,
    pub comment: String,
    pub submitted_at: DateTime<Utc>,
}

/// An application's sheets, in the order they came in.
pub async fn sheets(db: &Db, application: i64) -> DbResult<Vec<SheetRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, SheetRow>(
        "SELECT reviewer_id, scores, total, recommendation, comment, submitted_at
         FROM review_scores WHERE application_id = $1 ORDER BY submitted_at, reviewer_id",
    ).bind(application).fetch_all(c).await))
}

pub async fn remind(
    tx: &mut Tx,
    application: i64,
    reviewer: i64,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO review_reminders (application_id, reviewer_id, reminded_at) VALUES ($1, $2, $3)",
    ).bind(application).bind(reviewer).bind(at).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

/// The latest reminder to each reviewer of an application: (reviewer, when).
pub async fn reminders(db: &Db, application: i64) -> DbResult<Vec<(i64, DateTime<Utc>)>> {
    on_db!(db, c => ok(sqlx::query_as(
        "SELECT reviewer_id, MAX(reminded_at) FROM review_reminders
         WHERE application_id = $1 GROUP BY reviewer_id",
    ).bind(application).fetch_all(c).await))
}

/// The latest reminder a reviewer has had about an application.
pub async fn last_reminder(
    db: &Db,
    application: i64,
    reviewer: i64,
) -> DbResult<Option<DateTime<Utc>>> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT MAX(reminded_at) FROM review_reminders WHERE application_id = $1 AND reviewer_id = $2",
    ).bind(application).bind(reviewer).fetch_one(c).await))
}
