//! After the ballot: the result's public notice (a page anyone can open, with objections filed
//! there), the secretariat's resolution of objections and appeals, the human-resources
//! authority's confirmation with its certificate numbers, and their public lookup.
// A form's fields arrive as the server function's arguments.
#![allow(clippy::too_many_arguments)]

use super::AppError;
use crate::domain::review::procedure::State;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A candidate on a result notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeItem {
    pub application_id: i64,
    pub name: String,
    pub unit: String,
    pub notice_from: Option<NaiveDate>,
    pub notice_ends: Option<NaiveDate>,
    /// An objection is being examined: the notice is suspended.
    pub under_review: bool,
}

/// A session's results on notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeGroup {
    pub session_id: i64,
    pub session_code: String,
    pub session_name: String,
    pub committee: String,
    pub notice_days: u32,
    pub items: Vec<NoticeItem>,
}

/// A certificate as the public lookup shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateView {
    pub number: String,
    pub name: String,
    pub unit: String,
    pub committee: String,
    pub session_code: String,
    pub issued_on: NaiveDate,
    /// False once the result was revoked (misconduct found after certification).
    pub valid: bool,
}

/// An objection as the secretariat sees it: the contact masked until revealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionView {
    pub id: i64,
    pub application_id: i64,
    pub candidate: String,
    pub name: String,
    pub contact: String,
    pub body: String,
    pub filed_at: DateTime<Utc>,
    /// upheld, dismissed, superseded; none while open.
    pub outcome: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealView {
    pub application_id: i64,
    pub candidate: String,
    /// Against a failed ballot (else against not being accepted).
    pub against_not_passed: bool,
    pub reason: String,
}

/// The session page's section after the ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeSection {
    pub session_id: i64,
    pub can_run: bool,
    /// Today in China: the publish form's default start.
    pub today: NaiveDate,
    pub notice_days: u32,
    /// Passed candidates not yet published.
    pub to_publish: Vec<String>,
    pub on_notice: Vec<NoticeItem>,
    pub objections: Vec<ObjectionView>,
    pub appeals: Vec<AppealView>,
    /// Candidates past the notice or not passed: name, state, certificate number.
    pub decided: Vec<(String, State, Option<String>)>,
}

/// A result on the human-resources authority's desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmItem {
    pub application_id: i64,
    pub candidate: String,
    pub unit: String,
    pub session_code: String,
    pub session_name: String,
    pub yes: i32,
    pub attending: i32,
    pub objections: u32,
    pub certificate: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmPage {
    pub waiting: Vec<ConfirmItem>,
    pub certified: Vec<ConfirmItem>,
}

/// Results on public notice. No sign-in needed.
#[server(endpoint = "public_notices")]
pub async fn public_notices() -> Result<Vec<NoticeGroup>, AppError> {
    use super::ssr::{context, respond};
    respond(
        async {
            let ctx = context().await?;
            crate::server::review::notice::public_notices(ctx.db()).await
        }
        .await,
    )
}

/// Anyone objects to a result on notice, with a name and a way to be reached.
#[server(endpoint = "file_objection")]
pub async fn file_objection(
    application_id: i64,
    name: String,
    contact: String,
    body: String,
) -> Result<i64, AppError> {
    use super::ssr::{context, respond};
    use crate::server::review::notice::{self, ObjectionForm};
    respond(
        async {
            let ctx = context().await?;
            let form = ObjectionForm {
                application: application_id,
                name: &name,
                contact: &contact,
                body: &body,
            };
            notice::file_objection(ctx.db(), &ctx.address(), &form, ctx.now).await
        }
        .await,
    )
}

/// Anyone looks a certificate number up; `None` when no certificate has that number.
#[server(endpoint = "verify_certificate")]
pub async fn verify_certificate(number: String) -> Result<Option<CertificateView>, AppError> {
    use super::ssr::{context, respond};
    respond(
        async {
            let ctx = context().await?;
            crate::server::review::certificates::verify_certificate(ctx.db(), &number).await
        }
        .await,
    )
}

#[server(endpoint = "session_notice")]
pub async fn session_notice(session_id: i64) -> Result<NoticeSection, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewAnyReviews)?;
            crate::server::review::notice::section(ctx.db(), &caller.grants, session_id, ctx.now)
                .await
        }
        .await,
    )
}

