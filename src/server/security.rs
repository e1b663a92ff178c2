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

/// Adds the nonce to the request and the security headers to every response. Pages and
/// server-function answers are never stored by a browser or a proxy (`no-store`): they carry
/// names, ID numbers and phones, and a shared computer's back button or cache must not show
/// them to the next person. Static files (the wasm, scripts, styles) keep their caching.
pub async fn headers(mut req: Request, next: Next) -> Response {
    let nonce = super::session::new_token()[..32].to_string();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let dynamic = ["/api/", "/files/"]
        .iter()
        .any(|p| req.uri().path().starts_with(p));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let is_html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html && let Ok(v) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    if (is_html || dynamic) && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
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

/// The origin part (`scheme://host[:port]`) of an absolute URL.
fn origin(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    Some(&url[..scheme.len() + 3 + host.len()])
}

/// This server's origin as the browser sees it: the Host, and the scheme — `https` when a
/// trusted proxy says so (`X-Forwarded-Proto`) or when cookies are forced Secure (the server
/// is behind TLS), else `http`.
fn own_origin(
    headers: &axum::http::HeaderMap,
    settings: &super::config::Settings,
) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let forwarded = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .filter(|_| settings.trust_proxy);
    let scheme = match forwarded {
        Some(p) if p.eq_ignore_ascii_case("https") => "https",
        Some(_) => "http",
        None if settings.secure_cookies == Some(true) => "https",
        None => "http",
    };
    Some(format!("{scheme}://{host}"))
}

/// Refuses state-changing requests to `/api/` and `/files/` whose Origin (or, failing that,
/// Referer) is not this server's origin, scheme included. Browsers always send Origin on
/// cross-site POSTs, so a forged form or fetch from another site — or from this host over
/// plain http when it is served over https — is stopped here, before any server function runs.
pub async fn same_origin(
    axum::extract::State(state): axum::extract::State<super::AppState>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let guarded = ["/api/", "/files/"]
        .iter()
        .any(|p| req.uri().path().starts_with(p));
    if safe || !guarded {
        return next.run(req).await;
    }
    let headers = req.headers();
    let own = own_origin(headers, &state.settings);
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .and_then(origin);
    match (own, source) {
        (Some(o), Some(s)) if o.eq_ignore_ascii_case(s) => next.run(req).await,
        (own, source) => {
            tracing::warn!(
                path = %req.uri().path(),
                expected = own.as_deref().unwrap_or("-"),
                came_from = source.unwrap_or("-"),
                "refused a cross-site server-function call (behind a TLS proxy, set LADDER_TRUST_PROXY)"
            );
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
    fn origin_of_urls() {
        assert_eq!(
            origin("http://127.0.0.1:3000/x?y"),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(origin("https://example.org"), Some("https://example.org"));
        assert_eq!(origin("https://example.org#a"), Some("https://example.org"));
        assert_eq!(origin("null"), None);
    }

    #[test]
    fn own_origin_takes_the_scheme_from_a_trusted_proxy_or_the_secure_setting() {
        use super::super::config::Settings;
        let mut h = axum::http::HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("ladder.example"));
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        let plain = Settings::default();
        assert_eq!(
            own_origin(&h, &plain).as_deref(),
            Some("http://ladder.example")
        );
        let proxied = Settings {
            trust_proxy: true,
            ..Settings::default()
        };
        assert_eq!(
            own_origin(&h, &proxied).as_deref(),
            Some("https://ladder.example")
        );
        let secure = Settings {
            secure_cookies: Some(true),
            ..Settings::default()
        };
        h.remove("x-forwarded-proto");
        assert_eq!(
            own_origin(&h, &secure).as_deref(),
            Some("https://ladder.example")
        );
        h.remove(header::HOST);
        assert_eq!(own_origin(&h, &plain), None);
    }

    #[test]
    fn csp_carries_the_nonce_and_forbids_framing() {
        let csp = content_security_policy("abc");
        assert!(csp.contains("'nonce-abc'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
