//! Attendance imports: the stored state an attendance file is compared with (roster, catalog,
//! timetable, the training records already held) and the verified records a commit creates.

use super::imports::{CHUNK, placeholders};
use super::records::{self as store, NewRecord};
use super::{DbResult, Tx, ok};
use crate::domain::quantity::Hours;
use crate::domain::records::{Entry, Status};
use crate::domain::rules::Module;
use crate::import::attendance::plan::{
    CourseRef, HeldRecord, PersonRef, Stored, TrainingWrite, Verify,
};
use crate::import::roster::plan::CohortRef;
use crate::on_tx;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::AssertSqlSafe;

#[derive(sqlx::FromRow)]
struct CourseDb {
    code: String,
    title: String,
    module: String,
    hours: i64,
    kind: String,
}

/// The base's code, the cohorts, the base's catalog and timetables (the start of a [`Stored`]).
pub async fn base_state(tx: &mut Tx, base: i64) -> DbResult<Stored> {
    let base_code: String = on_tx!(tx, c => ok(sqlx::query_scalar(
        "SELECT code FROM training_bases WHERE id = $1",
    ).bind(base).fetch_one(c).await))?;
    let mut stored = Stored {
        base_code,
        ..Stored::default()
    };
    let cohorts: Vec<(i64, String, i64)> = on_tx!(tx, c => ok(sqlx::query_as(
        "SELECT id, code, base_id FROM cohorts",
    ).fetch_all(c).await))?;
    for (id, code, base_id) in cohorts {
        // The share-to-confirm rule is the roster's: no member count needed here.
        let members = 0;
        stored.cohorts.insert(
            code,
            CohortRef {
                id,
                base_id,
                members,
            },
        );
    }
    let courses: Vec<CourseDb> = on_tx!(tx, c => ok(sqlx::query_as::<_, CourseDb>(
        "SELECT code, title, module, hours, kind FROM courses WHERE base_id = $1",
    ).bind(base).fetch_all(c).await))?;
    for k in courses {
        let Some(module) = Module::parse(&k.module) else {
            continue;
        };
        stored.courses.insert(
            k.code.to_uppercase(),
            CourseRef {
                code: k.code,
                title: k.title,
                module,
                hours: Hours(k.hours),
                practicum: k.kind == "practicum",
            },
        );
    }
    let sessions: Vec<(i64, i64, String, NaiveDate)> = on_tx!(tx, c => ok(sqlx::query_as(
        "SELECT s.id, s.cohort_id, k.code, s.held_on
         FROM cohort_sessions s JOIN courses k ON k.id = s.course_id
         WHERE k.base_id = $1 ORDER BY s.held_on, s.id",
    ).bind(base).fetch_all(c).await))?;
    for (id, cohort, code, day) in sessions {
        stored
            .sessions
            .entry((cohort, code.to_uppercase()))
            .or_default()
            .push((id, day));
    }
    Ok(stored)
}

