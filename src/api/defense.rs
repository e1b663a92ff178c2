//! The defense (答辩) in a session that holds one: the secretariat schedules each candidate's
//! defense, the assigned reviewers score it once (others' scores hidden until their own is in,
//! or scoring closes). The candidate sees only when and where.

use super::AppError;
use crate::domain::review::defense::DefenseResult;
use chrono::{DateTime, NaiveDateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// When (China time) and where a candidate defends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub starts_at: NaiveDateTime,
    pub place: String,
}

impl Schedule {
    /// "2026-11-30 14:00 · 第一会议室".
    pub fn line(&self) -> String {
        format!(
            "{} · {}",
            self.starts_at.format("%Y-%m-%d %H:%M"),
            self.place
        )
    }
}

/// One defense score. Another reviewer's carries no name: `label` is its place in the order
/// scores came in (1, 2, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefenseScoreView {
    pub label: u32,
    pub score: u32,
    pub comment: String,
    pub submitted_at: DateTime<Utc>,
}

/// What a reviewer sees of a candidate's defense.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefenseSheet {
    pub schedule: Option<Schedule>,
    pub scale: u32,
    pub pass_mark: u32,
    pub own: Option<DefenseScoreView>,
    /// `None` while the others' scores are hidden from this reviewer.
    pub others: Option<Vec<DefenseScoreView>>,
    pub result: Option<DefenseResult>,
    /// A score can be submitted now (the defense day has come, the review is open).
    pub may_score: bool,
}

/// A candidate's defense, for the secretariat and the chair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefenseProgress {
    pub schedule: Option<Schedule>,
    pub result: Option<DefenseResult>,
    /// The schedule can still be set or moved (expert review, no score in yet).
    pub movable: bool,
    /// The last day a defense may be held (the scoring period's end).
    pub latest: chrono::NaiveDate,
}

#[server(endpoint = "schedule_defense")]
pub async fn schedule_defense(
    id: i64,
    #[server(default)] starts_at: String,
    #[server(default)] place: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::RunAnyReviews)?;
            let may =
                |committee: i64| access::allows(&caller.grants, Action::RunReviews { committee });
            crate::server::review::defense::schedule(
                ctx.db(),
                &caller.actor(),
                may,
                id,
                &starts_at,
                &place,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "submit_defense_score")]
pub async fn submit_defense_score(
    id: i64,
    #[server(default)] score: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ReviewAsExpert)?;
            crate::server::review::defense::score(
                ctx.db(),
                &caller.actor(),
                caller.user_id,
                id,
                &score,
                &comment,
                ctx.now,
            )
            .await
        }
        .await,
    )
}
