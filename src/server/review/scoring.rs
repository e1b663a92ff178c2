//! Independent scoring (issue 6): an assigned reviewer without a conflict submits one score
//! sheet per candidate while the application is in expert review and the scoring period has
//! not closed; the sheet never changes. Another reviewer's sheets stay hidden from them until
//! their own is in (or scoring closes). The secretariat follows progress, reminds reviewers,
//! and ends the expert review once enough sheets are in and nobody is still scoring (or the
//! period has closed; in a session with a defense, the same holds for the defense scores —
//! see `defense`). Only sheets of the reviewers still assigned count: a reviewer who declares
//! a conflict after scoring leaves, and so does their sheet.

use super::panels::of_committee;
use super::views::{reviewer_reads, visible_session};
use super::{dossier, rules_of, state_of, step};
use crate::api::scoring::{Progress, ReviewerProgress, ScoreSheetView, ScoringView, SheetView};
use crate::api::{AppError, FieldError};
use crate::db::audit::{self, Actor as Who, Change};
use crate::db::review::{self as store, ApplicationRow, SessionRow};
use crate::db::scoring::{self as sheets, NewSheet, SheetRow};
use crate::db::{Db, panels};
use crate::domain::review::procedure::{Actor, Event, State};
use crate::domain::review::schedule::Period;
use crate::domain::review::scoring::{
    self, Aggregate, Recommendation, Rubric, SheetError, check_sheet,
};
use crate::domain::role::Grant;
use crate::domain::rules::Dimension;
use crate::i18n::Key;
use crate::server::clock::china_date;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// A sheet as typed: points per criterion, the recommendation's code, a comment.
#[derive(Debug, Clone, Default)]
pub struct SheetInput {
    pub points: BTreeMap<String, String>,
    pub recommendation: String,
    pub comment: String,
}

/// The session's rubric (a session opened before rubrics were kept has none: nobody scores).
fn rubric_of(s: &SessionRow) -> Result<Rubric, AppError> {
    serde_json::from_str(&s.rubric).map_err(|e| {
        tracing::error!(error = %e, session = s.id, "stored rubric unreadable");
        AppError::Internal
    })
}

pub(super) fn closed(s: &SessionRow, at: DateTime<Utc>) -> bool {
    china_date(at) > s.scoring_to
}

fn recommendation(row: &SheetRow) -> Result<Recommendation, AppError> {
    Recommendation::parse(&row.recommendation).ok_or_else(|| {
        tracing::error!(code = %row.recommendation, "unknown recommendation");
        AppError::Internal
    })
}

fn view_of(label: u32, row: &SheetRow, rubric: &Rubric) -> Result<SheetView, AppError> {
    let points: BTreeMap<String, u32> = serde_json::from_str(&row.scores).map_err(|e| {
        tracing::error!(error = %e, "stored sheet unreadable");
        AppError::Internal
    })?;
    Ok(SheetView {
        label,
        points: rubric
            .keys()
            .map(|k| (k.clone(), points.get(k).copied().unwrap_or(0)))
            .collect(),
        total: u32::try_from(row.total).unwrap_or(0),
        recommendation: recommendation(row)?,
        comment: row.comment.clone(),
        submitted_at: row.submitted_at,
    })
}

/// The sheets that count: those of the reviewers still assigned (a conflict removes both).
async fn counted(
    db: &Db,
    application: i64,
) -> Result<(Vec<(i64, String)>, Vec<SheetRow>), AppError> {
    let assigned = panels::assigned(db, application).await?;
    let rows = sheets::sheets(db, application)
        .await?
        .into_iter()
        .filter(|r| assigned.iter().any(|(u, _)| *u == r.reviewer_id))
        .collect();
    Ok((assigned, rows))
}

fn aggregate_of(rows: &[SheetRow], trimmed_from: u32) -> Result<Option<Aggregate>, AppError> {
    let pairs = rows
        .iter()
        .map(|r| Ok((u32::try_from(r.total).unwrap_or(0), recommendation(r)?)))
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(scoring::aggregate(&pairs, trimmed_from))
}

/// The panel's aggregate for an application: the sheets of the reviewers still assigned.
pub(crate) async fn aggregate_for(
    db: &Db,
    application: i64,
    trimmed_from: u32,
) -> Result<Option<Aggregate>, AppError> {
    let (_, rows) = counted(db, application).await?;
    aggregate_of(&rows, trimmed_from)
}

