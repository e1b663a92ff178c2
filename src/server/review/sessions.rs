//! Review sessions (评审批次): a committee's application window, scoring period and meeting,
//! with the rules the session keeps for its whole course.

use super::default_rules;
use crate::api::{AppError, FieldError};
use crate::db::audit::{self, Actor, Change};
use crate::db::review::{self as store, NewSession};
use crate::db::{Db, committees};
use crate::domain::access::Visibility;
use crate::domain::review::rules::ReviewRules;
use crate::domain::review::schedule::Schedule;
use crate::i18n::Key;
use crate::server::validate::{check_text, parse_date};
use chrono::{DateTime, Utc};

/// A session as typed into the form.
#[derive(Debug, Clone, Default)]
pub struct SessionInput {
    pub committee_id: i64,
    pub code: String,
    pub name: String,
    pub applies_from: String,
    pub applies_to: String,
    pub scoring_from: String,
    pub scoring_to: String,
    pub meeting_on: String,
    /// The rules the form lets the secretariat set (the rest are the shipped defaults).
    pub unit_notice_days: String,
    pub result_notice_days: String,
    pub min_reviewers: String,
    pub conflict_years: String,
    pub supplement_days: String,
    /// The session holds a defense (答辩).
    pub defense: bool,
}

fn number(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> u32 {
    match raw.trim().parse::<u32>() {
        Ok(n) => n,
        Err(_) => {
            errors.push(FieldError::new(field, Key::ErrNumber));
            0
        }
    }
}

/// The rules `input` asks for, on top of `base`, each checked against its range.
fn rules_from(
    input: &SessionInput,
    base: &ReviewRules,
    errors: &mut Vec<FieldError>,
) -> ReviewRules {
    let mut r = base.clone();
    r.unit_notice_days = number("unit_notice_days", &input.unit_notice_days, errors);
    r.result_notice_days = number("result_notice_days", &input.result_notice_days, errors);
    r.min_reviewers = number("min_reviewers", &input.min_reviewers, errors);
    r.conflict_years = number("conflict_years", &input.conflict_years, errors);
    r.supplement_days = number("supplement_days", &input.supplement_days, errors);
    r.defense = input.defense;
    if errors.is_empty()
        && let Err(crate::domain::review::rules::RulesError::Range { key, .. }) = r.check()
    {
        errors.push(FieldError::new(key, Key::ErrOutOfRange));
    }
    r
}

/// The five dates as typed (window, scoring period, meeting), each error on its field; the
/// schedule when all of them read.
fn parse_schedule(raw: [&str; 5], errors: &mut Vec<FieldError>) -> Option<Schedule> {
    let fields = [
        "applies_from",
        "applies_to",
        "scoring_from",
        "scoring_to",
        "meeting_on",
    ];
    let [af, at, sf, st, m] = std::array::from_fn(|i| parse_date(fields[i], raw[i], errors));
    Some(Schedule {
        applies_from: af?,
        applies_to: at?,
        scoring_from: sf?,
        scoring_to: st?,
        meeting_on: m?,
    })
}

/// Opens a session of `input.committee_id` (the caller has checked the secretariat's right).
pub async fn create(
    db: &Db,
    actor: &Actor,
    input: &SessionInput,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let mut errors = Vec::new();
    check_text("code", &input.code, &mut errors);
    check_text("name", &input.name, &mut errors);
    let dates = parse_schedule(
        [
            &input.applies_from,
            &input.applies_to,
            &input.scoring_from,
            &input.scoring_to,
            &input.meeting_on,
        ],
        &mut errors,
    );
    let rules = rules_from(input, &default_rules()?, &mut errors);
    // Each step follows the one before it.
    let Some(schedule) = dates else {
        return Err(AppError::Validation(errors));
    };
    for field in schedule.out_of_order() {
        errors.push(FieldError::new(field, Key::ErrDateOrder));
    }
    let visible = Visibility::Only(vec![input.committee_id]);
    if committees::list_committees(db, &visible).await?.is_empty() {
        errors.push(FieldError::new("committee_id", Key::ErrChoose));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    // Every candidate of the session is scored on the same sheet: the case rubric of the
    // ruleset in force when the session opens.
    let (_, ruleset) = crate::server::scores::ruleset_in_force(db)
        .await?
        .ok_or(AppError::Refused(Key::NoRulesetInForce))?;
    let rubric: std::collections::BTreeMap<String, u32> = ruleset
        .case_rubric
        .iter()
        .map(|(k, v)| (k.clone(), u32::try_from(*v).unwrap_or(0)))
        .collect();
    let rubric = serde_json::to_string(&rubric).map_err(|_| AppError::Internal)?;
    let json = serde_json::to_string(&rules).map_err(|_| AppError::Internal)?;
    let mut tx = db.begin_write().await?;
    let id = store::insert_session(
        &mut tx,
        &NewSession {
            committee_id: input.committee_id,
            code: input.code.trim(),
            name: input.name.trim(),
            applies_from: schedule.applies_from,
            applies_to: schedule.applies_to,
            scoring_from: schedule.scoring_from,
            scoring_to: schedule.scoring_to,
            meeting_on: schedule.meeting_on,
            rules: &json,
            rubric: &rubric,
        },
        at,
    )
    .await?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "review_session.create",
            entity_type: "review_session",
            entity_id: id.to_string(),
            before: None,
            after: Some(format!(
                "{} {} applies {}..{}, meeting {}; rules {json}",
                input.code.trim(),
                input.name.trim(),
                schedule.applies_from,
                schedule.applies_to,
                schedule.meeting_on
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A session's five dates as typed into the schedule form, and why they move.
#[derive(Debug, Clone, Default)]
pub struct ScheduleInput {
    pub applies_from: String,
    pub applies_to: String,
    pub scoring_from: String,
    pub scoring_to: String,
    pub meeting_on: String,
    pub reason: String,
}

/// The dates of a schedule as the form and the kept change write them.
pub fn schedule_json(s: &Schedule) -> Result<String, AppError> {
    serde_json::to_string(s).map_err(|_| AppError::Internal)
}

/// The secretariat moves the session's dates (`may`: the caller runs its committee). Every
/// date is checked as on creation; the reason is required; the change is kept with who made
/// it and audited, and the session's page shows it to the chair.
pub async fn reschedule(
    db: &Db,
    actor: &Actor,
    may: impl Fn(i64) -> bool,
    session: i64,
    input: &ScheduleInput,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let s = store::session(db, session)
        .await?
        .filter(|s| may(s.committee_id))
        .ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let dates = parse_schedule(
        [
            &input.applies_from,
            &input.applies_to,
            &input.scoring_from,
            &input.scoring_to,
            &input.meeting_on,
        ],
        &mut errors,
    );
    check_text("reason", &input.reason, &mut errors);
    let Some(after) = dates else {
        return Err(AppError::Validation(errors));
    };
    let before = s.schedule();
    for field in after.out_of_order() {
        errors.push(FieldError::new(field, Key::ErrDateOrder));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let changes = before.changes(&after);
    if changes.is_empty() {
        return Err(AppError::Refused(Key::ErrScheduleUnchanged));
    }
    let (from, to) = (schedule_json(&before)?, schedule_json(&after)?);
    let reason = input.reason.trim();
    let mut tx = db.begin_write().await?;
    if store::move_session(&mut tx, session, &before, &after).await? != 1 {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    store::insert_schedule_change(&mut tx, session, &from, &to, reason, actor.user_id, at).await?;
    let moved: Vec<String> = changes
        .iter()
        .map(|(field, a, b)| format!("{field} {a} -> {b}"))
        .collect();
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "review_session.reschedule",
            entity_type: "review_session",
            entity_id: session.to_string(),
            before: Some(from),
            after: Some(format!("{}; reason: {reason}", moved.join(", "))),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