/// Adds the people with these ID numbers, their memberships of the base's cohorts and the
/// training they hold at the base, to `stored`.
pub async fn people_into(
    tx: &mut Tx,
    base: i64,
    id_numbers: &[&str],
    stored: &mut Stored,
) -> DbResult<()> {
    for chunk in id_numbers.chunks(CHUNK) {
        let sql = format!(
            "SELECT id, id_number, name FROM people WHERE id_number IN ({})",
            placeholders(1, chunk.len())
        );
        let people: Vec<(i64, String, String)> = on_tx!(tx, c => {
            let mut q = sqlx::query_as::<_, (i64, String, String)>(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            ok(q.fetch_all(c).await)
        })?;
        let ids: Vec<i64> = people.iter().map(|p| p.0).collect();
        for (id, number, name) in people {
            stored.people.insert(number, PersonRef { id, name });
        }
        if ids.is_empty() {
            continue;
        }
        let list = placeholders(2, ids.len());
        let sql = format!(
            "SELECT cohort_id, person_id FROM cohort_members
             WHERE person_id IN ({list}) AND cohort_id IN (SELECT id FROM cohorts WHERE base_id = $1)"
        );
        let members: Vec<(i64, i64)> = on_tx!(tx, c => {
            let mut q = sqlx::query_as::<_, (i64, i64)>(AssertSqlSafe(sql)).bind(base);
            for id in &ids {
                q = q.bind(id);
            }
            ok(q.fetch_all(c).await)
        })?;
        stored.members.extend(members);
        // What they hold at this base already (withdrawn and rejected records do not count).
        let sql = format!(
            "SELECT r.id, r.person_id, r.status, r.version, r.pending_version, r.record_date,
                    v.payload
             FROM records r
             JOIN record_versions v ON v.record_id = r.id AND v.version = r.version
             WHERE r.kind = 'training' AND r.base_id = $1
               AND r.status NOT IN ('withdrawn', 'rejected') AND r.person_id IN ({list})"
        );
        let held: Vec<HeldDb> = on_tx!(tx, c => {
            let mut q = sqlx::query_as::<_, HeldDb>(AssertSqlSafe(sql)).bind(base);
            for id in &ids {
                q = q.bind(id);
            }
            ok(q.fetch_all(c).await)
        })?;
        for h in held {
            let Ok(Entry::Training(t)) = serde_json::from_str::<Entry>(&h.payload) else {
                continue;
            };
            let record = HeldRecord {
                id: h.id,
                status: h.status,
                version: h.version,
                pending: h.pending_version.is_some(),
                hours: t.hours,
                date: h.record_date,
            };
            match t.course_code {
                Some(code) => {
                    stored
                        .held
                        .insert((h.person_id, code.to_uppercase()), record);
                }
                None => {
                    let key = (h.person_id, t.date, t.module, t.hours, t.title);
                    stored.logged.insert(key, record);
                }
            }
        }
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct HeldDb {
    id: i64,
    person_id: i64,
    status: String,
    version: i32,
    pending_version: Option<i32>,
    record_date: NaiveDate,
    payload: String,
}

/// Verifies the trainees' own records the attendance file confirms; a record that changed
/// since the plan was made is a conflict (the commit then refuses as a whole).
pub async fn verify_records(
    tx: &mut Tx,
    records: &[Verify],
    author: Option<i64>,
    at: DateTime<Utc>,
) -> DbResult<()> {
    for v in records {
        let state = store::NewState {
            status: Status::BaseVerified.code(),
            version: v.version,
            pending_version: None,
            reason: None,
            decided_by: author,
            record_date: v.date,
        };
        let expect = (Status::Unverified.code(), v.version, None);
        if store::set_state(tx, v.record, expect, &state, true, at).await? != 1 {
            return Err(super::DbError::Conflict {
                constraint: "records.status".into(),
            });
        }
    }
    Ok(())
}

/// Creates the plan's training records, verified by the base (the importer decided them).
pub async fn insert_training(
    tx: &mut Tx,
    base: i64,
    writes: &[TrainingWrite],
    import_id: i64,
    author: Option<i64>,
    at: DateTime<Utc>,
) -> DbResult<()> {
    let note = format!("import {import_id}");
    for w in writes {
        let payload = serde_json::to_string(&Entry::Training(w.entry.clone()))
            .map_err(|e| super::DbError::Other(sqlx::Error::Encode(Box::new(e))))?;
        store::insert(
            tx,
            &NewRecord {
                person_id: w.person_id,
                kind: "training",
                base_id: Some(base),
                cohort_id: Some(w.cohort_id),
                session_id: w.session_id,
                deal_id: None,
                status: Status::BaseVerified.code(),
                record_date: w.entry.date,
                payload: &payload,
                note: &note,
                author_id: author,
            },
            at,
        )
        .await?;
    }
    Ok(())
}
