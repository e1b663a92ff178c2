//! The server half every server function shares: the request context (state, caller, time,
//! address), authorization, and turning errors into statuses without leaking their causes.

use super::AppError;
use crate::db::DbError;
use crate::db::audit::Actor;
use crate::domain::access::{self, Action};
use crate::domain::role::Grant;
use crate::i18n::Lang;
use crate::server::{AppState, clock, session};
use axum::http::StatusCode;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

/// The signed-in caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: i64,
    pub person_id: i64,
    pub username: String,
    pub name: String,
    pub must_change_password: bool,
    pub grants: Vec<Grant>,
    /// Grant rows as stored, for display (role code + scope name).
    pub grant_labels: Vec<(String, Option<String>)>,
}

impl Caller {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user_id),
            label: self.username.clone(),
        }
    }
}

/// Everything a server function needs about its request.
pub struct Ctx {
    pub state: AppState,
    pub parts: Parts,
    pub caller: Option<Caller>,
    pub now: DateTime<Utc>,
}

impl Ctx {
    /// The caller if signed in and allowed `action`; 401 or 403 otherwise.
    pub fn require(&self, action: Action) -> Result<&Caller, AppError> {
        let caller = self.caller.as_ref().ok_or(AppError::Unauthorized)?;
        // A password set by an admin is known to the admin: until the user picks their own,
        // the account may do nothing but that.
        if caller.must_change_password && action != Action::UseOwnAccount {
            return Err(AppError::Forbidden);
        }
        if access::allows(&caller.grants, action) {
            Ok(caller)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn db(&self) -> &crate::db::Db {
        &self.state.db
    }

    /// The client's address: the socket peer, or X-Forwarded-For behind a trusted proxy.
    pub fn address(&self) -> String {
        if self.state.settings.trust_proxy
            && let Some(fwd) = self
                .parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                // The rightmost entry is the one our proxy appended; the others are the
                // client's own claims.
                .and_then(|v| v.rsplit(',').next())
        {
            return fwd.trim().to_string();
        }
        self.parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|ci| ci.0.ip().to_string())
            .unwrap_or_else(|| "unknown".to_string())
    }

    /// Whether the session cookie must carry `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.state.settings.secure_cookies.unwrap_or_else(|| {
            self.state.settings.trust_proxy
                && self
                    .parts
                    .headers
                    .get("x-forwarded-proto")
                    .is_some_and(|v| v.as_bytes() == b"https")
        })
    }

    pub fn lang(&self) -> Lang {
        session::request_lang(&self.parts.headers)
    }

    pub fn set_header(&self, name: axum::http::HeaderName, value: axum::http::HeaderValue) {
        if let Some(res) = use_context::<ResponseOptions>() {
            res.append_header(name, value);
        }
    }
}

/// Builds the context for the current request. Missing state is a wiring bug: logged, 500.
pub async fn context() -> Result<Ctx, AppError> {
    let state = use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server-function context");
        AppError::Internal
    })?;
    let parts = use_context::<Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from the server-function context");
        AppError::Internal
    })?;
    let now = clock::now();
    let caller = match session::read_cookie(&parts.headers, session::COOKIE) {
        Some(token) if !token.is_empty() => {
            let caller = match parts.extensions.get::<CallerOnce>() {
                Some(once) => once
                    .0
                    .get_or_try_init(|| load_caller(&state, &token, now))
                    .await?
                    .clone(),
                None => load_caller(&state, &token, now).await?,
            };
            if let Some(c) = &caller {
                crate::server::observe::note_user(&parts.extensions, c.user_id);
            }
            caller
        }
        _ => None,
    };
    Ok(Ctx {
        state,
        parts,
        caller,
        now,
    })
}

/// The caller of one request, looked up once however many server functions render its page
/// (the request-log middleware puts an empty one into every request's extensions).
#[derive(Debug, Clone, Default)]
pub struct CallerOnce(std::sync::Arc<tokio::sync::OnceCell<Option<Caller>>>);

/// The signed-in caller of a plain HTTP route (file upload and download), if any.
/// The user is noted on `logged` for the request log.
pub async fn caller_from(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    logged: &crate::server::observe::RequestUser,
    now: DateTime<Utc>,
) -> Option<Caller> {
    let token = session::read_cookie(headers, session::COOKIE).filter(|t| !t.is_empty())?;
    match load_caller(state, &token, now).await {
        Ok(caller) => {
            if let Some(c) = &caller {
                logged.note(c.user_id);
            }
            caller
        }
        Err(e) => {
            tracing::error!(error = %e, "could not load the caller");
            None
        }
    }
}

async fn load_caller(
    state: &AppState,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Caller>, AppError> {
    let hash = session::token_hash(token);
    let Some(user_id) = crate::db::sessions::session_user(&state.db, &hash, now).await? else {
        return Ok(None);
    };
    let Some(user) = crate::db::people::user_by_id(&state.db, user_id).await? else {
        return Ok(None);
    };
    let rows = crate::db::people::grants_of(&state.db, user_id).await?;
    let mut grants = Vec::with_capacity(rows.len());
    let mut grant_labels = Vec::with_capacity(rows.len());
    for row in rows {
        match row.grant() {
            Ok(g) => {
                grants.push(g);
                grant_labels.push((row.role, row.scope_name));
            }
            // A malformed grant grants nothing; it is logged for the admin to fix.
            Err(e) => tracing::warn!(grant = row.id, error = %e, "ignoring malformed role grant"),
        }
    }
    Ok(Some(Caller {
        user_id,
        person_id: user.person_id,
        username: user.username,
        name: user.name,
        must_change_password: user.must_change_password,
        grants,
        grant_labels,
    }))
}

/// Sets the response status from the result; every server function ends with this.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result
        && let Some(res) = use_context::<ResponseOptions>()
    {
        res.set_status(
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        );
        if let Some(secs) = err.retry_after_secs() {
            res.insert_header(axum::http::header::RETRY_AFTER, secs.into());
        }
    }
    result
}

impl From<DbError> for AppError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => AppError::NotFound,
            DbError::Conflict { constraint } => AppError::Conflict(field_of(&constraint)),
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}

/// The form field behind a unique constraint (`users.username`, `users_username_key`,
/// `index 'users_email_lower'`, ...). Only known field names leave the server.
fn field_of(constraint: &str) -> String {
    const FIELDS: [&str; 6] = [
        "username",
        "email",
        "id_number",
        "person_id",
        "code",
        "name",
    ];
    let field = FIELDS
        .into_iter()
        .find(|f| constraint.contains(f))
        .unwrap_or("record");
    // A person has one login: the form names the person by ID number.
    if field == "person_id" {
        "id_number"
    } else {
        field
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn constraint_names_become_fields() {
        assert_eq!(field_of("users.username"), "username");
        assert_eq!(field_of("users_username_key"), "username");
        assert_eq!(field_of("training_bases_code_key"), "code");
        assert_eq!(field_of("cohorts.code"), "code");
        assert_eq!(field_of("index 'users_email_lower'"), "email");
        assert_eq!(field_of("people_id_number_key"), "id_number");
        assert_eq!(field_of("users.person_id"), "id_number");
        assert_eq!(field_of("ends_on >= starts_on"), "record");
    }
}
