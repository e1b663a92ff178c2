//! The training base's side of records: verify or reject what trainees entered (one by one or
//! in bulk), decide correction requests, and record a session's attendance for a whole cohort
//! in one step. A record of another base's trainee is answered as "not found".

use super::validate::check_text;
use crate::api::AppError;
use crate::db::Db;
use crate::db::audit::{self, Actor, Change};
use crate::db::records::{self as store, NewRecord, NewState, RecordRow};
use crate::domain::evidence::Mode;
use crate::domain::quantity::Hours;
use crate::domain::records::{self, Entry, Status, TrainingEntry, Transition};
use crate::domain::rules::Module;
use crate::i18n::Key;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What the base decides about a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Verify,
    Reject { reason: String },
    AcceptCorrection,
    RefuseCorrection { reason: String },
}

impl Decision {
    fn transition(&self) -> Transition {
        match self {
            Decision::Verify => Transition::Verify,
            Decision::Reject { .. } => Transition::Reject,
            Decision::AcceptCorrection => Transition::AcceptCorrection,
            Decision::RefuseCorrection { .. } => Transition::RefuseCorrection,
        }
    }

    fn reason(&self) -> Option<&str> {
        match self {
            Decision::Reject { reason } | Decision::RefuseCorrection { reason } => {
                Some(reason.trim())
            }
            _ => None,
        }
    }
}

/// A record the caller may decide on, or "not found".
async fn decidable(
    db: &Db,
    record: i64,
    may_verify: &impl Fn(i64) -> bool,
) -> Result<RecordRow, AppError> {
    store::by_id(db, record)
        .await?
        .filter(|r| r.base_id.is_some_and(may_verify))
        .ok_or(AppError::NotFound)
}

