//! Server functions: the application's public API. Each one parses its arguments, asks the
//! access policy about the caller (deny by default), delegates, and never returns internal
//! error text. Endpoints have stable names (`/api/<name>`) so the authorization matrix test and
//! any external client can address them.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod corrections;
pub mod courses;
pub mod dashboard;
pub mod defense;
pub mod imports;
pub mod meeting;
pub mod notice;
pub mod org;
pub mod overview;
pub mod panels;
pub mod profile;
pub mod progress;
pub mod record;
pub mod records;
pub mod reviews;
pub mod rulesets;
pub mod scoring;
pub mod title;
pub mod verify;

#[cfg(feature = "ssr")]
pub mod ssr;

use crate::i18n::Key;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A problem with one input field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub key: Key,
}

impl FieldError {
    pub fn new(field: &str, key: Key) -> FieldError {
        FieldError {
            field: field.to_string(),
            key,
        }
    }
}

/// The one error type on the wire. Internal causes are logged on the server and arrive here
/// only as [`AppError::Internal`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// A unique value already taken; names the field.
    #[error("already exists: {0}")]
    Conflict(String),
    #[error("sign-in required")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    /// Too many failed sign-ins (HTTP 429, with `Retry-After`).
    #[error("too many failed sign-ins; try again in {retry_after_secs} seconds")]
    TooManyRequests { retry_after_secs: i64 },
    /// Another rate limit was reached (HTTP 429, with `Retry-After`); the key says which.
    #[error("rate limited")]
    Throttled { key: Key, retry_after_secs: i64 },
    /// A rule of the procedure refused the action; the key says which, in words the user
    /// can act on ("the application window is closed").
    #[error("refused by a rule")]
    Refused(Key),
    #[error("internal error")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("request failed")]
    Transport,
}

/// The conflict a record's state causes: it changed meanwhile, or does not allow the action.
pub const STATE: &str = "status";

impl AppError {
    pub fn invalid(field: &str, key: Key) -> AppError {
        AppError::Validation(vec![FieldError::new(field, key)])
    }

    /// The HTTP status the server answers with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Validation(_) => 422,
            AppError::Conflict(_) | AppError::Refused(_) => 409,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::TooManyRequests { .. } | AppError::Throttled { .. } => 429,
            AppError::Internal | AppError::Transport => 500,
        }
    }

    /// The message for a whole form or page, in the i18n table.
    pub fn key(&self) -> Key {
        match self {
            AppError::NotFound => Key::ErrNotFound,
            AppError::Validation(_) => Key::ErrValidation,
            AppError::Conflict(_) => Key::ErrConflict,
            AppError::Refused(key) | AppError::Throttled { key, .. } => *key,
            AppError::Unauthorized => Key::ErrUnauthorized,
            AppError::Forbidden => Key::ErrForbidden,
            AppError::TooManyRequests { .. } => Key::ErrTooManyRequests,
            AppError::Internal => Key::ErrInternal,
            AppError::Transport => Key::ErrTransport,
        }
    }

    /// For a 429: in how many seconds to try again (the `Retry-After` header).
    pub fn retry_after_secs(&self) -> Option<i64> {
        match self {
            AppError::TooManyRequests { retry_after_secs }
            | AppError::Throttled {
                retry_after_secs, ..
            } => Some((*retry_after_secs).max(1)),
            _ => None,
        }
    }

    /// The message for one field, if this error concerns it.
    /// Whether the error belongs next to form fields (then the form says "fix the fields").
    pub fn is_about_fields(&self) -> bool {
        match self {
            AppError::Validation(v) => !v.is_empty(),
            AppError::Conflict(f) => f != STATE,
            _ => false,
        }
    }

    pub fn field_key(&self, field: &str) -> Option<Key> {
        match self {
            AppError::Validation(errors) => errors.iter().find(|e| e.field == field).map(|e| e.key),
            AppError::Conflict(f) if f == field && f == "registration_no" => {
                Some(Key::ErrAlreadyClaimed)
            }
            AppError::Conflict(f) if f == field => Some(Key::ErrAlreadyExists),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments the server could not read are the caller's mistake, not ours.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::Validation(Vec::new())
            }
            _ => AppError::Transport,
        }
    }
}

/// Sets the HTTP status of the page being rendered on the server (a 403 or 404 page must say
/// so to the browser, not only in its text). Does nothing in the browser.
pub fn set_page_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = axum::http::StatusCode::from_u16(code)
    {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}
