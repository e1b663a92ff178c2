//! Independent scoring in the senior-title review: a reviewer's score sheet for each candidate
//! assigned to them (others' sheets stay hidden until their own is in, or scoring closes), and
//! the secretariat's progress, reminders and the end of the expert review. Candidates never
//! reach any of it.

use super::AppError;
use super::defense::{DefenseProgress, DefenseSheet};
use crate::domain::quantity::Points;
use crate::domain::review::procedure::State;
use crate::domain::review::scoring::{Aggregate, Recommendation};
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One submitted sheet. Another reviewer's sheet carries no name: `label` is its place in
/// the order sheets came in (1, 2, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetView {
    pub label: u32,
    pub points: Vec<(String, u32)>,
    pub total: u32,
    pub recommendation: Recommendation,
    pub comment: String,
    pub submitted_at: DateTime<Utc>,
}

/// What a reviewer sees of one of their candidates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreSheetView {
    pub application_id: i64,
    pub candidate: String,
    pub session_code: String,
    pub state: State,
    pub scoring_from: NaiveDate,
    pub scoring_to: NaiveDate,
    /// The scoring period is over.
    pub closed: bool,
    /// Criterion and its maximum, in the rubric's order.
    pub rubric: Vec<(String, u32)>,
    pub own: Option<SheetView>,
    /// The other reviewers' sheets; `None` while they are hidden from this reviewer.
    pub others: Option<Vec<SheetView>>,
    pub aggregate: Option<Aggregate>,
    /// The secretariat's latest reminder to this reviewer about this candidate.
    pub reminded_at: Option<DateTime<Utc>>,
    /// A sheet can be submitted now.
    pub may_score: bool,
    /// The session holds a defense: its schedule and scores as this reviewer sees them.
    pub defense: Option<DefenseSheet>,
}

/// One reviewer's progress on a candidate, for the secretariat and the chair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerProgress {
    pub user_id: i64,
    pub name: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub total: Option<u32>,
    pub recommendation: Option<Recommendation>,
    /// Their defense score, in a session with a defense.
    pub defense_score: Option<u32>,
    pub reminded_at: Option<DateTime<Utc>>,
}

/// One candidate's scoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub application_id: i64,
    pub candidate: String,
    pub state: State,
    pub reviewers: Vec<ReviewerProgress>,
    pub aggregate: Option<Aggregate>,
    /// The panel's case quality (D4, 0–100) and the total with it in place of the dossier's.
    pub case_quality: Option<Points>,
    pub total_with_panel: Option<Points>,
    /// What the frozen dossier's score report said.
    pub dossier_case_quality: Points,
    pub dossier_total: Points,
    /// The defense's schedule and result, in a session with a defense.
    pub defense: Option<DefenseProgress>,
}

/// A session's scoring, for the secretariat and the chair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoringView {
    pub scoring_from: NaiveDate,
    pub scoring_to: NaiveDate,
    pub closed: bool,
    pub required: u32,
    pub applications: Vec<Progress>,
}

#[server(endpoint = "score_sheet")]
pub async fn score_sheet(id: i64) -> Result<ScoreSheetView, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ReviewAsExpert)?;
            crate::server::review::scoring::sheet_view(ctx.db(), caller.user_id, id, ctx.now).await
        }
        .await,
    )
}

#[server(endpoint = "submit_score")]
pub async fn submit_score(
    id: i64,
    #[server(default)] points: BTreeMap<String, String>,
    #[server(default)] recommendation: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ReviewAsExpert)?;
            let sheet = crate::server::review::scoring::SheetInput {
                points,
                recommendation,
                comment,
            };
            crate::server::review::scoring::submit(
                ctx.db(),
                &caller.actor(),
                caller.user_id,
                id,
                &sheet,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "session_scoring")]
pub async fn session_scoring(session_id: i64) -> Result<ScoringView, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewAnyReviews)?;
            crate::server::review::scoring::progress(ctx.db(), &caller.grants, session_id, ctx.now)
                .await
        }
        .await,
    )
}

/// The secretariat's scoring steps on an application: `remind` (a reviewer, `reviewer_id`,
/// who has not submitted) and `complete` (the expert review ends).
#[server(endpoint = "run_scoring")]
pub async fn run_scoring(
    id: i64,
    step: String,
    #[server(default)] reviewer_id: i64,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    use crate::server::review::scoring;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::RunAnyReviews)?;
            let may =
                |committee: i64| access::allows(&caller.grants, Action::RunReviews { committee });
            let (db, who) = (ctx.db(), caller.actor());
            match step.as_str() {
                "remind" => scoring::remind(db, &who, may, id, reviewer_id, ctx.now).await,
                "complete" => scoring::complete(db, &who, may, id, ctx.now).await,
                _ => Err(AppError::invalid("step", crate::i18n::Key::ErrChoose)),
            }
        }
        .await,
    )
}
