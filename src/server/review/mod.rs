//! The senior-title review (issue 6): review sessions with their rules, applications and their
//! frozen dossiers, and every step of the procedure. Each step asks the domain's state machine
//! (domain::review::procedure), which refuses what the state, the actor or a guard does not
//! allow; an accepted step is saved with the application's revision (two clerks cannot both
//! move it), written to the application's history and to the audit log, in one transaction.

pub mod appeals;
pub mod applications;
pub mod ballot;
pub mod certificates;
pub mod clock;
pub mod defense;
pub mod dossier;
pub mod meeting;
pub mod meeting_views;
pub mod notice;
pub mod panels;
pub mod record;
pub mod revocation;
pub mod scoring;
pub mod sessions;
pub mod views;

use crate::api::{AppError, FieldError, STATE};
use crate::db::audit::{self, Change};
use crate::db::review::{self as store, ApplicationRow, NewEvent};
use crate::db::{DbError, Tx};
use crate::domain::review::calendar::WorkCalendar;
use crate::domain::review::procedure::{self, Actor, Event, Guard, Refused, State};
use crate::domain::review::rules::ReviewRules;
use crate::i18n::Key;
use chrono::{DateTime, Utc};

/// The shipped default review rules (rulesets/review-default.toml).
pub const SHIPPED_RULES: &str = include_str!("../../../rulesets/review-default.toml");

/// Reads review rules from their TOML form, checked.
pub fn parse_rules(text: &str) -> Result<ReviewRules, String> {
    let rules: ReviewRules = toml::from_str(text).map_err(|e| e.message().to_string())?;
    rules.check().map_err(|e| e.to_string())?;
    Ok(rules)
}

/// The shipped defaults; the file is part of the build, so a failure is a bug.
pub fn default_rules() -> Result<ReviewRules, AppError> {
    parse_rules(SHIPPED_RULES).map_err(|e| {
        tracing::error!(error = %e, "shipped review rules do not parse");
        AppError::Internal
    })
}

/// The 2026 working-day calendar the demo loads (rulesets/calendar-cn-2026.toml).
pub const CALENDAR_2026: &str = include_str!("../../../rulesets/calendar-cn-2026.toml");

/// Reads a working-day calendar from its TOML form, checked.
pub fn parse_calendar(text: &str) -> Result<WorkCalendar, String> {
    let cal: WorkCalendar = toml::from_str(text).map_err(|e| e.message().to_string())?;
    cal.check().map_err(|e| e.to_string())?;
    Ok(cal)
}

