//! The committee's meeting and its secret ballot: the secretariat records attendance and
//! opens the meeting, members vote on their own device, the chair certifies each result. No
//! answer ever says how a member voted; a tally is shown only once every attending member has
//! voted on that candidate.

use super::AppError;
use crate::domain::review::ballot::{Tally, Verdict};
use crate::domain::review::defense::DefenseResult;
use crate::domain::review::meeting::Composition;
use crate::domain::review::procedure::State;
use crate::domain::review::scoring::Aggregate;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A committee member as the meeting page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatView {
    pub user_id: i64,
    pub name: String,
    /// chair or reviewer.
    pub role: String,
    pub term_from: Option<NaiveDate>,
    pub term_to: Option<NaiveDate>,
    /// The term covers the meeting day: the member sits (and counts).
    pub sits: bool,
    /// Present at the meeting (once it is open).
    pub present: bool,
}

/// One candidate's ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotView {
    pub application_id: i64,
    pub candidate: String,
    pub state: State,
    pub attending: u32,
    pub voted: u32,
    /// Present members recused from the candidate (names: the committee's own page).
    pub recused: Vec<String>,
    pub aggregate: Option<Aggregate>,
    pub defense: Option<DefenseResult>,
    /// Shown once every attending member has voted.
    pub tally: Option<Tally>,
    pub verdict: Option<Verdict>,
    pub digest: Option<String>,
}

/// A session's meeting for the secretariat and the chair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingView {
    pub session_id: i64,
    pub meeting_on: NaiveDate,
    pub can_run: bool,
    pub can_certify: bool,
    pub seats: Vec<SeatView>,
    pub problems: Vec<Composition>,
    /// Applications awaiting the vote.
    pub waiting: Vec<String>,
    pub meeting: Option<HeldView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldView {
    pub id: i64,
    pub held_on: NaiveDate,
    pub members: u32,
    pub present: u32,
    pub ballots: Vec<BallotView>,
}

/// A candidate on a member's ballot paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperItem {
    pub application_id: i64,
    pub candidate: String,
    pub session_code: String,
    pub aggregate: Option<Aggregate>,
    pub defense: Option<DefenseResult>,
    pub voted: bool,
    pub recused: bool,
    pub state: State,
}

#[server(endpoint = "session_meeting")]
pub async fn session_meeting(session_id: i64) -> Result<MeetingView, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewAnyReviews)?;
            crate::server::review::meeting_views::meeting(
                ctx.db(),
                &caller.grants,
                session_id,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

/// The secretariat opens the session's meeting with the members present: one checkbox per
/// member, `present[{user id}]`.
#[server(endpoint = "open_meeting")]
pub async fn open_meeting(
    session_id: i64,
    #[server(default)] present: std::collections::BTreeMap<String, String>,
) -> Result<i64, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::RunAnyReviews)?;
            let may =
                |committee: i64| access::allows(&caller.grants, Action::RunReviews { committee });
            let present = present
                .keys()
                .map(|k| k.parse::<i64>())
                .collect::<Result<Vec<i64>, _>>()
                .map_err(|_| AppError::invalid("present", crate::i18n::Key::ErrChoose))?;
            crate::server::review::meeting::open(
                ctx.db(),
                &caller.actor(),
                may,
                session_id,
                &present,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "my_ballot")]
pub async fn my_ballot() -> Result<Vec<PaperItem>, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::VoteInMeetings)?;
            crate::server::review::meeting_views::paper(ctx.db(), caller.user_id).await
        }
        .await,
    )
}

#[server(endpoint = "cast_vote")]
pub async fn cast_vote(id: i64, choice: String) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::VoteInMeetings)?;
            crate::server::review::meeting::vote(
                ctx.db(),
                &caller.actor(),
                caller.user_id,
                &caller.grants,
                id,
                &choice,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "certify_result")]
pub async fn certify_result(id: i64) -> Result<Verdict, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ChairAnyReviews)?;
            let may =
                |committee: i64| access::allows(&caller.grants, Action::ChairReviews { committee });
            crate::server::review::meeting::certify(ctx.db(), &caller.actor(), may, id, ctx.now)
                .await
        }
        .await,
    )
}
