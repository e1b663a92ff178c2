//! The course catalog of each training base (migration 0004).

use super::{Db, DbResult, Tx, ok};
use crate::domain::access::Visibility;
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CourseRow {
    pub id: i64,
    pub base_id: i64,
    pub base_code: String,
    pub code: String,
    pub title: String,
    pub module: String,
    pub level: String,
    pub hours: i64,
    pub kind: String,
    pub instructor: String,
    pub active: bool,
}

pub struct NewCourse<'a> {
    pub base_id: i64,
    pub code: &'a str,
    pub title: &'a str,
    pub module: &'a str,
    pub level: &'a str,
    pub hours: i64,
    pub kind: &'a str,
    pub instructor: &'a str,
}

pub async fn insert(tx: &mut Tx, c: &NewCourse<'_>, at: DateTime<Utc>) -> DbResult<i64> {
    on_tx!(tx, conn => ok(sqlx::query_scalar(
        "INSERT INTO courses (base_id, code, title, module, level, hours, kind, instructor, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(c.base_id).bind(c.code).bind(c.title).bind(c.module).bind(c.level).bind(c.hours).bind(c.kind)
    .bind(c.instructor).bind(at)
    .fetch_one(conn).await))
}

/// Courses of the visible bases, by base, level and code.
pub async fn list(db: &Db, visible: &Visibility) -> DbResult<Vec<CourseRow>> {
    let rows: Vec<CourseRow> = on_db!(db, c => ok(sqlx::query_as::<_, CourseRow>(
        "SELECT k.id, k.base_id, b.code AS base_code, k.code, k.title, k.module, k.level, k.hours,
                k.kind, k.instructor, k.active
         FROM courses k JOIN training_bases b ON b.id = k.base_id
         ORDER BY b.code, CASE k.level WHEN 'junior' THEN 1 WHEN 'intermediate' THEN 2 ELSE 3 END, k.code",
    ).fetch_all(c).await))?;
    Ok(rows
        .into_iter()
        .filter(|r| visible.admits(r.base_id))
        .collect())
}

/// The base a course belongs to.
pub async fn base_of(db: &Db, course: i64) -> DbResult<Option<i64>> {
    on_db!(db, c => ok(sqlx::query_scalar("SELECT base_id FROM courses WHERE id = $1")
        .bind(course).fetch_optional(c).await))
}

pub async fn set_active(tx: &mut Tx, course: i64, active: bool) -> DbResult<u64> {
    on_tx!(tx, c => ok(sqlx::query("UPDATE courses SET active = $1 WHERE id = $2")
        .bind(active).bind(course).execute(c).await.map(|r| r.rows_affected())))
}

/// An active course of one of `bases` by its code (the first base that has it).
pub async fn find_active(db: &Db, bases: &[i64], code: &str) -> DbResult<Option<CourseRow>> {
    let rows: Vec<CourseRow> = on_db!(db, c => ok(sqlx::query_as::<_, CourseRow>(
        "SELECT k.id, k.base_id, b.code AS base_code, k.code, k.title, k.module, k.level, k.hours,
                k.kind, k.instructor, k.active
         FROM courses k JOIN training_bases b ON b.id = k.base_id
         WHERE k.code = $1 AND k.active = $2 ORDER BY k.id",
    ).bind(code).bind(true).fetch_all(c).await))?;
    Ok(bases
        .iter()
        .find_map(|b| rows.iter().find(|r| r.base_id == *b).cloned()))
}
