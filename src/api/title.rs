//! The senior-title review's first half: review sessions, applications with frozen dossiers,
//! the unit's approval and notice, and the secretariat's formal check.
// A form's fields arrive as the server function's arguments.
#![allow(clippy::too_many_arguments)]

use super::AppError;
use crate::domain::review::dossier::Dossier;
use crate::domain::review::procedure::State;
use crate::domain::review::rules::ReviewRules;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: i64,
    pub committee_id: i64,
    pub committee: String,
    pub code: String,
    pub name: String,
    pub applies_from: NaiveDate,
    pub applies_to: NaiveDate,
    pub scoring_from: NaiveDate,
    pub scoring_to: NaiveDate,
    pub meeting_on: NaiveDate,
    pub rules: ReviewRules,
    /// Applications submitted at least once.
    pub applications: i64,
    pub window_open: bool,
}

/// One step of an application's history, as anyone allowed to see the application sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub event: String,
    pub to: State,
    /// candidate, unit, secretariat, chair, clock, authority: a role, never a name.
    pub actor: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: i64,
    pub session_id: i64,
    pub session_code: String,
    pub person_name: String,
    pub unit_name: Option<String>,
    pub state: State,
    pub dossier_version: i32,
    /// Why the automatic check finds the candidate ineligible, in words (empty: eligible).
    pub ineligible: Vec<String>,
    pub exception_request: String,
    pub exception_reason: Option<String>,
    /// The running notice: its first day and its last working day.
    pub notice_from: Option<NaiveDate>,
    pub notice_ends: Option<NaiveDate>,
    /// The notice's count reached this year, whose working-day calendar is not stored: its
    /// end is unknown and the clock has stopped until the year is imported.
    pub calendar_missing: Option<i32>,
    pub supplement_request: Option<String>,
    pub supplement_due: Option<NaiveDate>,
    /// Not passed or not accepted, not yet appealed: the last day of the appeal period.
    pub appeal_until: Option<NaiveDate>,
    /// Certified: the certificate's number.
    pub certificate: Option<String>,
    /// When and where the candidate defends, once the secretariat has set it.
    pub defense: Option<crate::api::defense::Schedule>,
    pub events: Vec<EventView>,
}

/// The candidate's page: sessions open for applications (with what the check says of them
/// today) and their own applications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyApplications {
    pub open: Vec<(SessionView, Vec<String>)>,
    pub applications: Vec<ApplicationView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionsHome {
    pub sessions: Vec<SessionView>,
    /// Committees whose sessions the caller opens (id, name).
    pub committees: Vec<(i64, String)>,
    pub defaults: ReviewRules,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub session: SessionView,
    /// The caller runs this session (the secretariat), or only reads it (the chair).
    pub can_run: bool,
    /// Where the application window and the scoring period stand today, and whether the
    /// meeting's date has come.
    pub phases: Phases,
    /// Every change of the session's dates, oldest first.
    pub schedule_changes: Vec<ScheduleChangeView>,
    /// Years whose working-day calendar a running notice of the session needs.
    pub calendar_missing: Vec<i32>,
    pub counts: Vec<(State, usize)>,
    pub overview: SessionOverview,
    pub applications: Vec<ApplicationView>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phases {
    pub applications: crate::domain::review::schedule::Period,
    pub scoring: crate::domain::review::schedule::Period,
    pub meeting_due: bool,
}

/// One change of a session's schedule: who, when (China time), each date moved, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleChangeView {
    pub by: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// (form field, before, after) of each date that moved.
    pub moved: Vec<(String, NaiveDate, NaiveDate)>,
    pub reason: String,
}

/// The secretariat's dashboard line for a session: how the work stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SessionOverview {
    /// Submitted applications (a dossier frozen at least once).
    pub applications: u32,
    /// Score sheets in, of those expected from the assigned reviewers, over the candidates
    /// still in the expert review.
    pub sheets_in: u32,
    pub sheets_expected: u32,
    /// Conflicts of interest on record (found and declared), and the reviewers they concern.
    pub conflicts: u32,
    pub conflicted_reviewers: u32,
    /// Objections to results on notice not yet resolved.
    pub open_objections: u32,
    /// Appeals waiting for the secretariat.
    pub appeals: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierView {
    pub application: ApplicationView,
    pub session: SessionView,
    pub dossier: Dossier,
    pub version: i32,
    pub sha256: String,
    pub frozen_at: DateTime<Utc>,
}

#[server(endpoint = "title_home")]
pub async fn title_home() -> Result<MyApplications, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ApplyForTitle)?;
            crate::server::review::views::title_home(
                ctx.db(),
                caller.person_id,
                ctx.lang(),
                ctx.now,
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "apply_for_title")]
pub async fn apply_for_title(
    session_id: i64,
    #[server(default)] exception_request: String,
) -> Result<i64, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ApplyForTitle)?;
            crate::server::review::applications::apply(
                ctx.db(),
                &caller.actor(),
                caller.person_id,
                session_id,
                &exception_request,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

/// The candidate's own steps: `supplement` or `withdraw`.
#[server(endpoint = "candidate_step")]
pub async fn candidate_step(id: i64, step: String) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::server::review::applications as apps;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ApplyForTitle)?;
            let (db, who, me) = (ctx.db(), caller.actor(), caller.person_id);
            match step.as_str() {
                "supplement" => apps::supplement(db, &who, me, id, ctx.now).await,
                "withdraw" => apps::withdraw(db, &who, me, id, ctx.now).await,
                _ => Err(AppError::invalid("step", crate::i18n::Key::ErrChoose)),
            }
        }
        .await,
    )
}

