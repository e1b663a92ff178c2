//! A trainee's own records: add, edit (while unverified or rejected), withdraw, and ask for a
//! correction of a verified record. Every change appends a version and an audit entry in one
//! transaction, then refreshes the trainee's score snapshot.

use super::record_input::parse;
use super::validate::check_text;
use crate::api::AppError;
use crate::db::Db;
use crate::db::audit::{self, Actor, Change};
use crate::db::records::{self as store, NewRecord, NewState, RecordRow};
use crate::domain::records::{self, Entry, Status, Transition};
use crate::i18n::Key;

use chrono::{DateTime, Utc};

pub use super::record_input::{
    CaseInput, CeInput, ContributionInput, DealInput, Input, OutcomeInput, TrainingInput,
};

fn payload(entry: &Entry) -> Result<String, AppError> {
    serde_json::to_string(entry).map_err(|e| {
        tracing::error!(error = %e, "record payload did not serialise");
        AppError::Internal
    })
}

/// A one-line summary for the audit log (never personal data beyond the record itself).
pub fn summary(entry: &Entry) -> String {
    match entry {
        Entry::Training(t) => format!(
            "training {} {} {} 学时 {}",
            t.date,
            t.module.code(),
            t.hours,
            t.course_code.as_deref().unwrap_or("external")
        ),
        Entry::Ce(c) => format!("ce {} {:?} {} 学时", c.date, c.category, c.hours),
        Entry::Deal(d) => format!(
            "deal {} {} 万元 share {}‰ {:?}",
            d.facts.registration_no.as_deref().unwrap_or("unregistered"),
            d.facts.contract_amount.wan_display(),
            d.share,
            d.role
        ),
        Entry::Case(c) => format!("case {} {:?} practicum={}", c.date, c.role, c.practicum),
        Entry::Outcome(o) => format!("outcome {} {:?}", o.date, o.event),
        Entry::Contribution(c) => format!("contribution {} {:?}", c.date, c.item),
    }
}

/// Adds a record for the caller's own person. A claim on a registration number that someone
/// else already claimed joins that contract; claiming one contract twice is a conflict.
pub async fn add(
    db: &Db,
    actor: &Actor,
    person: i64,
    input: &Input,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    add_once(db, actor, person, input, None, at).await
}

/// One submission of a record form: `record` 0 adds, another id edits (or, for a verified
/// record, asks to correct it with `reason`). `form_key` names the render of the form the
/// submission came from: sent again, it saves nothing more and answers the record the first
/// one saved.
#[allow(clippy::too_many_arguments)]
pub async fn submit(
    db: &Db,
    actor: &Actor,
    person: i64,
    record: i64,
    input: &Input,
    reason: &str,
    form_key: &str,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let key = form_key.trim();
    if key.is_empty()
        || key.len() > 100
        || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(AppError::Refused(Key::ErrFormStale));
    }
    if let Some(saved) = store::submitted(db, person, key).await? {
        return answer_again(saved, record);
    }
    let saved = if record == 0 {
        add_once(db, actor, person, input, Some(key), at).await
    } else {
        edit_once(db, actor, person, record, input, reason, Some(key), at)
            .await
            .map(|()| record)
    };
    match saved {
        // A copy that committed while this one was checked (a catalog course "already
        // taken", a version that moved on) is the answer, not the error it caused.
        Err(e) => match store::submitted(db, person, key).await? {
            Some(first) => answer_again(first, record),
            None => Err(e),
        },
        ok => ok,
    }
}

/// The answer to a form sent again: the record it saved, unless the key is now used for
/// another record (a key is one render of one form, so that is a forged request).
fn answer_again(saved: i64, record: i64) -> Result<i64, AppError> {
    if record == 0 || record == saved {
        Ok(saved)
    } else {
        Err(AppError::Refused(Key::ErrFormStale))
    }
}

