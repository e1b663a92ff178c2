//! The steps of an application, by who takes them: the candidate (apply, supplement,
//! withdraw), the unit (approve with its public notice, return, objections) and the
//! secretariat (receive, formal check: accept — as an exception (破格) with a recorded reason
//! when the automatic check finds the candidate ineligible —, not accept, ask for a supplement).

use super::{dossier, rules_of, state_of, step};
use crate::api::AppError;
use crate::db::Db;
use crate::db::audit::Actor as Who;
use crate::db::review::{self as store, ApplicationRow, SessionRow};
use crate::domain::review::calendar::{MissingYear, WorkCalendar};
use crate::domain::review::procedure::{Actor, Event, State};
use crate::domain::review::rules::{AfterObjection, ReviewRules};
use crate::i18n::Key;
use crate::server::clock::china_date;
use chrono::{DateTime, Days, NaiveDate, Utc};

/// Longest free text of a reason, a request or a justification.
const MAX_TEXT: usize = 2000;

pub(super) fn check_reason(field: &str, text: &str, required: bool) -> Result<(), AppError> {
    if required && text.trim().is_empty() {
        return Err(AppError::invalid(field, Key::ErrRequired));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(AppError::invalid(field, Key::ErrTooLong));
    }
    Ok(())
}

pub(super) async fn session_of(
    db: &Db,
    app: &ApplicationRow,
) -> Result<(SessionRow, ReviewRules), AppError> {
    let session = store::session(db, app.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rules = rules_of(&session.rules)?;
    Ok((session, rules))
}

/// Freezes a new dossier version for `app` inside `tx`.
async fn freeze(
    db: &Db,
    tx: &mut crate::db::Tx,
    app: &mut ApplicationRow,
    session: &SessionRow,
    rules: &ReviewRules,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let d = dossier::build(db, app.person_id, session, rules, &app.exception_request).await?;
    let (json, hash) = dossier::seal(&d)?;
    app.dossier_version += 1;
    store::insert_dossier(tx, app.id, app.dossier_version, &json, &hash, at).await?;
    Ok(())
}

// ---- the candidate ----

/// `person` applies to `session` (or submits again after the unit returned the application):
/// inside the window, with an optional case for an exception (破格). The dossier is frozen now.
pub async fn apply(
    db: &Db,
    who: &Who,
    person: i64,
    session_id: i64,
    exception_request: &str,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    check_reason("exception_request", exception_request, false)?;
    let session = store::session(db, session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rules = rules_of(&session.rules)?;
    let today = china_date(at);
    let (unit, _) = store::person_unit(db, person).await?.unwrap_or_default();
    let Some(unit) = unit else {
        return Err(AppError::Refused(Key::ErrNoUnit));
    };
    let existing = store::applications_of_person(db, person)
        .await?
        .into_iter()
        .find(|a| a.session_id == session_id);
    let mut tx = db.begin_write().await?;
    let mut app = match existing {
        Some(a) => a,
        None => {
            let id = store::insert_application(
                &mut tx,
                session_id,
                person,
                Some(unit),
                State::Draft.code(),
                at,
            )
            .await
            // The same person applying twice at once: the second finds the first.
            .map_err(|e| match e {
                crate::db::DbError::Conflict { .. } => AppError::Conflict(crate::api::STATE.into()),
                other => other.into(),
            })?;
            store::application_in(&mut tx, id)
                .await?
                .ok_or(AppError::NotFound)?
        }
    };
    app.unit_id = Some(unit);
    app.exception_request = exception_request.trim().to_string();
    freeze(db, &mut tx, &mut app, &session, &rules, at).await?;
    let window_open = session.applies_from <= today && today <= session.applies_to;
    step(
        &mut tx,
        &mut app,
        &Event::Submit { window_open },
        Actor::Candidate,
        who,
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(app.id)
}

/// The candidate supplies what the secretariat asked for: the dossier is frozen again.
pub async fn supplement(
    db: &Db,
    who: &Who,
    person: i64,
    id: i64,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut app = own(db, person, id).await?;
    let (session, rules) = session_of(db, &app).await?;
    let mut tx = db.begin_write().await?;
    if state_of(&app)? == State::SupplementRequested {
        freeze(db, &mut tx, &mut app, &session, &rules, at).await?;
    }
    app.supplement_due = None;
    step(
        &mut tx,
        &mut app,
        &Event::Supplemented,
        Actor::Candidate,
        who,
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The candidate withdraws (before the vote).
pub async fn withdraw(
    db: &Db,
    who: &Who,
    person: i64,
    id: i64,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut app = own(db, person, id).await?;
    let mut tx = db.begin_write().await?;
    step(
        &mut tx,
        &mut app,
        &Event::Withdraw,
        Actor::Candidate,
        who,
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn own(db: &Db, person: i64, id: i64) -> Result<ApplicationRow, AppError> {
    store::application(db, id)
        .await?
        .filter(|a| a.person_id == person)
        .ok_or(AppError::NotFound)
}

// ---- the unit ----

/// What a unit decides on an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitDecision {
    /// Approve; the unit's public notice starts on the given day.
    Approve,
    /// Return to the candidate with a reason.
    Return,
    /// An objection to the notice arrived.
    Objection,
    /// The objection stands: the application ends here.
    Uphold,
    /// The objection is dismissed: the notice goes on.
    Dismiss,
}

impl UnitDecision {
    /// The form's value.
    pub fn parse(code: &str) -> Option<UnitDecision> {
        Some(match code {
            "approve" => UnitDecision::Approve,
            "return" => UnitDecision::Return,
            "objection" => UnitDecision::Objection,
            "uphold" => UnitDecision::Uphold,
            "dismiss" => UnitDecision::Dismiss,
            _ => return None,
        })
    }
}

/// The working days a notice has run before `today` (today does not count yet), or the year
/// whose calendar the count needs and does not have.
pub fn notice_ran(
    cal: &WorkCalendar,
    app: &ApplicationRow,
    today: NaiveDate,
) -> Result<u32, MissingYear> {
    let before = u32::try_from(app.notice_days_before).unwrap_or(0);
    match (app.notice_from, today.pred_opt()) {
        (Some(from), Some(yesterday)) => Ok(before + cal.working_days(from, yesterday)?),
        _ => Ok(before),
    }
}

/// What a notice suspended today keeps as run: [`notice_ran`], or — when the count reaches a
/// year not stored — only the working days of the years stored, so a notice is never cut
/// short by a missing calendar (it may run longer).
pub fn notice_ran_so_far(cal: &WorkCalendar, app: &ApplicationRow, today: NaiveDate) -> i32 {
    let ran = notice_ran(cal, app, today).unwrap_or_else(|MissingYear(year)| {
        let last_known = NaiveDate::from_ymd_opt(year, 1, 1).and_then(|d| d.pred_opt());
        let before = u32::try_from(app.notice_days_before).unwrap_or(0);
        match (app.notice_from, last_known) {
            (Some(from), Some(end)) => before + cal.working_days(from, end).unwrap_or(0),
            _ => before,
        }
    });
    i32::try_from(ran).unwrap_or(0)
}

/// `unit`'s decision on application `id`. `may` says whether the caller speaks for a unit.
#[allow(clippy::too_many_arguments)]
pub async fn unit_decide(
    db: &Db,
    who: &Who,
    may: impl Fn(i64) -> bool,
    id: i64,
    decision: UnitDecision,
    reason: &str,
    notice_from: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut app = store::application(db, id)
        .await?
        .filter(|a| a.dossier_version > 0 && a.unit_id.is_some_and(&may))
        .ok_or(AppError::NotFound)?;
    let (_, rules) = session_of(db, &app).await?;
    let today = china_date(at);
    let needs_reason = decision != UnitDecision::Approve;
    check_reason("reason", reason, needs_reason)?;
    let reason = reason.trim().to_string();
    let event = match decision {
        UnitDecision::Approve => {
            let mut errors = Vec::new();
            let from = crate::server::validate::parse_date("notice_from", notice_from, &mut errors);
            let submitted = china_date(app.updated_at);
            match from {
                Some(d) if d > today => {
                    return Err(AppError::invalid("notice_from", Key::ErrFutureDate));
                }
                Some(d) if d < submitted => {
                    return Err(AppError::invalid(
                        "notice_from",
                        Key::ErrNoticeBeforeSubmission,
                    ));
                }
                Some(d) => {
                    app.notice_from = Some(d);
                    app.notice_days_before = 0;
                }
                None => return Err(AppError::Validation(errors)),
            }
            Event::UnitApprove
        }
        UnitDecision::Return => Event::UnitReject { reason },
        UnitDecision::Objection => {
            if state_of(&app)? == State::UnitPublicNotice {
                let cal = store::calendar(db).await?;
                app.notice_days_before = notice_ran_so_far(&cal, &app, today);
                app.notice_from = None;
            }
            Event::ObjectionFiled
        }
        UnitDecision::Uphold => Event::ObjectionUpheld { reason },
        UnitDecision::Dismiss => {
            app.notice_from = Some(today);
            if rules.after_objection == AfterObjection::Restart {
                app.notice_days_before = 0;
            }
            Event::ObjectionDismissed { reason }
        }
    };
    let mut tx = db.begin_write().await?;
    step(&mut tx, &mut app, &event, Actor::Unit, who, at).await?;
    tx.commit().await?;
    Ok(())
}

// ---- the secretariat ----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormalDecision {
    /// Take a recommended application in for the formal check.
    Receive,
    /// Accept it: it goes on to the panels. An ineligible candidate needs the reason of the
    /// exception (破格).
    Accept,
    /// Not accepted, with a reason.
    Reject,
    /// Incomplete: ask once for a supplement, with what is missing.
    Supplement,
}

impl FormalDecision {
    /// The form's value.
    pub fn parse(code: &str) -> Option<FormalDecision> {
        Some(match code {
            "receive" => FormalDecision::Receive,
            "accept" => FormalDecision::Accept,
            "reject" => FormalDecision::Reject,
            "supplement" => FormalDecision::Supplement,
            _ => return None,
        })
    }
}

/// The secretariat's decision on application `id` of a committee it runs (`may`).
pub async fn formal_decide(
    db: &Db,
    who: &Who,
    may: impl Fn(i64) -> bool,
    id: i64,
    decision: FormalDecision,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut app = store::application(db, id)
        .await?
        .filter(|a| may(a.committee_id))
        .ok_or(AppError::NotFound)?;
    let (_, rules) = session_of(db, &app).await?;
    let today = china_date(at);
    let reason = reason.trim().to_string();
    check_reason("reason", &reason, false)?;
    let event = match decision {
        FormalDecision::Receive => Event::SecretariatReceive,
        FormalDecision::Accept => {
            let d = store::dossier(db, app.id, app.dossier_version)
                .await?
                .ok_or(AppError::NotFound)?;
            if !dossier::open(&d.payload)?.ineligible.is_empty() {
                // 破格: the exception is the secretariat's, on the record.
                check_reason("reason", &reason, true)?;
                app.exception_reason = Some(reason.clone());
            }
            Event::Accepted
        }
        FormalDecision::Reject => {
            check_reason("reason", &reason, true)?;
            app.decided_on = Some(today);
            Event::Ineligible { reason }
        }
        FormalDecision::Supplement => {
            check_reason("reason", &reason, true)?;
            if app.supplement_request.is_some() {
                return Err(AppError::Refused(Key::ErrSupplementOnce));
            }
            app.supplement_request = Some(reason.clone());
            app.supplement_due =
                today.checked_add_days(Days::new(u64::from(rules.supplement_days)));
            Event::Incomplete { what: reason }
        }
    };
    let mut tx = db.begin_write().await?;
    step(&mut tx, &mut app, &event, Actor::Secretariat, who, at).await?;
    tx.commit().await?;
    Ok(())
}
