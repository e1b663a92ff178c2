//! Title review committees (评委会) and their members (role grants scoped to the committee).

use super::{Db, DbResult, Tx, ok};
use crate::domain::access::Visibility;
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommitteeRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub series: String,
    pub specialty: String,
    pub reviewers: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub committee_id: i64,
    pub name: String,
    pub role: String,
    pub unit_name: Option<String>,
}

pub async fn insert_committee(
    tx: &mut Tx,
    code: &str,
    name: &str,
    series: &str,
    specialty: &str,
    at: DateTime<Utc>,
) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO committees (code, name, series, specialty, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    ).bind(code).bind(name).bind(series).bind(specialty).bind(at).fetch_one(c).await))
}

pub async fn list_committees(db: &Db, visible: &Visibility) -> DbResult<Vec<CommitteeRow>> {
    let rows: Vec<CommitteeRow> = on_db!(db, c => ok(sqlx::query_as::<_, CommitteeRow>(
        "SELECT k.id, k.code, k.name, k.series, k.specialty,
                (SELECT COUNT(*) FROM role_grants g WHERE g.committee_id = k.id AND g.role = 'reviewer')
                  AS reviewers
         FROM committees k ORDER BY k.code",
    ).fetch_all(c).await))?;
    Ok(rows.into_iter().filter(|k| visible.admits(k.id)).collect())
}

/// Members of the visible committees: chair, secretaries and reviewers with their units.
pub async fn list_members(db: &Db, visible: &Visibility) -> DbResult<Vec<MemberRow>> {
    let rows: Vec<MemberRow> = on_db!(db, c => ok(sqlx::query_as::<_, MemberRow>(
        "SELECT g.committee_id, p.name, g.role, un.name AS unit_name
         FROM role_grants g JOIN users u ON u.id = g.user_id JOIN people p ON p.id = u.person_id
         LEFT JOIN units un ON un.id = p.unit_id
         WHERE g.committee_id IS NOT NULL
         ORDER BY g.committee_id,
                  CASE g.role WHEN 'chair' THEN 0 WHEN 'secretary' THEN 1 ELSE 2 END, p.name_sort, g.id",
    ).fetch_all(c).await))?;
    Ok(rows
        .into_iter()
        .filter(|m| visible.admits(m.committee_id))
        .collect())
}
