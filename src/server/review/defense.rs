//! The defense (答辩) of a session that holds one. The secretariat schedules each candidate's
//! defense while the panel is set or the expert review runs, and may move it until the first
//! score is in. From the defense day on, each assigned reviewer without a conflict scores it
//! once (0 to the session's scale, with a comment); as with the sheets, the others' scores stay
//! hidden from a reviewer until their own is in or scoring closes, and only the scores of the
//! reviewers still assigned count.

use super::panels::of_committee;
use super::scoring::{closed, for_reviewer};
use super::{rules_of, state_of};
use crate::api::defense::{DefenseProgress, DefenseScoreView, DefenseSheet, Schedule};
use crate::api::{AppError, FieldError};
use crate::db::audit::{self, Actor as Who, Change};
use crate::db::defense::{self as store, DefenseRow, NewScore, ScoreRow};
use crate::db::review::{self as review_store, SessionRow};
use crate::db::{Db, panels};
use crate::domain::review::defense::{self, DefenseResult, DefenseReturns, ScheduleError};
use crate::domain::review::procedure::State;
use crate::domain::review::rules::ReviewRules;
use crate::domain::review::scoring::others_visible;
use crate::i18n::Key;
use crate::server::clock::china_date;
use crate::server::validate::check_text;
use chrono::{DateTime, NaiveDateTime, Utc};

fn schedule_of(row: DefenseRow) -> Schedule {
    Schedule {
        starts_at: row.starts_at,
        place: row.place,
    }
}

/// The scores that count: those of the reviewers still assigned (a conflict removes both).
async fn counted(db: &Db, application: i64) -> Result<(Vec<i64>, Vec<ScoreRow>), AppError> {
    let assigned: Vec<i64> = panels::assigned(db, application)
        .await?
        .into_iter()
        .map(|(u, _)| u)
        .collect();
    let rows = store::scores(db, application)
        .await?
        .into_iter()
        .filter(|r| assigned.contains(&r.reviewer_id))
        .collect();
    Ok((assigned, rows))
}

fn values(rows: &[ScoreRow]) -> Vec<u32> {
    rows.iter()
        .map(|r| u32::try_from(r.score).unwrap_or(0))
        .collect()
}

/// The defense's result on an application of a session with `rules`: `None` when the session
/// holds no defense or no score is in.
pub(crate) async fn result_for(
    db: &Db,
    application: i64,
    rules: &ReviewRules,
) -> Result<Option<DefenseResult>, AppError> {
    if !rules.defense {
        return Ok(None);
    }
    let (_, rows) = counted(db, application).await?;
    Ok(defense::result(&values(&rows), rules))
}

/// Where the defense stands, for the end of the expert review: `None` without a defense.
pub(crate) async fn returns(
    db: &Db,
    application: i64,
    rules: &ReviewRules,
) -> Result<Option<DefenseReturns>, AppError> {
    if !rules.defense {
        return Ok(None);
    }
    let (assigned, rows) = counted(db, application).await?;
    Ok(Some(DefenseReturns {
        scheduled: store::defense(db, application).await?.is_some(),
        scored: rows.len() as u32,
        outstanding: (assigned.len() as u32).saturating_sub(rows.len() as u32),
    }))
}

/// Whether `reviewer` still owes a defense score on the application (for reminders).
pub(crate) async fn owes(
    db: &Db,
    application: i64,
    reviewer: i64,
    rules: &ReviewRules,
) -> Result<bool, AppError> {
    if !rules.defense {
        return Ok(false);
    }
    let (_, rows) = counted(db, application).await?;
    Ok(!rows.iter().any(|r| r.reviewer_id == reviewer))
}

/// The defense's schedule, for anyone already allowed to see the application.
pub(crate) async fn schedule_for(
    db: &Db,
    application: i64,
    rules: &ReviewRules,
) -> Result<Option<Schedule>, AppError> {
    if !rules.defense {
        return Ok(None);
    }
    Ok(store::defense(db, application).await?.map(schedule_of))
}

/// A candidate's defense for the secretariat and the chair: `None` without a defense.
pub(crate) async fn progress_of(
    db: &Db,
    application: i64,
    state: State,
    session: &SessionRow,
    rules: &ReviewRules,
) -> Result<Option<DefenseProgress>, AppError> {
    if !rules.defense {
        return Ok(None);
    }
    let (_, rows) = counted(db, application).await?;
    let any_score = !store::scores(db, application).await?.is_empty();
    Ok(Some(DefenseProgress {
        schedule: store::defense(db, application).await?.map(schedule_of),
        result: defense::result(&values(&rows), rules),
        movable: matches!(state, State::PanelAssigned | State::ExpertReview) && !any_score,
        latest: session.scoring_to,
    }))
}

fn score_view(label: u32, r: &ScoreRow) -> DefenseScoreView {
    DefenseScoreView {
        label,
        score: u32::try_from(r.score).unwrap_or(0),
        comment: r.comment.clone(),
        submitted_at: r.submitted_at,
    }
}

