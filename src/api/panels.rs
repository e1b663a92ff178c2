//! Sub-panels, reviewers and conflicts of the senior-title review: the secretariat's
//! assignment and lock, and a reviewer's own tasks and declarations. Reviewers' names reach
//! only the secretariat and the chair, never the candidate.

use super::AppError;
use crate::domain::review::procedure::State;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One application's panel, reviewers and conflicts, for the secretariat and the chair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staffing {
    pub application_id: i64,
    pub panel_id: Option<i64>,
    pub reviewers: Vec<String>,
    /// Reviewer, the conflict's code and its detail.
    pub conflicts: Vec<(String, String, String)>,
}

/// A session's panels and each application's staffing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffingView {
    pub panels: Vec<(i64, String)>,
    pub applications: Vec<Staffing>,
}

/// One application assigned to the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub application_id: i64,
    pub candidate: String,
    pub session_code: String,
    pub state: State,
    pub scoring_to: chrono::NaiveDate,
    /// The reviewer's sheet is in.
    pub scored: bool,
    /// The secretariat has reminded them (and the sheet, or the defense score, is not in).
    pub reminded: bool,
    /// The session holds a defense; its schedule once set; this reviewer's score on it is
    /// still to come. (Not an Option of an Option: JSON cannot tell Some(None) from None.)
    pub defense: bool,
    pub defense_at: Option<crate::api::defense::Schedule>,
    pub defense_owed: bool,
}

#[server(endpoint = "session_staffing")]
pub async fn session_staffing(session_id: i64) -> Result<StaffingView, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewAnyReviews)?;
            crate::server::review::views::staffing(ctx.db(), &caller.grants, session_id).await
        }
        .await,
    )
}

/// The secretariat's staffing steps: `panel` (with `panel_id`) and `lock` on an application,
/// `assign` on the whole session (`id` is then the session).
#[server(endpoint = "staff_review")]
pub async fn staff_review(
    id: i64,
    step: String,
    #[server(default)] panel_id: i64,
) -> Result<usize, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    use crate::server::review::panels;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::RunAnyReviews)?;
            let may =
                |committee: i64| access::allows(&caller.grants, Action::RunReviews { committee });
            let (db, who) = (ctx.db(), caller.actor());
            match step.as_str() {
                "panel" => panels::set_panel(db, &who, may, id, panel_id, ctx.now)
                    .await
                    .map(|_| 1),
                "lock" => panels::lock_recusals(db, &who, may, id, ctx.now)
                    .await
                    .map(|_| 1),
                "assign" => panels::assign_reviewers(db, &who, may, id, ctx.now).await,
                _ => Err(AppError::invalid("step", crate::i18n::Key::ErrChoose)),
            }
        }
        .await,
    )
}

#[server(endpoint = "my_review_tasks")]
pub async fn my_review_tasks() -> Result<Vec<Task>, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ReviewAsExpert)?;
            crate::server::review::views::tasks(ctx.db(), caller.user_id).await
        }
        .await,
    )
}

#[server(endpoint = "declare_conflict")]
pub async fn declare_conflict(id: i64, reason: String) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ReviewAsExpert)?;
            crate::server::review::panels::declare_conflict(
                ctx.db(),
                &caller.actor(),
                caller.user_id,
                id,
                &reason,
                ctx.now,
            )
            .await
        }
        .await,
    )
}
