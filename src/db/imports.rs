//! Imports: the kept files, the import history, the stored state an import compares with, and
//! the batched writes of a commit (multi-row statements: one INSERT per row would cost about
//! 60 µs a row on SQLite).

use super::collation::name_key;
use super::{Db, DbResult, Tx, ok};
use crate::import::roster::plan::{CohortRef, MemberNow, PersonNow, Stored, Writes};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use std::collections::{BTreeSet, HashMap};

/// Values per IN list: few round trips for a large file, far below both engines' limits on
/// bound parameters.
pub(super) const CHUNK: usize = 400;
/// Rows per multi-row INSERT, under SQLite's (32,766) and PostgreSQL's (65,535) limits on
/// bound parameters: larger statements cost less per row.
const PEOPLE_CHUNK: usize = 4_000; // 8 parameters a row
const MEMBERS_CHUNK: usize = 4_000; // 7 parameters a row (cohort and import are literals)

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportRow {
    pub id: i64,
    pub kind: String,
    pub base_id: i64,
    pub base_code: String,
    pub cohort_id: Option<i64>,
    pub cohort_code: Option<String>,
    pub file_name: String,
    pub sha256: Option<String>,
    pub size: i64,
    pub state: String,
    pub digest: String,
    pub counts: String,
    /// JSON `{"zh-CN": …, "en": …}` (by language code) for a file that could not be read.
    pub error: Option<String>,
    pub valid_only: bool,
    pub created_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub committed_at: Option<DateTime<Utc>>,
}

const SELECT: &str = "SELECT i.id, i.kind, i.base_id, b.code AS base_code, i.cohort_id,
    k.code AS cohort_code, i.file_name, i.sha256, i.size, i.state, i.digest, i.counts, i.error,
    i.valid_only, p.name AS created_by_name, i.created_at, i.committed_at
    FROM imports i
    JOIN training_bases b ON b.id = i.base_id
    LEFT JOIN cohorts k ON k.id = i.cohort_id
    LEFT JOIN users u ON u.id = i.created_by
    LEFT JOIN people p ON p.id = u.person_id";

pub struct NewImport<'a> {
    pub kind: &'a str,
    pub base_id: i64,
    pub cohort_id: Option<i64>,
    pub file_name: &'a str,
    pub size: i64,
    /// The kept file; `None` for a file that could not be read.
    pub sha256: Option<&'a str>,
    pub digest: &'a str,
    pub counts: &'a str,
    /// For a file that could not be read: the message, JSON `{"zh-CN": …, "en": …}` (by language code).
    pub error: Option<&'a str>,
    pub created_by: Option<i64>,
}

/// Keeps a file by its hash (the same file twice is stored once).
pub async fn keep_file(
    tx: &mut Tx,
    sha256: &str,
    content: &[u8],
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO import_files (sha256, size, content, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sha256) DO NOTHING",
    ).bind(sha256).bind(content.len() as i64).bind(content).bind(at).execute(c).await.map(|_| ())))?;
    Ok(())
}

/// A cohort's id by its code.
pub async fn cohort_id(tx: &mut Tx, code: &str) -> DbResult<Option<i64>> {
    on_tx!(tx, c => ok(sqlx::query_scalar("SELECT id FROM cohorts WHERE code = $1")
        .bind(code).fetch_optional(c).await))
}

pub async fn file_content(db: &Db, sha256: &str) -> DbResult<Option<Vec<u8>>> {
    on_db!(db, c => ok(sqlx::query_scalar("SELECT content FROM import_files WHERE sha256 = $1")
        .bind(sha256).fetch_optional(c).await))
}

pub async fn insert_import(tx: &mut Tx, n: &NewImport<'_>, at: DateTime<Utc>) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO imports (kind, base_id, cohort_id, file_name, size, sha256, state, digest,
                              counts, error, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(n.kind).bind(n.base_id).bind(n.cohort_id).bind(n.file_name).bind(n.size).bind(n.sha256)
    .bind(if n.sha256.is_some() { "previewed" } else { "failed" })
    .bind(n.digest).bind(n.counts).bind(n.error).bind(n.created_by).bind(at)
    .fetch_one(c).await))
}