/// Claims the form's key first thing in the saving transaction. `false`: a copy of the same
/// form claimed it first (SQLite's writers are serialised, so it committed before this one
/// began; PostgreSQL made this one wait for it) — the caller drops its transaction and answers
/// what that copy saved.
async fn claim(
    tx: &mut crate::db::Tx,
    person: i64,
    key: Option<&str>,
    record: Option<i64>,
    at: DateTime<Utc>,
) -> Result<bool, AppError> {
    let Some(key) = key else { return Ok(true) };
    match store::claim_submission(tx, person, key, record, at).await {
        Ok(()) => Ok(true),
        Err(crate::db::DbError::Conflict { .. }) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

async fn add_once(
    db: &Db,
    actor: &Actor,
    person: i64,
    input: &Input,
    key: Option<&str>,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let placed = parse(db, person, input, super::clock::china_date(at)).await?;
    let entry = &placed.entry;
    // A catalog course counts once, however it was recorded.
    if let (Entry::Training(t), Some(base)) = (entry, placed.base_id)
        && let Some(code) = &t.course_code
        && store::course_takers(db, base, code)
            .await?
            .contains(&person)
    {
        return Err(AppError::invalid("course_code", Key::ErrCourseTaken));
    }
    let mut tx = db.begin_write().await?;
    if !claim(&mut tx, person, key, None, at).await? {
        drop(tx);
        return saved_meanwhile(db, person, key, 0).await;
    }
    let deal_id = match entry {
        Entry::Deal(d) => {
            Some(store::deal_for(&mut tx, d.facts.registration_no.as_deref(), at).await?)
        }
        _ => None,
    };
    let id = store::insert(
        &mut tx,
        &NewRecord {
            person_id: person,
            kind: entry.kind().code(),
            base_id: placed.base_id,
            cohort_id: placed.cohort_id,
            session_id: None,
            deal_id,
            status: Status::Unverified.code(),
            record_date: entry.date(),
            payload: &payload(entry)?,
            note: "created",
            author_id: actor.user_id,
        },
        at,
    )
    .await
    .map_err(|e| match e {
        crate::db::DbError::Conflict { .. } => AppError::Conflict("registration_no".into()),
        other => other.into(),
    })?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "record.create",
            entity_type: "record",
            entity_id: id.to_string(),
            before: None,
            after: Some(summary(entry)),
        },
    )
    .await?;
    if let Some(k) = key {
        store::submission_saved(&mut tx, person, k, id).await?;
    }
    tx.commit().await?;
    super::scores::refresh(db, person, at).await?;
    Ok(id)
}

/// The record a concurrent copy of the same form saved.
async fn saved_meanwhile(
    db: &Db,
    person: i64,
    key: Option<&str>,
    record: i64,
) -> Result<i64, AppError> {
    let saved = match key {
        Some(k) => store::submitted(db, person, k).await?,
        None => None,
    };
    match saved {
        Some(saved) => answer_again(saved, record),
        None => Err(AppError::Conflict(crate::api::STATE.into())),
    }
}

/// The caller's own record, or "not found" (another person's record is not revealed).
pub async fn own(db: &Db, person: i64, record: i64) -> Result<RecordRow, AppError> {
    store::by_id(db, record)
        .await?
        .filter(|r| r.person_id == person)
        .ok_or(AppError::NotFound)
}

fn status_of(row: &RecordRow) -> Result<Status, AppError> {
    Status::parse(&row.status).ok_or_else(|| {
        tracing::error!(record = row.id, status = %row.status, "unknown record status");
        AppError::Internal
    })
}

/// A refused transition: the record is not in a state that allows it.
fn refused(_: records::NotAllowed) -> AppError {
    AppError::Conflict(crate::api::STATE.into())
}

/// Edits an unverified or rejected record (a rejected one returns to the queue), or — for a
/// verified record — files the change as a correction request with the trainee's reason.
pub async fn edit(
    db: &Db,
    actor: &Actor,
    person: i64,
    record: i64,
    input: &Input,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    edit_once(db, actor, person, record, input, reason, None, at).await
}