/// What `reviewer` sees of their candidate's defense (`None`: the session holds none).
pub(crate) async fn sheet_for(
    db: &Db,
    reviewer: i64,
    application: i64,
    state: State,
    session: &SessionRow,
    rules: &ReviewRules,
    at: DateTime<Utc>,
) -> Result<Option<DefenseSheet>, AppError> {
    if !rules.defense {
        return Ok(None);
    }
    let schedule = store::defense(db, application).await?.map(schedule_of);
    let (_, rows) = counted(db, application).await?;
    let mine = rows.iter().position(|r| r.reviewer_id == reviewer);
    let closed = closed(session, at);
    let visible = others_visible(mine.is_some(), closed);
    let others = visible.then(|| {
        rows.iter()
            .enumerate()
            .filter(|(_, r)| r.reviewer_id != reviewer)
            .map(|(i, r)| score_view(i as u32 + 1, r))
            .collect()
    });
    let today = china_date(at);
    Ok(Some(DefenseSheet {
        may_score: mine.is_none()
            && state == State::ExpertReview
            && !closed
            && schedule
                .as_ref()
                .is_some_and(|s| defense::may_score(s.starts_at, today)),
        schedule,
        scale: rules.defense_scale,
        pass_mark: rules.defense_pass_mark,
        own: mine.map(|i| score_view(i as u32 + 1, &rows[i])),
        others,
        result: if visible {
            defense::result(&values(&rows), rules)
        } else {
            None
        },
    }))
}

/// A day and hour as a datetime-local input sends it ("2026-11-30T14:00"), or with a space.
fn parse_starts_at(raw: &str) -> Option<NaiveDateTime> {
    let raw = raw.trim();
    ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
}

/// The secretariat sets (or moves) candidate `id`'s defense.
pub async fn schedule(
    db: &Db,
    who: &Who,
    may: impl Fn(i64) -> bool,
    id: i64,
    starts_at: &str,
    place: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let app = of_committee(db, may, id).await?;
    if !matches!(state_of(&app)?, State::PanelAssigned | State::ExpertReview) {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    let session = review_store::session(db, app.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !rules_of(&session.rules)?.defense {
        return Err(AppError::Refused(Key::ErrNoDefense));
    }
    let mut errors = Vec::new();
    let when = parse_starts_at(starts_at);
    match when {
        None => errors.push(FieldError::new("starts_at", Key::ErrDateTime)),
        Some(w) => match defense::check_schedule(w, china_date(at), session.scoring_to) {
            Ok(()) => {}
            Err(ScheduleError::Past) => {
                errors.push(FieldError::new("starts_at", Key::ErrDefensePast))
            }
            Err(ScheduleError::AfterScoring) => {
                errors.push(FieldError::new("starts_at", Key::ErrDefenseAfterScoring))
            }
        },
    }
    check_text("place", place, &mut errors);
    let (Some(when), true) = (when, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let before = store::defense(db, id).await?.map(|d| schedule_of(d).line());
    let place = place.trim();
    let mut tx = db.begin_write().await?;
    if !store::schedule(&mut tx, id, when, place, at).await? {
        return Err(AppError::Refused(Key::ErrDefenseScored));
    }
    audit::append(
        &mut tx,
        at,
        who,
        Change {
            action: "review.defense.scheduled",
            entity_type: "application",
            entity_id: id.to_string(),
            before,
            after: Some(
                Schedule {
                    starts_at: when,
                    place: place.to_string(),
                }
                .line(),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// `reviewer` scores candidate `id`'s defense, once.
pub async fn score(
    db: &Db,
    who: &Who,
    reviewer: i64,
    id: i64,
    raw: &str,
    comment: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let (app, session) = for_reviewer(db, reviewer, id).await?;
    let rules = rules_of(&session.rules)?;
    if !rules.defense {
        return Err(AppError::Refused(Key::ErrNoDefense));
    }
    if state_of(&app)? != State::ExpertReview {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    if closed(&session, at) {
        return Err(AppError::Refused(Key::ErrScoringClosed));
    }
    let held = store::defense(db, id).await?;
    if !held.is_some_and(|d| defense::may_score(d.starts_at, china_date(at))) {
        return Err(AppError::Refused(Key::ErrDefenseNotYet));
    }
    let mut errors = Vec::new();
    let value = raw
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|v| *v <= rules.defense_scale);
    if value.is_none() {
        errors.push(FieldError::new("score", Key::ErrDefenseScore));
    }
    if comment.trim().chars().count() > 2000 {
        errors.push(FieldError::new("comment", Key::ErrTooLong));
    }
    let (Some(value), true) = (value, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let mut tx = db.begin_write().await?;
    let fresh = store::insert_score(
        &mut tx,
        &NewScore {
            application: id,
            reviewer,
            score: i32::try_from(value).map_err(|_| AppError::Internal)?,
            comment: comment.trim(),
        },
        at,
    )
    .await?;
    if !fresh {
        return Err(AppError::Refused(Key::ErrScoreSubmitted));
    }
    // As with the sheets, the audit log says that a score came in, not what it is.
    audit::append(
        &mut tx,
        at,
        who,
        Change {
            action: "review.defense.scored",
            entity_type: "application",
            entity_id: id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_starts_at;

    #[test]
    fn a_defense_time_is_read_as_the_browser_sends_it() {
        let want = chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
            .unwrap()
            .and_hms_opt(14, 0, 0);
        assert_eq!(parse_starts_at("2026-11-30T14:00"), want);
        assert_eq!(parse_starts_at(" 2026-11-30 14:00 "), want);
        assert_eq!(parse_starts_at("2026-11-30"), None);
        assert_eq!(parse_starts_at("2026-11-31T14:00"), None);
    }
}
