//! Liveness and readiness for whatever balances or supervises the instances (issue 7):
//! `/healthz` answers 200 while the process serves requests; `/readyz` answers 200 only when
//! the database answers and every migration this build carries is applied, 503 otherwise.
//! Both answer in a word, need no session and never touch personal data; the cause of a
//! failure goes to the log, not to the caller.

use super::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

/// The process is up and serving.
pub async fn healthz() -> Response {
    plain(StatusCode::OK, "ok\n")
}

/// The instance can do its work: the database answers and its schema is this build's.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.pending_migrations().await {
        Ok(0) => plain(StatusCode::OK, "ready\n"),
        Ok(pending) => {
            tracing::warn!(pending, "not ready: migrations pending");
            plain(StatusCode::SERVICE_UNAVAILABLE, "migrations pending\n")
        }
        Err(e) => {
            tracing::warn!(error = %e, "not ready: database unreachable");
            plain(StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n")
        }
    }
}
