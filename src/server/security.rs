//! Security middleware: the Content-Security-Policy (with a per-response nonce for the
//! hydration script), the other security headers, and refusal of cross-site server-function
//! calls by checking Origin (or Referer) against Host.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// The nonce of one HTML response, generated before rendering and read by the shell.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// The policy for HTML pages. `strict-dynamic` lets the nonce'd hydration module load the app's
/// JS and wasm; `wasm-unsafe-eval` is what compiling the wasm needs, nothing broader.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Adds the nonce to the request and the security headers to every response.
pub async fn headers(mut req: Request, next: Next) -> Response {
    let nonce = super::session::new_token()[..32].to_string();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let is_html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html && let Ok(v) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    res
}

/// The host part (`host[:port]`) of an absolute URL.
fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

/// Refuses state-changing requests to `/api/` and `/files/` whose Origin (or, failing that, Referer) is not
/// this host. Browsers always send Origin on cross-site POSTs, so a forged form or fetch from
/// another site is stopped here, before any server function runs.
pub async fn same_origin(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let guarded = ["/api/", "/files/"]
        .iter()
        .any(|p| req.uri().path().starts_with(p));
    if safe || !guarded {
        return next.run(req).await;
    }
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .and_then(authority);
    match (host, source) {
        (Some(h), Some(s)) if h.eq_ignore_ascii_case(s) => next.run(req).await,
        _ => {
            tracing::warn!(path = %req.uri().path(), "refused a cross-site server-function call");
            // The body is the server functions' error encoding, so a client shows "not allowed".
            Response::builder()
                .status(StatusCode::FORBIDDEN)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(FORBIDDEN_BODY))
                .unwrap_or_default()
        }
    }
}

/// Server functions whose arguments cannot be read answer 500 from the framework, before any of
/// our code runs; their body is our `Validation([])`, so it is the caller's mistake: say 400.
pub async fn bad_arguments(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !is_api || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // Error bodies of server functions are tiny; anything larger is passed on untouched.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if bytes.as_ref() == BAD_ARGUMENTS_BODY.as_bytes() {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// `AppError::Validation(vec![])` as the server functions encode it (JSON).
const BAD_ARGUMENTS_BODY: &str = "{\"Validation\":[]}";

/// `AppError::Forbidden` as the server functions encode it (JSON).
const FORBIDDEN_BODY: &str = "\"Forbidden\"";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_of_urls() {
        assert_eq!(
            authority("http://127.0.0.1:3000/x?y"),
            Some("127.0.0.1:3000")
        );
        assert_eq!(authority("https://example.org"), Some("example.org"));
        assert_eq!(authority("null"), None);
    }

    #[test]
    fn csp_carries_the_nonce_and_forbids_framing() {
        let csp = content_security_policy("abc");
        assert!(csp.contains("'nonce-abc'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