/// The application and its session, for one of its reviewers (anyone else: not found).
pub(super) async fn for_reviewer(
    db: &Db,
    reviewer: i64,
    id: i64,
) -> Result<(ApplicationRow, SessionRow), AppError> {
    let app = store::application(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !reviewer_reads(db, &app, reviewer).await? {
        return Err(AppError::NotFound);
    }
    let session = store::session(db, app.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((app, session))
}

/// What `reviewer` sees of their candidate `id`.
pub async fn sheet_view(
    db: &Db,
    reviewer: i64,
    id: i64,
    at: DateTime<Utc>,
) -> Result<ScoreSheetView, AppError> {
    let (app, session) = for_reviewer(db, reviewer, id).await?;
    let rules = rules_of(&session.rules)?;
    let rubric = rubric_of(&session)?;
    let closed = closed(&session, at);
    let (_, rows) = counted(db, id).await?;
    let own_row = rows.iter().find(|r| r.reviewer_id == reviewer);
    let own = own_row
        .map(|r| {
            let place = rows.iter().position(|x| x.reviewer_id == reviewer);
            view_of(place.map_or(0, |p| p as u32 + 1), r, &rubric)
        })
        .transpose()?;
    let visible = scoring::others_visible(own.is_some(), closed);
    let others = if visible {
        let mut out = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            if r.reviewer_id != reviewer {
                out.push(view_of(i as u32 + 1, r, &rubric)?);
            }
        }
        Some(out)
    } else {
        None
    };
    let state = state_of(&app)?;
    Ok(ScoreSheetView {
        application_id: app.id,
        candidate: app.person_name.clone(),
        session_code: session.code.clone(),
        state,
        scoring_from: session.scoring_from,
        scoring_to: session.scoring_to,
        closed,
        rubric: rubric.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        aggregate: if visible {
            aggregate_of(&rows, rules.trimmed_mean_from)?
        } else {
            None
        },
        own,
        others,
        reminded_at: sheets::last_reminder(db, id, reviewer).await?,
        may_score: own_row.is_none()
            && state == State::ExpertReview
            && !closed
            && !rubric.is_empty(),
        defense: super::defense::sheet_for(db, reviewer, id, state, &session, &rules, at).await?,
    })
}

/// Checks a typed sheet against the rubric: every fault is located on its field.
fn check_input(
    rubric: &Rubric,
    input: &SheetInput,
) -> Result<(BTreeMap<String, u32>, u32, Recommendation), AppError> {
    let mut errors = Vec::new();
    let mut points = BTreeMap::new();
    for (criterion, raw) in &input.points {
        match raw.trim().parse::<u32>() {
            Ok(p) => {
                points.insert(criterion.clone(), p);
            }
            Err(_) => errors.push(FieldError::new(
                &format!("points[{criterion}]"),
                Key::ErrRubricPoints,
            )),
        }
    }
    let total = match check_sheet(rubric, &points) {
        Ok(total) => total,
        Err(faults) => {
            for fault in faults {
                let field = match &fault {
                    SheetError::Missing(c) | SheetError::OutOfRange { criterion: c, .. } => {
                        format!("points[{c}]")
                    }
                    SheetError::Unknown(_) => "points".to_string(),
                };
                if !errors.iter().any(|e: &FieldError| e.field == field) {
                    errors.push(FieldError::new(&field, Key::ErrRubricPoints));
                }
            }
            0
        }
    };
    let rec = Recommendation::parse(input.recommendation.trim());
    if rec.is_none() {
        errors.push(FieldError::new("recommendation", Key::ErrChoose));
    }
    if input.comment.trim().chars().count() > 2000 {
        errors.push(FieldError::new("comment", Key::ErrTooLong));
    }
    match rec {
        Some(rec) if errors.is_empty() => Ok((points, total, rec)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// `reviewer` submits their sheet on candidate `id`, once.
pub async fn submit(
    db: &Db,
    who: &Who,
    reviewer: i64,
    id: i64,
    input: &SheetInput,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let (app, session) = for_reviewer(db, reviewer, id).await?;
    if state_of(&app)? != State::ExpertReview {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    // Reviewers score in the session's scoring period, not before it opens.
    match session.schedule().scoring(china_date(at)) {
        Period::NotYet => return Err(AppError::Refused(Key::ErrScoringNotYet)),
        Period::Over => return Err(AppError::Refused(Key::ErrScoringClosed)),
        Period::Open => {}
    }
    let rubric = rubric_of(&session)?;
    if rubric.is_empty() {
        return Err(AppError::Refused(Key::NoRulesetInForce));
    }
    let (points, total, rec) = check_input(&rubric, input)?;
    let json = serde_json::to_string(&points).map_err(|_| AppError::Internal)?;
    let mut tx = db.begin_write().await?;
    let fresh = sheets::insert(
        &mut tx,
        &NewSheet {
            application: id,
            reviewer,
            scores: &json,
            total: i32::try_from(total).map_err(|_| AppError::Internal)?,
            recommendation: rec.code(),
            comment: input.comment.trim(),
        },
        at,
    )
    .await?;
    if !fresh {
        return Err(AppError::Refused(Key::ErrScoreSubmitted));
    }
    // The audit log says that a sheet came in, not what it says.
    audit::append(
        &mut tx,
        at,
        who,
        Change {
            action: "review.score.submitted",
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

/// A session's scoring: every application from the expert review on.
pub async fn progress(
    db: &Db,
    grants: &[Grant],
    session_id: i64,
    at: DateTime<Utc>,
) -> Result<ScoringView, AppError> {
    let s = visible_session(db, grants, session_id).await?;
    let rules = rules_of(&s.rules)?;
    let rubric = rubric_of(&s)?;
    let rubric_max: u32 = rubric.values().sum();
    let mut applications = Vec::new();
    for row in store::applications_of_session(db, session_id).await? {
        let state = state_of(&row)?;
        if !state.reviewers_read() {
            continue;
        }
        let (assigned, rows) = counted(db, row.id).await?;
        let reminded = sheets::reminders(db, row.id).await?;
        let defended = if rules.defense {
            crate::db::defense::scores(db, row.id).await?
        } else {
            Vec::new()
        };
        let reviewers = assigned
            .iter()
            .map(|(user, name)| {
                let sheet = rows.iter().find(|r| r.reviewer_id == *user);
                Ok(ReviewerProgress {
                    user_id: *user,
                    name: name.clone(),
                    submitted_at: sheet.map(|r| r.submitted_at),
                    total: sheet.map(|r| u32::try_from(r.total).unwrap_or(0)),
                    recommendation: sheet.map(recommendation).transpose()?,
                    defense_score: defended
                        .iter()
                        .find(|d| d.reviewer_id == *user)
                        .map(|d| u32::try_from(d.score).unwrap_or(0)),
                    reminded_at: reminded.iter().find(|(u, _)| u == user).map(|(_, t)| *t),
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let aggregate = aggregate_of(&rows, rules.trimmed_mean_from)?;
        let d = store::dossier(db, row.id, row.dossier_version)
            .await?
            .ok_or(AppError::NotFound)?;
        let report = dossier::open(&d.payload)?.report;
        let case_quality = aggregate.map(|a| scoring::case_quality(&a, rubric_max));
        applications.push(Progress {
            application_id: row.id,
            candidate: row.person_name.clone(),
            state,
            reviewers,
            aggregate,
            case_quality,
            total_with_panel: case_quality
                .map(|d4| scoring::with_panel_case_quality(&report, d4).1),
            dossier_case_quality: report.dimension(Dimension::CaseQuality),
            dossier_total: report.total,
            defense: super::defense::progress_of(db, row.id, state, &s, &rules).await?,
        });
    }
    Ok(ScoringView {
        scoring_from: s.scoring_from,
        scoring_to: s.scoring_to,
        closed: closed(&s, at),
        required: rules.min_reviewers,
        applications,
    })
}

/// The secretariat reminds a reviewer who has not yet submitted their sheet.
pub async fn remind(
    db: &Db,
    who: &Who,
    may: impl Fn(i64) -> bool,
    id: i64,
    reviewer: i64,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let app = of_committee(db, may, id).await?;
    if state_of(&app)? != State::ExpertReview {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    let (assigned, rows) = counted(db, id).await?;
    if !assigned.iter().any(|(u, _)| *u == reviewer) {
        return Err(AppError::invalid("reviewer_id", Key::ErrChoose));
    }
    let session = store::session(db, app.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rules = rules_of(&session.rules)?;
    // Nothing to remind of once the sheet (and, with a defense, its score) is in.
    if rows.iter().any(|r| r.reviewer_id == reviewer)
        && !super::defense::owes(db, id, reviewer, &rules).await?
    {
        return Err(AppError::Refused(Key::ErrScoreSubmitted));
    }
    let mut tx = db.begin_write().await?;
    sheets::remind(&mut tx, id, reviewer, at).await?;
    audit::append(
        &mut tx,
        at,
        who,
        Change {
            action: "review.score.reminded",
            entity_type: "application",
            entity_id: id.to_string(),
            before: None,
            after: Some(format!("reviewer {reviewer}")),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The secretariat ends the expert review: the domain's guard wants the configured number of
/// sheets, and nobody still scoring unless the period has closed.
pub async fn complete(
    db: &Db,
    who: &Who,
    may: impl Fn(i64) -> bool,
    id: i64,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut app = of_committee(db, may, id).await?;
    let session = store::session(db, app.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rules = rules_of(&session.rules)?;
    let (assigned, rows) = counted(db, id).await?;
    let scored = rows.len() as u32;
    let event = Event::ReviewComplete {
        scored,
        required: rules.min_reviewers,
        outstanding: (assigned.len() as u32).saturating_sub(scored),
        scoring_closed: closed(&session, at),
        defense: super::defense::returns(db, id, &rules).await?,
    };
    let mut tx = db.begin_write().await?;
    step(&mut tx, &mut app, &event, Actor::Secretariat, who, at).await?;
    tx.commit().await?;
    Ok(())
}
