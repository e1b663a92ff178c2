//! A base's overview of a cohort: its members with their stored scores, one page at a time,
//! and the level distribution, straight from the score snapshots (migration 0006).

use super::{Db, DbResult, Pool, ok};
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
        Order::Name => "p.name_sort, p.id",
        Order::ScoreDescending => "COALESCE(s.total, -1) DESC, p.name_sort, p.id",
    };
    // The page is chosen on narrow columns first; only its rows bring their reports (kilobytes
    // of JSON each), so a page of 50 from 5,000 does not sort 5,000 reports.
    let sql = format!(
        "WITH page AS (
             SELECT p.id FROM cohort_members m JOIN people p ON p.id = m.person_id
             LEFT JOIN {snapshots} ON s.person_id = p.id
             WHERE m.cohort_id = $1 ORDER BY {order_by} LIMIT $2 OFFSET $3)
         SELECT p.id AS person_id, p.name, p.id_number, u.name AS unit, s.total, s.level, s.report
         FROM page JOIN people p ON p.id = page.id
         LEFT JOIN units u ON u.id = p.unit_id
         LEFT JOIN score_snapshots s ON s.person_id = p.id
         ORDER BY {order_by}",
        snapshots = narrow_snapshots(db)
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
    let sql = format!(
        "SELECT COALESCE(s.level, ''), COUNT(*) FROM cohort_members m
         LEFT JOIN {} ON s.person_id = m.person_id
         WHERE m.cohort_id = $1 GROUP BY COALESCE(s.level, '') ORDER BY 1",
        narrow_snapshots(db)
    );
    on_db!(db, c => ok(sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql.clone()))
        .bind(cohort).fetch_all(c).await))
}

/// The score snapshots as `s`, for reads of their total and level only. SQLite looks a row up by its
/// integer key even when an index covers the columns read, and each snapshot row carries
/// kilobytes of report; the covering index (0014) is named so those pages stay unread
/// (page 50 of 5,000 members: 10 ms to 3 ms). PostgreSQL chooses index-only scans itself.
fn narrow_snapshots(db: &Db) -> &'static str {
    match db.pool() {
        Pool::Sqlite(_) => "score_snapshots s INDEXED BY score_snapshots_person_total_level",
        Pool::Postgres(_) => "score_snapshots s",
    }
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
         WHERE m.cohort_id = $1 ORDER BY p.name_sort, p.id",
    ).bind(cohort).fetch_all(c).await))
}