pub async fn import_by_id(db: &Db, id: i64) -> DbResult<Option<ImportRow>> {
    let sql = format!("{SELECT} WHERE i.id = $1");
    on_db!(db, c => ok(sqlx::query_as::<_, ImportRow>(AssertSqlSafe(sql)).bind(id).fetch_optional(c).await))
}

/// A previewed import planned again: the digest and counts its commit must now match; `false`
/// when it is no longer a preview.
pub async fn replan(db: &Db, id: i64, digest: &str, counts: &str) -> DbResult<bool> {
    let n = on_db!(db, c => ok(sqlx::query(
        "UPDATE imports SET digest = $2, counts = $3 WHERE id = $1 AND state = 'previewed'",
    ).bind(id).bind(digest).bind(counts).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(n == 1)
}

/// Marks a previewed import committed; `false` when it was not (already committed meanwhile).
pub async fn mark_committed(
    tx: &mut Tx,
    id: i64,
    counts: &str,
    valid_only: bool,
    at: DateTime<Utc>,
) -> DbResult<bool> {
    let n = on_tx!(tx, c => ok(sqlx::query(
        "UPDATE imports SET state = 'committed', counts = $2, valid_only = $3, committed_at = $4
         WHERE id = $1 AND state = 'previewed'",
    ).bind(id).bind(counts).bind(valid_only).bind(at).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(n == 1)
}

/// Newest first, for the bases in `bases` (`None`: every base).
pub async fn list_imports(db: &Db, bases: Option<&[i64]>, limit: i64) -> DbResult<Vec<ImportRow>> {
    let filter = match bases {
        None => String::new(),
        Some([]) => " WHERE 1 = 0".to_string(),
        Some(ids) => format!(
            " WHERE i.base_id IN ({})",
            ids.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let sql = format!("{SELECT}{filter} ORDER BY i.id DESC LIMIT $1");
    on_db!(db, c => ok(sqlx::query_as::<_, ImportRow>(AssertSqlSafe(sql)).bind(limit).fetch_all(c).await))
}

/// `$from, …, $(from + n - 1)`: bound parameters for an IN list.
pub(super) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(sqlx::FromRow)]
struct PersonDb {
    id: i64,
    id_number: String,
    name: String,
    gender: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    unit_name: Option<String>,
    has_account: bool,
}

#[derive(sqlx::FromRow)]
struct MemberDb {
    cohort_id: i64,
    base_id: i64,
    id_number: String,
    position: Option<String>,
    education: Option<String>,
    hours_theory: Option<i64>,
    hours_practicum: Option<i64>,
    score: Option<String>,
    note: Option<String>,
}

#[derive(sqlx::FromRow)]
struct CohortDb {
    id: i64,
    code: String,
    base_id: i64,
    members: i64,
}

/// Everything stored that the rows with these ID numbers could touch.
pub async fn stored_for(tx: &mut Tx, id_numbers: &[&str]) -> DbResult<Stored> {
    let mut stored = cohorts(tx).await?;
    people_into(tx, id_numbers, &mut stored).await?;
    Ok(stored)
}

/// The cohorts, with how many people each has (the start of a [`Stored`]).
pub async fn cohorts(tx: &mut Tx) -> DbResult<Stored> {
    let mut stored = Stored::default();
    let cohorts: Vec<CohortDb> = on_tx!(tx, c => ok(sqlx::query_as::<_, CohortDb>(
        "SELECT k.id, k.code, k.base_id,
                (SELECT COUNT(*) FROM cohort_members m WHERE m.cohort_id = k.id) AS members
         FROM cohorts k",
    ).fetch_all(c).await))?;
    for k in cohorts {
        stored.cohorts.insert(
            k.code,
            CohortRef {
                id: k.id,
                base_id: k.base_id,
                members: k.members,
            },
        );
    }
    Ok(stored)
}

/// Adds the people with these ID numbers, and their memberships, to `stored`.
pub async fn people_into(tx: &mut Tx, id_numbers: &[&str], stored: &mut Stored) -> DbResult<()> {
    // Every ID number in one parameter, a JSON array: one statement whatever the file's size
    // (an IN list of 400 placeholders a statement cost 0.2 s for 100,000 rows).
    let list = serde_json::to_string(id_numbers).unwrap_or_else(|_| "[]".into());
    // Driven by the list: one index probe per ID number, however large the table.
    let values = tx.json_table("$1");
    let sql = format!(
        "SELECT p.id, p.id_number, p.name, p.gender, p.phone, p.email, u.name AS unit_name,
                EXISTS (SELECT 1 FROM users a WHERE a.person_id = p.id) AS has_account
         FROM {values} CROSS JOIN people p LEFT JOIN units u ON u.id = p.unit_id
         WHERE p.id_number = j.value"
    );
    let people: Vec<PersonDb> = on_tx!(tx, c => ok(sqlx::query_as::<_, PersonDb>(AssertSqlSafe(sql))
        .bind(&list).fetch_all(c).await))?;
    for p in people {
        stored.people.insert(
            p.id_number,
            PersonNow {
                id: Some(p.id),
                name: p.name,
                male: p.gender.map(|g| g == "male"),
                phone: p.phone,
                email: p.email,
                employer: p.unit_name,
                bases: Vec::new(),
                has_account: p.has_account,
            },
        );
    }
    let sql = format!(
        "SELECT m.cohort_id, k.base_id, p.id_number, m.position, m.education, m.hours_theory,
                m.hours_practicum, m.score, m.note
         FROM {values} CROSS JOIN people p JOIN cohort_members m ON m.person_id = p.id
         JOIN cohorts k ON k.id = m.cohort_id
         WHERE p.id_number = j.value"
    );
    let members: Vec<MemberDb> = on_tx!(tx, c => ok(sqlx::query_as::<_, MemberDb>(AssertSqlSafe(sql))
        .bind(&list).fetch_all(c).await))?;
    for m in members {
        if let Some(p) = stored.people.get_mut(&m.id_number)
            && !p.bases.contains(&m.base_id)
        {
            p.bases.push(m.base_id);
        }
        stored.members.insert(
            (m.cohort_id, m.id_number),
            MemberNow {
                position: m.position,
                education: m.education,
                hours_theory: m.hours_theory,
                hours_practicum: m.hours_practicum,
                score: m.score,
                note: m.note,
            },
        );
    }
    Ok(())
}

/// Creates the units (employers) named, returning every named unit's id.
async fn unit_ids(
    tx: &mut Tx,
    names: &BTreeSet<String>,
    at: DateTime<Utc>,
) -> DbResult<HashMap<String, i64>> {
    let names: Vec<&String> = names.iter().collect();
    let mut ids = HashMap::new();
    for chunk in names.chunks(CHUNK) {
        on_tx!(tx, c => {
            let mut qb = sqlx::QueryBuilder::new("INSERT INTO units (name, created_at) ");
            qb.push_values(chunk, |mut b, n| {
                b.push_bind(*n).push_bind(at);
            });
            qb.push(" ON CONFLICT (name) DO NOTHING");
            ok(qb.build().execute(c).await.map(|_| ()))
        })?;
        let sql = format!(
            "SELECT id, name FROM units WHERE name IN ({})",
            placeholders(1, chunk.len())
        );
        let rows: Vec<(i64, String)> = on_tx!(tx, c => {
            let mut q = sqlx::query_as::<_, (i64, String)>(AssertSqlSafe(sql));
            for n in chunk {
                q = q.bind(*n);
            }
            ok(q.fetch_all(c).await)
        })?;
        ids.extend(rows.into_iter().map(|(id, name)| (name, id)));
    }
    Ok(ids)
}

fn gender_code(male: Option<bool>) -> Option<&'static str> {
    male.map(|m| if m { "male" } else { "female" })
}

/// Applies a plan's writes: people created or updated, memberships created or updated.
pub async fn apply(
    tx: &mut Tx,
    writes: &Writes,
    import_id: i64,
    at: DateTime<Utc>,
) -> DbResult<()> {
    let employers: BTreeSet<String> = writes
        .people
        .values()
        .filter_map(|p| p.employer.clone())
        .collect();
    let units = unit_ids(tx, &employers, at).await?;
    let unit = |p: &PersonNow| p.employer.as_ref().and_then(|e| units.get(e).copied());
    // Person ids for every membership row: the stored ones, then those created here.
    let mut person_ids: HashMap<&str, i64> = writes
        .people
        .iter()
        .filter_map(|(n, p)| p.id.map(|id| (n.as_str(), id)))
        .collect();
    let new: Vec<(&String, &PersonNow)> = writes
        .people
        .iter()
        .filter(|(_, p)| p.id.is_none())
        .collect();
    for chunk in new.chunks(PEOPLE_CHUNK) {
        let created: Vec<(i64, String)> = on_tx!(tx, c => {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO people (name, id_number, gender, phone, email, unit_id, created_at, name_sort) ",
            );
            qb.push_values(chunk, |mut b, (id, p)| {
                b.push_bind(&p.name).push_bind(*id).push_bind(gender_code(p.male))
                    .push_bind(&p.phone).push_bind(&p.email).push_bind(unit(p)).push_bind(at)
                    .push_bind(name_key(&p.name));
            });
            qb.push(" RETURNING id, id_number");
            ok(qb.build_query_as::<(i64, String)>().fetch_all(c).await)
        })?;
        for (id, number) in created {
            if let Some((n, _)) = writes.people.get_key_value(&number) {
                person_ids.insert(n.as_str(), id);
            }
        }
    }
    for (_, p) in writes.people.iter().filter(|(_, p)| p.id.is_some()) {
        on_tx!(tx, c => ok(sqlx::query(
            "UPDATE people SET name = $2, gender = $3, phone = $4, email = $5, unit_id = $6,
             name_sort = $7 WHERE id = $1",
        ).bind(p.id).bind(&p.name).bind(gender_code(p.male)).bind(&p.phone).bind(&p.email)
        .bind(unit(p)).bind(name_key(&p.name)).execute(c).await.map(|_| ())))?;
    }
    // Members not yet written here nor in the stored picture: stored people joining a cohort.
    let wanted: Vec<&String> = writes
        .members
        .keys()
        .map(|(_, n)| n)
        .filter(|n| !person_ids.contains_key(n.as_str()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut found: HashMap<String, i64> = HashMap::new();
    for chunk in wanted.chunks(CHUNK) {
        let sql = format!(
            "SELECT id_number, id FROM people WHERE id_number IN ({})",
            placeholders(1, chunk.len())
        );
        let rows: Vec<(String, i64)> = on_tx!(tx, c => {
            let mut q = sqlx::query_as::<_, (String, i64)>(AssertSqlSafe(sql));
            for n in chunk {
                q = q.bind(*n);
            }
            ok(q.fetch_all(c).await)
        })?;
        found.extend(rows);
    }
    let members: Vec<(i64, i64, &MemberNow)> = writes
        .members
        .iter()
        .filter_map(|((cohort, n), m)| {
            let person = person_ids.get(n.as_str()).or_else(|| found.get(n))?;
            Some((*cohort, *person, m))
        })
        .collect();
    for chunk in members.chunks(MEMBERS_CHUNK) {
        on_tx!(tx, c => {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO cohort_members (cohort_id, person_id, position, education, hours_theory,
                                             hours_practicum, score, note, import_id) ",
            );
            // The cohort and import ids are integers written into the statement: fewer
            // parameters to bind per row.
            qb.push_values(chunk, |mut b, (cohort, person, m)| {
                b.push(cohort).push_bind(*person).push_bind(&m.position)
                    .push_bind(&m.education).push_bind(m.hours_theory).push_bind(m.hours_practicum)
                    .push_bind(&m.score).push_bind(&m.note).push(import_id);
            });
            qb.push(
                " ON CONFLICT (cohort_id, person_id) DO UPDATE SET position = excluded.position,
                  education = excluded.education, hours_theory = excluded.hours_theory,
                  hours_practicum = excluded.hours_practicum, score = excluded.score,
                  note = excluded.note, import_id = excluded.import_id",
            );
            ok(qb.build().execute(c).await.map(|_| ()))
        })?;
    }
    Ok(())
}