/// Stores `cal` (its years replaced whole), audited.
pub async fn store_calendar(
    db: &crate::db::Db,
    actor: &audit::Actor,
    cal: &WorkCalendar,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    store::put_calendar(&mut tx, cal, at).await?;
    crate::db::audit::append(
        &mut tx,
        at,
        actor,
        crate::db::audit::Change {
            action: "calendar.import",
            entity_type: "work_calendar",
            entity_id: calendar_years(cal),
            before: None,
            after: Some(format!(
                "{} holidays, {} make-up workdays",
                cal.holidays.len(),
                cal.workdays.len()
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The years a calendar mentions, as `2026,2027`.
pub fn calendar_years(cal: &WorkCalendar) -> String {
    let mut ys: Vec<i32> = cal
        .holidays
        .iter()
        .chain(&cal.workdays)
        .map(chrono::Datelike::year)
        .collect();
    ys.sort_unstable();
    ys.dedup();
    ys.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

/// A session's own copy of the rules.
pub fn rules_of(json: &str) -> Result<ReviewRules, AppError> {
    serde_json::from_str(json).map_err(|e| {
        tracing::error!(error = %e, "stored review rules unreadable");
        AppError::Internal
    })
}

/// The state an application is in.
pub fn state_of(row: &ApplicationRow) -> Result<State, AppError> {
    State::parse(&row.state).ok_or_else(|| {
        tracing::error!(state = %row.state, "unknown application state");
        AppError::Internal
    })
}

fn refused(e: Refused) -> AppError {
    match e {
        Refused::NotNow { .. } => AppError::Conflict(STATE.into()),
        Refused::NotYours { .. } => AppError::Forbidden,
        Refused::NoReason(_) => {
            AppError::Validation(vec![FieldError::new("reason", Key::ErrRequired)])
        }
        Refused::Guard(Guard::WindowClosed) => AppError::Refused(Key::ErrWindowClosed),
        Refused::Guard(Guard::NoticeRunning) => AppError::Refused(Key::ErrNoticeRunning),
        Refused::Guard(Guard::NoQuorum) => AppError::Refused(Key::ErrNoQuorum),
        Refused::Guard(Guard::TooFewScores) => AppError::Refused(Key::ErrTooFewScores),
        Refused::Guard(Guard::ScoringOpen) => AppError::Refused(Key::ErrScoringOpen),
        Refused::Guard(Guard::DefenseUnscheduled) => AppError::Refused(Key::ErrDefenseUnscheduled),
        Refused::Guard(Guard::TooFewDefenseScores) => {
            AppError::Refused(Key::ErrTooFewDefenseScores)
        }
        Refused::Guard(Guard::AppealClosed) => AppError::Refused(Key::ErrAppealClosed),
    }
}

fn actor_code(a: Actor) -> &'static str {
    match a {
        Actor::Candidate => "candidate",
        Actor::Unit => "unit",
        Actor::Secretariat => "secretariat",
        Actor::Chair => "chair",
        Actor::Clock => "clock",
        Actor::Authority => "authority",
        Actor::Public => "public",
    }
}

fn event_reason(e: &Event) -> &str {
    match e {
        Event::UnitReject { reason }
        | Event::ObjectionUpheld { reason }
        | Event::ObjectionDismissed { reason }
        | Event::Ineligible { reason }
        | Event::Appeal { reason, .. }
        | Event::AppealUpheld { reason }
        | Event::AppealDismissed { reason }
        | Event::MisconductFound { reason }
        | Event::BallotVoided { reason } => reason,
        Event::Incomplete { what } => what,
        _ => "",
    }
}

/// Moves `app` by `event` caused by `actor` (`who` for the audit log), saving it at its
/// revision; the caller has already changed the fields the step sets (notice dates…) on `app`.
pub(crate) async fn step(
    tx: &mut Tx,
    app: &mut ApplicationRow,
    event: &Event,
    actor: Actor,
    who: &audit::Actor,
    at: DateTime<Utc>,
) -> Result<State, AppError> {
    let from = state_of(app)?;
    let to = procedure::apply(from, event, actor).map_err(refused)?;
    app.state = to.code().to_string();
    store::save(tx, app, at).await.map_err(|e| match e {
        DbError::Conflict { .. } => AppError::Conflict(STATE.into()),
        other => other.into(),
    })?;
    app.revision += 1;
    let reason = event_reason(event).trim();
    store::insert_event(
        tx,
        &NewEvent {
            application: app.id,
            event: event.name(),
            from_state: from.code(),
            to_state: to.code(),
            actor: actor_code(actor),
            reason,
        },
        at,
    )
    .await?;
    audit::append(
        tx,
        at,
        who,
        Change {
            action: &format!("application.{}", event.name()),
            entity_type: "application",
            entity_id: app.id.to_string(),
            before: Some(from.code().to_string()),
            after: Some(if reason.is_empty() {
                to.code().to_string()
            } else {
                format!("{}: {reason}", to.code())
            }),
        },
    )
    .await?;
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rules_parse_and_a_bad_file_is_explained() {
        let rules = parse_rules(SHIPPED_RULES).expect("shipped rules");
        assert_eq!(rules.pass.num * 3, rules.pass.den * 2);
        assert_eq!(rules.unit_notice_days, 5);
        let bad = SHIPPED_RULES.replace("unit_notice_days = 5", "unit_notice_days = 0");
        assert!(parse_rules(&bad).unwrap_err().contains("unit_notice_days"));
        let unknown = format!("{SHIPPED_RULES}\nquorom = 3\n");
        assert!(parse_rules(&unknown).unwrap_err().contains("quorom"));
    }

    #[test]
    fn the_shipped_calendar_bridges_the_holidays() {
        let cal = parse_calendar(CALENDAR_2026).expect("shipped calendar");
        let d = |m, day| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        // National Day: Thursday 1 October off, Saturday 10 October worked.
        assert!(!cal.is_working_day(d(10, 1)));
        assert!(cal.is_working_day(d(10, 10)));
        assert!(
            parse_calendar("holidays = [\"2026-01-01\"]\nworkdays = [\"2026-01-01\"]")
                .unwrap_err()
                .contains("2026-01-01")
        );
    }
}