/// The secretariat publishes the session's passed candidates from `notice_from`.
#[server(endpoint = "publish_results")]
pub async fn publish_results(session_id: i64, notice_from: String) -> Result<u32, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::RunAnyReviews)?;
            let may =
                |committee: i64| access::allows(&caller.grants, Action::RunReviews { committee });
            crate::server::review::notice::publish(
                ctx.db(),
                &caller.actor(),
                may,
                session_id,
                &notice_from,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

/// The secretariat resolves an objection: `decision` is `uphold` or `dismiss`, with a reason.
#[server(endpoint = "resolve_objection")]
pub async fn resolve_objection(id: i64, decision: String, reason: String) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    use crate::server::review::notice::{self, Resolution};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::RunAnyReviews)?;
            let may =
                |committee: i64| access::allows(&caller.grants, Action::RunReviews { committee });
            let resolution = Resolution::parse(&decision)
                .ok_or_else(|| AppError::invalid("decision", crate::i18n::Key::ErrChoose))?;
            notice::resolve_objection(
                ctx.db(),
                &caller.actor(),
                caller.user_id,
                may,
                id,
                resolution,
                &reason,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

/// The objector's contact in full (audited).
#[server(endpoint = "reveal_objection_contact")]
pub async fn reveal_objection_contact(id: i64) -> Result<String, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::RunAnyReviews)?;
            let may =
                |committee: i64| access::allows(&caller.grants, Action::RunReviews { committee });
            crate::server::review::notice::reveal_contact(
                ctx.db(),
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

/// The candidate appeals their application's decision, with a reason.
#[server(endpoint = "appeal_decision")]
pub async fn appeal_decision(id: i64, reason: String) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ApplyForTitle)?;
            crate::server::review::appeals::appeal(
                ctx.db(),
                &caller.actor(),
                caller.person_id,
                id,
                &reason,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

/// The secretariat decides an appeal: `decision` is `uphold` or `dismiss`, with a reason.
#[server(endpoint = "decide_appeal")]
pub async fn decide_appeal(id: i64, decision: String, reason: String) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::RunAnyReviews)?;
            let may =
                |committee: i64| access::allows(&caller.grants, Action::RunReviews { committee });
            let uphold = match decision.as_str() {
                "uphold" => true,
                "dismiss" => false,
                _ => return Err(AppError::invalid("decision", crate::i18n::Key::ErrChoose)),
            };
            crate::server::review::appeals::decide_appeal(
                ctx.db(),
                &caller.actor(),
                may,
                id,
                uphold,
                &reason,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "confirm_queue")]
pub async fn confirm_queue() -> Result<ConfirmPage, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            ctx.require(Action::ConfirmResults)?;
            crate::server::review::certificates::confirm_page(ctx.db()).await
        }
        .await,
    )
}

/// The human-resources authority confirms a result; answers the certificate number.
#[server(endpoint = "confirm_result")]
pub async fn confirm_result(id: i64) -> Result<String, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ConfirmResults)?;
            crate::server::review::certificates::confirm(
                ctx.db(),
                &caller.actor(),
                caller.user_id,
                id,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

/// Revokes an application for misconduct, with the reason: the human-resources authority for
/// any application, the secretariat for its committee's.
#[server(endpoint = "revoke_for_misconduct")]
pub async fn revoke_for_misconduct(
    id: i64,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    use crate::domain::review::procedure::Actor;
    use crate::server::review::revocation::revoke;
    respond(
        async {
            let ctx = context().await?;
            if let Ok(caller) = ctx.require(Action::ConfirmResults) {
                let who = caller.actor();
                return revoke(
                    ctx.db(),
                    &who,
                    Actor::Authority,
                    |_| true,
                    id,
                    &reason,
                    ctx.now,
                )
                .await;
            }
            let caller = ctx.require(Action::RunAnyReviews)?;
            let may =
                |committee: i64| access::allows(&caller.grants, Action::RunReviews { committee });
            revoke(
                ctx.db(),
                &caller.actor(),
                Actor::Secretariat,
                may,
                id,
                &reason,
                ctx.now,
            )
            .await
        }
        .await,
    )
}