/// A unit reviewer's queue, with today's date (the default first day of a notice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitQueue {
    pub today: NaiveDate,
    pub applications: Vec<ApplicationView>,
}

#[server(endpoint = "unit_applications")]
pub async fn unit_applications() -> Result<UnitQueue, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::RecommendForAnyUnit)?;
            let units = crate::server::review::views::units_of(&caller.grants);
            Ok(UnitQueue {
                today: crate::server::clock::china_date(ctx.now),
                applications: crate::server::review::views::unit_queue(
                    ctx.db(),
                    &units,
                    ctx.lang(),
                )
                .await?,
            })
        }
        .await,
    )
}

/// A unit's decision: `approve` (with `notice_from`), `return`, `objection`, `uphold`,
/// `dismiss` (the last four with a reason).
#[server(endpoint = "unit_decide")]
pub async fn unit_decide(
    id: i64,
    decision: String,
    #[server(default)] reason: String,
    #[server(default)] notice_from: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    use crate::server::review::applications::{UnitDecision, unit_decide};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::RecommendForAnyUnit)?;
            let decision = UnitDecision::parse(&decision)
                .ok_or_else(|| AppError::invalid("decision", crate::i18n::Key::ErrChoose))?;
            let may = |unit: i64| access::allows(&caller.grants, Action::RecommendForUnit { unit });
            unit_decide(
                ctx.db(),
                &caller.actor(),
                may,
                id,
                decision,
                &reason,
                &notice_from,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "review_sessions")]
pub async fn review_sessions() -> Result<SessionsHome, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewAnyReviews)?;
            crate::server::review::views::sessions_home(ctx.db(), &caller.grants, ctx.now).await
        }
        .await,
    )
}

#[server(endpoint = "create_review_session")]
pub async fn create_review_session(
    committee_id: i64,
    code: String,
    name: String,
    applies_from: String,
    applies_to: String,
    scoring_from: String,
    scoring_to: String,
    meeting_on: String,
    unit_notice_days: String,
    result_notice_days: String,
    min_reviewers: String,
    conflict_years: String,
    supplement_days: String,
    #[server(default)] defense: Option<String>,
) -> Result<i64, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::server::review::sessions::{SessionInput, create};
    respond(
        async {
            let ctx = context().await?;
            ctx.require(Action::RunAnyReviews)?;
            let caller = ctx.require(Action::RunReviews {
                committee: committee_id,
            })?;
            let input = SessionInput {
                committee_id,
                code,
                name,
                applies_from,
                applies_to,
                scoring_from,
                scoring_to,
                meeting_on,
                unit_notice_days,
                result_notice_days,
                min_reviewers,
                conflict_years,
                supplement_days,
                defense: defense.is_some(),
            };
            create(ctx.db(), &caller.actor(), &input, ctx.now).await
        }
        .await,
    )
}

/// The secretariat moves a session's dates, with a reason (kept, audited, shown to the chair).
#[server(endpoint = "reschedule_session")]
pub async fn reschedule_session(
    session_id: i64,
    applies_from: String,
    applies_to: String,
    scoring_from: String,
    scoring_to: String,
    meeting_on: String,
    reason: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    use crate::server::review::sessions::{ScheduleInput, reschedule};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::RunAnyReviews)?;
            let may =
                |committee: i64| access::allows(&caller.grants, Action::RunReviews { committee });
            let input = ScheduleInput {
                applies_from,
                applies_to,
                scoring_from,
                scoring_to,
                meeting_on,
                reason,
            };
            reschedule(ctx.db(), &caller.actor(), may, session_id, &input, ctx.now).await
        }
        .await,
    )
}

#[server(endpoint = "review_session")]
pub async fn review_session(id: i64) -> Result<SessionDetail, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewAnyReviews)?;
            crate::server::review::views::session_detail(
                ctx.db(),
                &caller.grants,
                id,
                ctx.lang(),
                ctx.now,
            )
            .await
        }
        .await,
    )
}

/// The secretariat's formal check: `receive`, `accept` (a reason when it is an exception),
/// `reject` and `supplement` (with a reason).
#[server(endpoint = "formal_decide")]
pub async fn formal_decide(
    id: i64,
    decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    use crate::server::review::applications::{FormalDecision, formal_decide};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::RunAnyReviews)?;
            let decision = FormalDecision::parse(&decision)
                .ok_or_else(|| AppError::invalid("decision", crate::i18n::Key::ErrChoose))?;
            let may =
                |committee: i64| access::allows(&caller.grants, Action::RunReviews { committee });
            formal_decide(
                ctx.db(),
                &caller.actor(),
                may,
                id,
                decision,
                &reason,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

/// An application's frozen dossier, for the candidate, their unit, the committee's
/// secretariat and chair, and its reviewers once the recusals are locked (never a conflicted
/// one).
#[server(endpoint = "application_dossier")]
pub async fn application_dossier(id: i64) -> Result<DossierView, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::UseOwnAccount)?;
            crate::server::review::views::dossier(
                ctx.db(),
                (caller.person_id, caller.user_id),
                &caller.grants,
                id,
                ctx.lang(),
                ctx.now,
            )
            .await
        }
        .await,
    )
}