#[allow(clippy::too_many_arguments)]
async fn edit_once(
    db: &Db,
    actor: &Actor,
    person: i64,
    record: i64,
    input: &Input,
    reason: &str,
    key: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = own(db, person, record).await?;
    let status = status_of(&row)?;
    let correction = status.verified();
    let transition = if correction {
        Transition::RequestCorrection
    } else {
        Transition::Edit
    };
    let next =
        records::apply(status, row.pending_version.is_some(), transition).map_err(refused)?;
    let placed = parse(db, person, input, super::clock::china_date(at)).await?;
    if placed.entry.kind().code() != row.kind {
        return Err(AppError::NotFound);
    }
    // The registration number ties a claim to its contract: it may be added once the
    // contract is registered (if no other manager claims the unregistered contract and no
    // other contract has that number), but never changed or taken away.
    let mut registers: Option<(i64, String)> = None;
    if let (Entry::Deal(d), Some(deal)) = (&placed.entry, row.deal_id) {
        let current = store::deal_registration(db, deal).await?;
        let allowed = match (current.as_deref(), d.facts.registration_no.as_deref()) {
            (Some(old), Some(new)) => old == new,
            (Some(_), None) => false,
            (None, None) => true,
            (None, Some(new)) => {
                let free = store::deal_by_registration(db, new).await?.is_none();
                let alone = store::claims_on(db, deal).await?.len() == 1;
                if free && alone {
                    registers = Some((deal, new.to_string()));
                }
                free && alone
            }
        };
        if !allowed {
            return Err(AppError::invalid(
                "registration_no",
                Key::ErrRegistrationNoFixed,
            ));
        }
    }
    let mut errors = Vec::new();
    if correction {
        check_text("reason", reason, &mut errors);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = db.begin_write().await?;
    if !claim(&mut tx, person, key, Some(record), at).await? {
        drop(tx);
        return saved_meanwhile(db, person, key, record).await.map(|_| ());
    }
    // A correction registers the contract only once the base accepts it.
    if let (Some((deal, no)), false) = (&registers, correction)
        && store::register_deal(&mut tx, *deal, no).await? != 1
    {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    let version = store::last_version(&mut tx, record).await? + 1;
    let note = if correction {
        format!("correction: {}", reason.trim())
    } else {
        "edited".to_string()
    };
    store::add_version(
        &mut tx,
        record,
        version,
        &payload(&placed.entry)?,
        &note,
        actor.user_id,
        at,
    )
    .await?;
    let state = if correction {
        NewState {
            status: next.code(),
            version: row.version,
            pending_version: Some(version),
            reason: None,
            decided_by: None,
            record_date: row.record_date,
        }
    } else {
        NewState {
            status: next.code(),
            version,
            pending_version: None,
            reason: None,
            decided_by: None,
            record_date: placed.entry.date(),
        }
    };
    let expect = (row.status.as_str(), row.version, row.pending_version);
    if store::set_state(&mut tx, record, expect, &state, false, at).await? != 1 {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: if correction {
                "record.request_correction"
            } else {
                "record.edit"
            },
            entity_type: "record",
            entity_id: record.to_string(),
            before: Some(format!("v{} {}", row.version, row.status)),
            after: Some(format!("v{version} {}", summary(&placed.entry))),
        },
    )
    .await?;
    tx.commit().await?;
    super::scores::refresh(db, person, at).await?;
    Ok(())
}

/// Withdraws a record that is not verified. It stays stored, with all its versions.
pub async fn withdraw(
    db: &Db,
    actor: &Actor,
    person: i64,
    record: i64,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = own(db, person, record).await?;
    let status = status_of(&row)?;
    let next = records::apply(status, row.pending_version.is_some(), Transition::Withdraw)
        .map_err(refused)?;
    let mut tx = db.begin_write().await?;
    let state = NewState {
        status: next.code(),
        version: row.version,
        pending_version: None,
        reason: row.reason.as_deref(),
        decided_by: None,
        record_date: row.record_date,
    };
    let expect = (row.status.as_str(), row.version, row.pending_version);
    if store::set_state(&mut tx, record, expect, &state, false, at).await? != 1 {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "record.withdraw",
            entity_type: "record",
            entity_id: record.to_string(),
            before: Some(format!("v{} {}", row.version, row.status)),
            after: Some("withdrawn".into()),
        },
    )
    .await?;
    tx.commit().await?;
    super::scores::refresh(db, person, at).await?;
    Ok(())
}
