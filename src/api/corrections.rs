//! Identity corrections: a base's clerk asks, from an import preview, the person or the system
//! admins to correct identity data the base may not change; the person answers their own
//! requests, a system admin answers any and corrects the identity.

// The identity form has eight fields, each a server-function argument (also on the generated
// browser-side function, which an item-level allow does not reach).
#![allow(clippy::too_many_arguments)]

use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One difference a request names, masked, with its field's label in the caller's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DifferenceView {
    pub field: String,
    pub stored: String,
    pub file: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: i64,
    pub person_id: i64,
    /// Name and masked ID number.
    pub person: String,
    pub base: String,
    /// `person` or `admin`.
    pub to: String,
    pub differences: Vec<DifferenceView>,
    pub note: String,
    pub requested_by: String,
    /// China time, `YYYY-MM-DD HH:MM`.
    pub requested_at: chrono::DateTime<chrono::Utc>,
    /// `open`, `corrected` or `dismissed`.
    pub state: String,
    pub answer: String,
}

/// The caller's requests, and for a system admin every request with the identity each person
/// has now (phones masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionsView {
    pub mine: Vec<RequestView>,
    pub admin: Option<Vec<(RequestView, IdentityView)>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IdentityView {
    pub name: String,
    pub gender: String,
    /// Masked: the admin types a new one or leaves it as it is.
    pub phone: String,
    pub email: String,
    pub employer: String,
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::db::corrections::{Identity, RequestRow};
    use crate::i18n::Lang;
    use crate::import::roster::codes::Kept;

    pub fn request_view(r: &RequestRow, lang: Lang) -> RequestView {
        let differences: Vec<Kept> = serde_json::from_str(&r.differences).unwrap_or_default();
        let id = r
            .id_number
            .as_deref()
            .and_then(|n| crate::domain::id_number::IdNumber::parse(n).ok())
            .map(|n| n.masked())
            .unwrap_or_default();
        RequestView {
            id: r.id,
            person_id: r.person_id,
            person: format!("{} {id}", r.person_name).trim().to_string(),
            base: r.base_name.clone(),
            to: r.addressed_to.clone(),
            differences: differences
                .into_iter()
                .map(|k| DifferenceView {
                    field: k.field.label(lang).to_string(),
                    stored: k.stored,
                    file: k.file,
                })
                .collect(),
            note: r.note.clone(),
            requested_by: r.requested_by.clone(),
            requested_at: r.requested_at,
            state: r.state.clone(),
            answer: r.answer.clone().unwrap_or_default(),
        }
    }

    pub fn identity_view(i: &Identity) -> IdentityView {
        IdentityView {
            name: i.name.clone(),
            gender: i.gender.clone().unwrap_or_default(),
            phone: i
                .phone
                .as_deref()
                .map(crate::domain::privacy::mask_phone)
                .unwrap_or_default(),
            email: i.email.clone().unwrap_or_default(),
            employer: i.employer.clone().unwrap_or_default(),
        }
    }
}

/// From an import's preview: ask `to` (`person` or `admin`) to correct the identity row `row`
/// keeps as it is.
#[server(endpoint = "request_correction")]
pub async fn request_correction(
    import_id: i64,
    row: u32,
    to: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    respond(
        async {
            let ctx = context().await?;
            let (caller, import) = crate::server::import_web::readable(&ctx, import_id).await?;
            crate::server::corrections::request(
                ctx.db(),
                &caller.actor(),
                caller.user_id,
                &import,
                row,
                &to,
                &note,
                &ctx.state.settings.import,
                ctx.now,
            )
            .await
            .map(|_| ())
        }
        .await,
    )
}

/// The caller's correction requests; every request for a system admin.
#[server(endpoint = "correction_requests")]
pub async fn correction_requests() -> Result<CorrectionsView, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::UseOwnAccount)?;
            let lang = ctx.lang();
            let mine = crate::db::corrections::of_person(ctx.db(), caller.person_id)
                .await?
                .iter()
                .map(|r| ssr::request_view(r, lang))
                .collect();
            let admin = if access::allows(&caller.grants, Action::ManageUsers) {
                let all = crate::db::corrections::all(ctx.db(), 200).await?;
                Some(
                    all.iter()
                        .map(|r| (ssr::request_view(r, lang), ssr::identity_view(&r.now)))
                        .collect(),
                )
            } else {
                None
            };
            Ok(CorrectionsView { mine, admin })
        }
        .await,
    )
}

/// Closes a request: `corrected` or `dismissed` (with a reason). The person closes their own;
/// a system admin any.
#[server(endpoint = "close_correction")]
pub async fn close_correction(
    id: i64,
    decision: String,
    #[server(default)] answer: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::UseOwnAccount)?;
            let admin = access::allows(&caller.grants, Action::ManageUsers);
            let by = crate::server::corrections::Answerer {
                user: caller.user_id,
                person: caller.person_id,
                admin,
            };
            crate::server::corrections::close(
                ctx.db(),
                &caller.actor(),
                by,
                id,
                &decision,
                &answer,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

/// A system admin corrects a person's identity (a phone or e-mail left empty stays as it
/// is); with `request_id`, the request is closed as corrected in the same step.
#[server(endpoint = "correct_identity")]
pub async fn correct_identity(
    person_id: i64,
    name: String,
    #[server(default)] gender: String,
    #[server(default)] phone: String,
    #[server(default)] email: String,
    #[server(default)] employer: String,
    reason: String,
    #[server(default)] request_id: i64,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::server::corrections::{self, IdentityInput};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ManageUsers)?;
            let input = IdentityInput {
                name,
                gender,
                phone,
                email,
                employer,
                reason,
            };
            let request = (request_id > 0).then_some((request_id, caller.user_id));
            corrections::correct(
                ctx.db(),
                &caller.actor(),
                person_id,
                &input,
                request,
                ctx.now,
            )
            .await
        }
        .await,
    )
}
