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
    /// How the ballot is counted: encrypted, paper, or counter (certified before the
    /// encrypted ballot).
    pub method: String,
    /// Shown once counted (the chair's certification decrypts the sums).
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
    /// The secretariat or the chair (who presides) may open the meeting.
    pub can_open: bool,
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
    /// The meeting key's fingerprint (members compare it with their vote page's).
    pub key_fingerprint: Option<String>,
    /// Why the meeting's ballot was voided, if it was.
    pub voided: Option<String>,
    /// Every candidate counted (or voided): the bulletin board is open.
    pub closed: bool,
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
    /// What the page's script needs to encrypt this member's ballot: the meeting, the key (hex)
    /// and the member's tag. No key while the ballot is on paper or cannot be used.
    pub meeting_id: i64,
    pub public_key: Option<String>,
    pub key_fingerprint: Option<String>,
    pub voter_tag: String,
    /// The candidate is counted on paper.
    pub on_paper: bool,
}

/// A closed meeting whose board the caller may open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardLink {
    pub meeting_id: i64,
    pub session_code: String,
    pub held_on: NaiveDate,
}

/// A meeting's bulletin board as a page shows it: each candidate's check from the board
/// alone, and the receipts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardView {
    pub meeting_id: i64,
    pub session_code: String,
    pub held_on: NaiveDate,
    pub key_fingerprint: String,
    pub candidates: Vec<BoardCandidate>,
    /// Every proof and count rechecked from the board alone.
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardCandidate {
    pub application_id: i64,
    pub candidate: String,
    pub method: String,
    pub attending: u32,
    pub ballots: u32,
    pub tally: Option<Tally>,
    pub digest: Option<String>,
    pub receipts: Vec<String>,
    /// What the recheck found (English, technical; empty when everything holds).
    pub problems: Vec<String>,
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

/// The secretariat or the chair opens the session's meeting with the members present: one checkbox per
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
            let caller = ctx.require(Action::OpenAnyMeeting)?;
            let may =
                |committee: i64| access::allows(&caller.grants, Action::OpenMeeting { committee });
            let present = present
                .keys()
                .map(|k| k.parse::<i64>())
                .collect::<Result<Vec<i64>, _>>()
                .map_err(|_| AppError::invalid("present", crate::i18n::Key::ErrChoose))?;
            crate::server::review::meeting::open(
                ctx.db(),
                &ctx.state.keys,
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
            crate::server::review::meeting_views::paper(ctx.db(), &ctx.state.keys, caller.user_id)
                .await
        }
        .await,
    )
}

/// A member's encrypted ballot on a candidate (`ballot`: what the vote page's script made;
/// the choice itself is never sent). Answers the ballot's receipt.
#[server(endpoint = "cast_vote")]
pub async fn cast_vote(id: i64, #[server(default)] ballot: String) -> Result<String, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::VoteInMeetings)?;
            crate::server::review::meeting::vote(
                ctx.db(),
                &ctx.state.keys,
                &caller.actor(),
                caller.user_id,
                &caller.grants,
                id,
                &ballot,
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
            crate::server::review::meeting::certify(
                ctx.db(),
                &ctx.state.keys,
                &caller.actor(),
                may,
                id,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

/// The secretariat records the count of a candidate's paper ballots (their members could not
/// vote online): only before any online ballot, every attending member counted.
#[server(endpoint = "record_paper_ballot")]
pub async fn record_paper_ballot(
    id: i64,
    yes: String,
    no: String,
    abstain: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    use crate::i18n::Key;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::RunAnyReviews)?;
            let may =
                |committee: i64| access::allows(&caller.grants, Action::RunReviews { committee });
            let mut bad = Vec::new();
            let mut num = |field: &str, v: &str| {
                v.trim().parse::<u32>().unwrap_or_else(|_| {
                    bad.push(super::FieldError::new(field, Key::ErrNumber));
                    0
                })
            };
            let counts = ladder_ballot::Counts {
                yes: num("yes", &yes),
                no: num("no", &no),
                abstain: num("abstain", &abstain),
            };
            if !bad.is_empty() {
                return Err(AppError::Validation(bad));
            }
            crate::server::review::ballot::record_paper(
                ctx.db(),
                &caller.actor(),
                may,
                id,
                counts,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

/// The secretariat voids the session's open ballot (its key lost): the candidates still being
/// voted on wait for a new meeting.
#[server(endpoint = "void_ballot")]
pub async fn void_ballot(session_id: i64, reason: String) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::RunAnyReviews)?;
            let may =
                |committee: i64| access::allows(&caller.grants, Action::RunReviews { committee });
            crate::server::review::ballot::void(
                ctx.db(),
                &caller.actor(),
                may,
                session_id,
                &reason,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

/// A meeting's bulletin board, rechecked from the board alone.
#[server(endpoint = "ballot_board")]
pub async fn ballot_board(meeting_id: i64) -> Result<BoardView, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewAnyBallotBoards)?;
            crate::server::review::meeting_views::board(
                ctx.db(),
                &caller.grants,
                caller.user_id,
                meeting_id,
            )
            .await
        }
        .await,
    )
}

/// Whether a receipt is on a meeting's board (a member checks their own).
#[server(endpoint = "find_receipt")]
pub async fn find_receipt(meeting_id: i64, receipt: String) -> Result<bool, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewAnyBallotBoards)?;
            crate::server::review::meeting_views::find_receipt(
                ctx.db(),
                &caller.grants,
                caller.user_id,
                meeting_id,
                &receipt,
            )
            .await
        }
        .await,
    )
}

/// The closed meetings whose bulletin boards the caller may open (members: those they sat
/// on; the secretariat and chair: their committee's; auditors: all).
#[server(endpoint = "my_ballot_boards")]
pub async fn my_ballot_boards() -> Result<Vec<BoardLink>, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewAnyBallotBoards)?;
            crate::server::review::meeting_views::boards(ctx.db(), &caller.grants, caller.user_id)
                .await
        }
        .await,
    )
}