/// Applies one decision. The reason of a rejection or refusal is required: the trainee sees it.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    record: i64,
    decision: &Decision,
    may_verify: impl Fn(i64) -> bool,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    if let Some(reason) = decision.reason() {
        let mut errors = Vec::new();
        check_text("reason", reason, &mut errors);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
    }
    let row = decidable(db, record, &may_verify).await?;
    let status = Status::parse(&row.status).ok_or(AppError::Internal)?;
    let next = records::apply(status, row.pending_version.is_some(), decision.transition())
        .map_err(|_| AppError::Conflict(crate::api::STATE.into()))?;
    let (version, record_date) = match (decision, row.pending_version, &row.pending_payload) {
        (Decision::AcceptCorrection, Some(v), Some(p)) => (v, super::scores::entry_of(p)?.date()),
        _ => (row.version, row.record_date),
    };
    let mut tx = db.begin_write().await?;
    // An accepted correction that registers an unregistered contract gives it its number.
    if let (Decision::AcceptCorrection, Some(deal), Some(p)) =
        (decision, row.deal_id, &row.pending_payload)
        && let Entry::Deal(d) = super::scores::entry_of(p)?
        && let Some(no) = d.facts.registration_no.as_deref()
        && store::deal_registration(db, deal).await?.is_none()
    {
        store::register_deal(&mut tx, deal, no).await?;
    }
    let state = NewState {
        status: next.code(),
        version,
        pending_version: None,
        reason: decision.reason(),
        decided_by: actor.user_id,
        record_date,
    };
    let expect = (row.status.as_str(), row.version, row.pending_version);
    if store::set_state(&mut tx, record, expect, &state, true, at).await? != 1 {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    let action = match decision {
        Decision::Verify => "record.verify",
        Decision::Reject { .. } => "record.reject",
        Decision::AcceptCorrection => "record.accept_correction",
        Decision::RefuseCorrection { .. } => "record.refuse_correction",
    };
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action,
            entity_type: "record",
            entity_id: record.to_string(),
            before: Some(format!("v{} {}", row.version, row.status)),
            after: Some(match decision.reason() {
                Some(reason) => format!("v{version} {}: {reason}", next.code()),
                None => format!("v{version} {}", next.code()),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    refresh_claimants(db, &row, at).await
}

/// Everyone whose score a decision changes: the trainee, and for a contract every other
/// claimant (their shares are capped by the verified claims together).
async fn refresh_claimants(db: &Db, row: &RecordRow, at: DateTime<Utc>) -> Result<(), AppError> {
    let mut people = vec![row.person_id];
    if let Some(deal) = row.deal_id {
        people.extend(
            store::claims_on(db, deal)
                .await?
                .iter()
                .map(|c| c.person_id),
        );
    }
    people.sort_unstable();
    people.dedup();
    for person in people {
        super::scores::refresh(db, person, at).await?;
    }
    Ok(())
}

/// Verifies several unverified records at once (a cohort's attendance, say). Each is checked
/// like a single decision; the answer counts those verified. A record that is no longer
/// unverified (a colleague decided it meanwhile) is skipped and reported; one that does not
/// exist or that the caller may not decide refuses the whole request ("not found"), before
/// anything is written.
pub async fn verify_many(
    db: &Db,
    actor: &Actor,
    ids: &[i64],
    may_verify: impl Fn(i64) -> bool + Copy,
    at: DateTime<Utc>,
) -> Result<(usize, Vec<i64>), AppError> {
    for id in ids {
        decidable(db, *id, &may_verify).await?;
    }
    let mut done = 0;
    let mut skipped = Vec::new();
    for id in ids {
        match decide(db, actor, *id, &Decision::Verify, may_verify, at).await {
            Ok(()) => done += 1,
            Err(AppError::NotFound | AppError::Conflict(_)) => skipped.push(*id),
            Err(other) => return Err(other),
        }
    }
    Ok((done, skipped))
}

/// Records who attended a scheduled session: each present cohort member gets a verified
/// training record for the course (module, hours, practicum or not). Members already recorded
/// for the session, or holding the course already, keep their record: a course counts once.
/// The answer counts the new records.
pub async fn record_attendance(
    db: &Db,
    actor: &Actor,
    session: i64,
    present: &[i64],
    may_verify: impl Fn(i64) -> bool,
    at: DateTime<Utc>,
) -> Result<usize, AppError> {
    let s = store::session_detail(db, session)
        .await?
        .filter(|s| may_verify(s.base_id))
        .ok_or(AppError::NotFound)?;
    // Attendance is recorded after the fact, never for a session still to come.
    if s.held_on > super::clock::china_date(at) {
        return Err(AppError::invalid("session_id", Key::ErrFutureDate));
    }
    let members = store::cohort_member_ids(db, s.cohort_id).await?;
    if let Some(stranger) = present.iter().find(|p| !members.contains(p)) {
        tracing::info!(session, person = stranger, "attendance names a non-member");
        return Err(AppError::invalid("present", Key::ErrChoose));
    }
    if present.is_empty() {
        return Err(AppError::invalid("present", Key::ErrRequired));
    }
    // Recorded for this session already, or holding the course from a log of their own.
    let mut already = store::attendees(db, session).await?;
    already.extend(store::course_takers(db, s.base_id, &s.course_code).await?);
    let entry = Entry::Training(TrainingEntry {
        module: Module::parse(&s.module).ok_or(AppError::Internal)?,
        mode: if s.kind == "practicum" {
            Mode::Practicum
        } else {
            Mode::Onsite
        },
        hours: Hours(s.hours),
        date: s.held_on,
        provider: s.base_code.clone(),
        course_code: Some(s.course_code.clone()),
        title: s.title.clone(),
        cohort: Some(s.cohort_code.clone()),
    });
    let payload = serde_json::to_string(&entry).map_err(|_| AppError::Internal)?;
    let new: Vec<i64> = present
        .iter()
        .copied()
        .filter(|p| !already.contains(p))
        .collect();
    let mut tx = db.begin_write().await?;
    for person in &new {
        store::insert(
            &mut tx,
            &NewRecord {
                person_id: *person,
                kind: "training",
                base_id: Some(s.base_id),
                cohort_id: Some(s.cohort_id),
                session_id: Some(session),
                deal_id: None,
                status: Status::BaseVerified.code(),
                record_date: s.held_on,
                payload: &payload,
                note: "attendance",
                author_id: actor.user_id,
            },
            at,
        )
        .await?;
    }
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "cohort.attendance",
            entity_type: "cohort_session",
            entity_id: session.to_string(),
            before: None,
            after: Some(format!(
                "{} {} {}: {} present, {} new",
                s.cohort_code,
                s.held_on,
                s.course_code,
                present.len(),
                new.len()
            )),
        },
    )
    .await?;
    tx.commit().await?;
    for person in &new {
        super::scores::refresh(db, *person, at).await?;
    }
    Ok(new.len())
}
