//! A base's overview of a cohort: its members with their stored scores, one page at a time,
//! and the level distribution, straight from the score snapshots (migration 0006).

use super::{Db, DbResult, ok};
use crate::on_db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub person_id: i64,
    pub name: String,
    pub id_number: Option<String>,
    pub unit: Option<String>,
    pub total: Option<i64>,
    pub level: Option<String>,
    pub report: Option<String>,
}

/// How a page of members is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Name,
    ScoreDescending,
}

/// One page of a cohort's members (`limit` None: all of them, for an export).
pub async fn members(
    db: &Db,
    cohort: i64,
    order: Order,
    limit: Option<i64>,
    offset: i64,
) -> DbResult<Vec<MemberRow>> {
    let order_by = match order {
        Order::Name => "p.name, p.id",
        Order::ScoreDescending => "COALESCE(s.total, -1) DESC, p.name, p.id",
    };
    let sql = format!(
        "SELECT p.id AS person_id, p.name, p.id_number, u.name AS unit, s.total, s.level, s.report
         FROM cohort_members m JOIN people p ON p.id = m.person_id
         LEFT JOIN units u ON u.id = p.unit_id
         LEFT JOIN score_snapshots s ON s.person_id = p.id
         WHERE m.cohort_id = $1 ORDER BY {order_by} LIMIT $2 OFFSET $3"
    );
    // A limit far above any cohort stands for "all": one query for both uses.
    let limit = limit.unwrap_or(i64::from(i32::MAX));
    on_db!(db, c => ok(sqlx::query_as::<_, MemberRow>(sqlx::AssertSqlSafe(sql.clone()))
        .bind(cohort).bind(limit).bind(offset).fetch_all(c).await))
}

pub async fn member_count(db: &Db, cohort: i64) -> DbResult<i64> {
    on_db!(db, c => ok(sqlx::query_scalar("SELECT COUNT(*) FROM cohort_members WHERE cohort_id = $1")
        .bind(cohort).fetch_one(c).await))
}

/// Members per level reached ('' for none yet, and for members without a score).
pub async fn level_counts(db: &Db, cohort: i64) -> DbResult<Vec<(String, i64)>> {
    on_db!(db, c => ok(sqlx::query_as::<_, (String, i64)>(
        "SELECT COALESCE(s.level, ''), COUNT(*) FROM cohort_members m
         LEFT JOIN score_snapshots s ON s.person_id = m.person_id
         WHERE m.cohort_id = $1 GROUP BY COALESCE(s.level, '') ORDER BY 1",
    ).bind(cohort).fetch_all(c).await))
}

/// One member of a cohort as the roster holds them (the columns of a roster import).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RosterRow {
    pub person_id: i64,
    pub name: String,
    pub id_number: Option<String>,
    pub gender: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub unit: Option<String>,
    pub position: Option<String>,
    pub education: Option<String>,
    pub hours_theory: Option<i64>,
    pub hours_practicum: Option<i64>,
    pub score: Option<String>,
    pub note: Option<String>,
}

/// A cohort's roster, by name.
pub async fn roster(db: &Db, cohort: i64) -> DbResult<Vec<RosterRow>> {
    on_db!(db, c => ok(sqlx::query_as::<_, RosterRow>(
        "SELECT p.id AS person_id, p.name, p.id_number, p.gender, p.phone, p.email,
                u.name AS unit, m.position, m.education, m.hours_theory, m.hours_practicum,
                m.score, m.note
         FROM cohort_members m JOIN people p ON p.id = m.person_id
         LEFT JOIN units u ON u.id = p.unit_id
         WHERE m.cohort_id = $1 ORDER BY p.name, p.id",
    ).bind(cohort).fetch_all(c).await))
}
