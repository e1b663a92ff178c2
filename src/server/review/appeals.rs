//! Appeals (复查, domain.md §6.1): a candidate who did not pass or was not accepted appeals
//! once inside the appeal period; the secretariat keeps the decision or sends the candidate
//! back to the expert review (after a failed ballot) or the formal check.

use super::applications::{check_reason, session_of};
use super::step;
use crate::api::AppError;
use crate::db::Db;
use crate::db::audit::Actor as Who;
use crate::db::review as store;
use crate::domain::review::procedure::{Actor, Event};
use crate::domain::review::rules::ReviewRules;
use crate::i18n::Key;
use crate::server::clock::china_date;
use chrono::{DateTime, Days, NaiveDate, Utc};

/// The last day a decision of `decided_on` may be appealed.
pub fn appeal_until(rules: &ReviewRules, decided_on: Option<NaiveDate>) -> Option<NaiveDate> {
    decided_on.and_then(|d| d.checked_add_days(Days::new(u64::from(rules.appeal_days))))
}

/// Whether a history holds an appeal (one appeal per decision).
pub fn appealed(events: &[store::EventRow]) -> bool {
    events.iter().any(|e| e.event == "appeal")
}

/// The candidate appeals their own application's decision (not passed, not accepted).
pub async fn appeal(
    db: &Db,
    who: &Who,
    person: i64,
    application: i64,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    check_reason("reason", reason, true)?;
    let mut app = store::application(db, application)
        .await?
        .filter(|a| a.person_id == person)
        .ok_or(AppError::NotFound)?;
    let (_, rules) = session_of(db, &app).await?;
    if appealed(&store::events(db, app.id).await?) {
        return Err(AppError::Refused(Key::ErrAppealOnce));
    }
    let today = china_date(at);
    let in_window = appeal_until(&rules, app.decided_on).is_some_and(|last| today <= last);
    let event = Event::Appeal {
        reason: reason.trim().to_string(),
        in_window,
    };
    let mut tx = db.begin_write().await?;
    step(&mut tx, &mut app, &event, Actor::Candidate, who, at).await?;
    tx.commit().await?;
    Ok(())
}

/// The secretariat decides an appeal: upheld, a candidate who did not pass goes back to the
/// expert review (and on to a further meeting), one not accepted back to the formal check;
/// dismissed, the decision stands.
pub async fn decide_appeal(
    db: &Db,
    who: &Who,
    may: impl Fn(i64) -> bool,
    application: i64,
    uphold: bool,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    check_reason("reason", reason, true)?;
    let reason = reason.trim().to_string();
    let mut app = store::application(db, application)
        .await?
        .filter(|a| may(a.committee_id))
        .ok_or(AppError::NotFound)?;
    let event = if uphold {
        app.decided_on = None;
        Event::AppealUpheld { reason }
    } else {
        Event::AppealDismissed { reason }
    };
    let mut tx = db.begin_write().await?;
    step(&mut tx, &mut app, &event, Actor::Secretariat, who, at).await?;
    tx.commit().await?;
    Ok(())
}
