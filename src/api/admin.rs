//! User administration (system admin only): accounts, roles, passwords, deactivation, and the
//! audited unmasking of an ID number.

use super::AppError;
use crate::domain::role::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantView {
    pub id: i64,
    pub role: Role,
    pub scope: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub email: Option<String>,
    pub active: bool,
    pub must_change_password: bool,
    /// Masked, e.g. `310104********1234`.
    pub id_number: Option<String>,
    /// Masked, e.g. `139****5678`.
    pub phone: Option<String>,
    pub unit: Option<String>,
    pub roles: Vec<GrantView>,
}

/// Scopes to choose from when granting a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ScopeChoices {
    pub bases: Vec<(i64, String)>,
    pub units: Vec<(i64, String)>,
    pub committees: Vec<(i64, String)>,
}

#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserView>, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            ctx.require(Action::ManageUsers)?;
            ssr::list(&ctx).await
        }
        .await,
    )
}

#[server(endpoint = "scope_options")]
pub async fn scope_options() -> Result<ScopeChoices, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            ctx.require(Action::ManageUsers)?;
            ssr::scope_options(&ctx).await
        }
        .await,
    )
}

/// Creates an account; returns the generated initial password, shown once.
#[server(endpoint = "create_user")]
pub async fn create_user(
    username: String,
    name: String,
    email: String,
    id_number: String,
) -> Result<String, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::server::{accounts, password};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ManageUsers)?;
            let initial = password::generate();
            let new = accounts::NewAccount {
                username: username.trim().to_string(),
                name,
                email: Some(email.trim().to_string()).filter(|e| !e.is_empty()),
                id_number: Some(id_number).filter(|i| !i.trim().is_empty()),
                password: initial.clone(),
                must_change_password: true,
                grants: Vec::new(),
            };
            accounts::create_user(ctx.db(), &caller.actor(), &new, ctx.now).await?;
            Ok(initial)
        }
        .await,
    )
}

#[server(endpoint = "grant_role")]
pub async fn grant_role(user_id: i64, role: String, scope_id: String) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::domain::role::{Grant, Scope, ScopeKind};
    use crate::i18n::Key;
    use crate::server::accounts;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ManageUsers)?;
            let role =
                Role::parse(&role).map_err(|_| AppError::invalid("role", Key::ErrRequired))?;
            let scope_id = match scope_id.trim() {
                "" => None,
                s => Some(
                    s.parse::<i64>()
                        .map_err(|_| AppError::invalid("scope_id", Key::ErrScopeRequired))?,
                ),
            };
            let scope = match (role.scope_kind(), scope_id) {
                (ScopeKind::Global, _) => Scope::Global,
                (_, None) => return Err(AppError::invalid("scope_id", Key::ErrScopeRequired)),
                (ScopeKind::Base, Some(id)) => Scope::Base(id),
                (ScopeKind::Unit, Some(id)) => Scope::Unit(id),
                (ScopeKind::Committee, Some(id)) => Scope::Committee(id),
            };
            let grant = Grant::new(role, scope)
                .map_err(|_| AppError::invalid("scope_id", Key::ErrScopeRequired))?;
            accounts::grant_role(ctx.db(), &caller.actor(), user_id, grant, ctx.now).await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "revoke_role")]
pub async fn revoke_role(grant_id: i64) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::server::accounts;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ManageUsers)?;
            accounts::revoke_role(ctx.db(), &caller.actor(), grant_id, ctx.now).await
        }
        .await,
    )
}

/// Sets a random password, returned once; the user must change it at next sign-in.
#[server(endpoint = "reset_password")]
pub async fn reset_password(user_id: i64) -> Result<String, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::server::{accounts, password};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ManageUsers)?;
            let new = password::generate();
            accounts::reset_password(ctx.db(), &caller.actor(), user_id, &new, ctx.now).await?;
            Ok(new)
        }
        .await,
    )
}

#[server(endpoint = "set_user_active")]
pub async fn set_user_active(user_id: i64, active: bool) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::i18n::Key;
    use crate::server::accounts;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ManageUsers)?;
            if caller.user_id == user_id && !active {
                // Locking oneself out leaves nobody to undo it.
                return Err(AppError::invalid("active", Key::ErrCannotDeactivateSelf));
            }
            accounts::set_active(ctx.db(), &caller.actor(), user_id, active, ctx.now).await
        }
        .await,
    )
}

/// The full ID number of a user's person record. Every call is written to the audit log.
#[server(endpoint = "reveal_id_number")]
pub async fn reveal_id_number(user_id: i64) -> Result<String, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ManageUsers)?;
            ssr::reveal(&ctx, caller, user_id).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{GrantView, ScopeChoices, UserView};
    use crate::api::AppError;
    use crate::api::ssr::{Caller, Ctx};
    use crate::db::audit::{self, Change};
    use crate::db::people;
    use crate::domain::access::Visibility;
    use crate::domain::id_number::IdNumber;
    use crate::domain::privacy::mask_phone;
    use crate::domain::role::Role;
    use crate::on_db;

    pub async fn list(ctx: &Ctx) -> Result<Vec<UserView>, AppError> {
        let db = ctx.db();
        let grants = people::all_grants(db).await?;
        let mut out = Vec::new();
        for u in people::list_users(db).await? {
            let person = people::person_by_id(db, u.person_id).await?;
            out.push(UserView {
                id: u.id,
                username: u.username,
                name: u.name,
                email: u.email,
                active: u.active,
                must_change_password: u.must_change_password,
                id_number: person
                    .as_ref()
                    .and_then(|p| p.id_number.as_deref())
                    .and_then(|i| IdNumber::parse(i).ok())
                    .map(|i| i.masked()),
                phone: person
                    .as_ref()
                    .and_then(|p| p.phone.as_deref())
                    .map(mask_phone),
                unit: person.and_then(|p| p.unit_name),
                roles: grants
                    .iter()
                    .filter(|g| g.user_id == u.id)
                    .filter_map(|g| {
                        Role::parse(&g.role).ok().map(|role| GrantView {
                            id: g.id,
                            role,
                            scope: g.scope_name.clone(),
                        })
                    })
                    .collect(),
            });
        }
        Ok(out)
    }

    pub async fn scope_options(ctx: &Ctx) -> Result<ScopeChoices, AppError> {
        let db = ctx.db();
        let bases = crate::db::bases::list_bases(db, &Visibility::All).await?;
        let committees = crate::db::committees::list_committees(db, &Visibility::All).await?;
        let units: Vec<(i64, String)> = on_db!(db, c => crate::db::ok(
            sqlx::query_as("SELECT id, name FROM units ORDER BY name").fetch_all(c).await))?;
        Ok(ScopeChoices {
            bases: bases
                .into_iter()
                .map(|b| (b.id, format!("{} {}", b.code, b.name)))
                .collect(),
            units,
            committees: committees.into_iter().map(|c| (c.id, c.name)).collect(),
        })
    }

    pub async fn reveal(ctx: &Ctx, caller: &Caller, user_id: i64) -> Result<String, AppError> {
        let db = ctx.db();
        let user = people::user_by_id(db, user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let person = people::person_by_id(db, user.person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let id_number = person.id_number.ok_or(AppError::NotFound)?;
        let mut tx = db.begin_write().await?;
        audit::append(
            &mut tx,
            ctx.now,
            &caller.actor(),
            Change {
                action: "person.unmask_id_number",
                entity_type: "person",
                entity_id: user.person_id.to_string(),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id_number)
    }
}
