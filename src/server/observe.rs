//! One structured log line per request (issue 7): request id, method, route template, status,
//! latency and the signed-in user's id — never a query string, a body, a cookie or a person's
//! name, ID number or phone. The same middleware feeds the request-latency metrics.
//!
//! The request id comes from a valid incoming `X-Request-Id` (a proxy's) or is made here, and
//! is sent back on the response so a user's report can be found in the log. The user id is
//! noted by whoever resolves the session cookie ([`RequestUser`] in the request's
//! extensions), so the log costs no extra query.

use super::metrics;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Instant;

pub const REQUEST_ID: &str = "x-request-id";

/// The signed-in user of the current request, once the session is resolved (0: nobody).
#[derive(Clone, Debug, Default)]
pub struct RequestUser(Arc<AtomicI64>);

impl RequestUser {
    pub fn note(&self, user_id: i64) {
        self.0.store(user_id, Ordering::Relaxed);
    }

    pub fn get(&self) -> Option<i64> {
        Some(self.0.load(Ordering::Relaxed)).filter(|&id| id != 0)
    }
}

/// Plain handlers take the request's [`RequestUser`] as an argument (one that is not being
/// logged gets a fresh, unobserved one).
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RequestUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<RequestUser>()
            .cloned()
            .unwrap_or_default())
    }
}

/// Notes the user on the request these extensions belong to, if it is being logged.
pub fn note_user(extensions: &axum::http::Extensions, user_id: i64) {
    if let Some(user) = extensions.get::<RequestUser>() {
        user.note(user_id);
    }
}

/// An incoming id is kept when it is short and plain (it goes into the log as is).
fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A new id: a random prefix per process and a counter, so two instances never collide.
fn new_id() -> String {
    static PREFIX: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| super::session::new_token()[..8].to_string());
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("{}-{:x}", *PREFIX, NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Probes and static files are logged at debug level: they would drown the requests people make.
fn is_noise(route: &str) -> bool {
    matches!(route, "/healthz" | "/readyz" | "/metrics" | "static")
}

pub async fn log_requests(mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| valid_id(v))
        .map_or_else(new_id, str::to_string);
    let method = req.method().clone();
    let route = match req.extensions().get::<MatchedPath>() {
        Some(m) => m.as_str().to_string(),
        // Unrouted: the site's files (hashed bundles, styles, icons) or a page not found.
        None if method == Method::GET && is_asset(req.uri().path()) => "static".to_string(),
        None => "unmatched".to_string(),
    };
    let user = RequestUser::default();
    req.extensions_mut().insert(user.clone());
    req.extensions_mut()
        .insert(crate::api::ssr::CallerOnce::default());
    let mut res = next.run(req).await;
    let took = started.elapsed();
    let status = res.status().as_u16();
    metrics::request(method.as_str(), &route, status, took);
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    let latency_us = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
    let user = user.get();
    if is_noise(&route) {
        tracing::debug!(target: "ladder::request", request_id = %id, method = %method, route, status, latency_us, user, "request");
    } else if status >= 500 {
        tracing::warn!(target: "ladder::request", request_id = %id, method = %method, route, status, latency_us, user, "request");
    } else {
        tracing::info!(target: "ladder::request", request_id = %id, method = %method, route, status, latency_us, user, "request");
    }
    res
}

fn is_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.rsplit_once('.').is_some_and(|(_, ext)| {
            matches!(
                ext,
                "css" | "js" | "wasm" | "ico" | "png" | "svg" | "woff2" | "txt"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incoming_ids_are_kept_only_when_plain() {
        assert!(valid_id("abc-123_x.y"));
        assert!(!valid_id(""));
        assert!(!valid_id("a b"));
        assert!(!valid_id("a\nlevel=error"));
        assert!(!valid_id(&"x".repeat(65)));
    }

    #[test]
    fn new_ids_differ() {
        assert_ne!(new_id(), new_id());
    }

    #[test]
    fn the_user_is_noted_through_any_clone() {
        let user = RequestUser::default();
        assert_eq!(user.get(), None);
        let mut ext = axum::http::Extensions::new();
        ext.insert(user.clone());
        note_user(&ext.clone(), 42);
        assert_eq!(user.get(), Some(42));
    }
}
