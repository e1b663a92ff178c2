//! Request body limits with the app's own answer (issue 20). A body larger than its route
//! allows — declared by Content-Length or found while reading a chunked one — is refused with
//! 413 before any handler runs, and nothing is written: a server function gets its error in
//! the server functions' encoding (the form shows it in the user's language), a form the
//! browser posted gets a page in the page's language with a way back. tower-http's limit
//! answered a bare "length limit exceeded" in English, and a chunked body ended in a 500.

use crate::api::AppError;
use crate::i18n::{Key, Lang};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// A route's limit: the largest body in bytes, and the size a person is told (the configured
/// file size, without the form's overhead).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit {
    pub bytes: usize,
    pub shown: usize,
}

/// Refuses bodies over the limit with 413 and the app's message.
pub async fn body_limit(State(limit): State<BodyLimit>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(n) if n > limit.bytes as u64 => too_large(req.headers(), req.uri().path(), limit),
        Some(_) => next.run(req).await,
        None => {
            // Chunked (or no body): read it whole, up to the limit, before anything runs.
            let (parts, body) = req.into_parts();
            match axum::body::to_bytes(body, limit.bytes).await {
                Ok(bytes) => {
                    next.run(Request::from_parts(parts, Body::from(bytes)))
                        .await
                }
                Err(_) => too_large(&parts.headers, parts.uri.path(), limit),
            }
        }
    }
}

/// "10 MB", "512 KB".
fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes.div_ceil(1 << 20))
    } else {
        format!("{} KB", bytes.div_ceil(1 << 10))
    }
}

fn too_large(headers: &HeaderMap, path: &str, limit: BodyLimit) -> Response {
    let lang = super::session::request_lang(headers);
    tracing::info!(path, limit = limit.bytes, "refused a body over the limit");
    let mut res = if path.starts_with("/api/") {
        // What a server function's caller decodes: the form then says it in the user's language.
        let body =
            serde_json::to_string(&AppError::Refused(Key::ErrRequestTooLarge)).unwrap_or_default();
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            )],
            page(lang, &back(headers), limit),
        )
            .into_response()
    };
    *res.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    // The browser may not have sent the rest of the body: do not keep the connection.
    res.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    res
}

/// Where "back" goes: the page the form was on (a same-site path from the Referer), or home.
fn back(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://"))
        .and_then(|(_, rest)| {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            (Some(authority) == host).then(|| crate::api::auth::safe_next(path).to_string())
        })
        .unwrap_or_else(|| "/".to_string())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A small page in the app's style: the message and the way back.
fn page(lang: Lang, back: &str, limit: BodyLimit) -> String {
    let title = lang.text(Key::BodyTooLargeTitle);
    let message = lang
        .text(Key::ErrBodyTooLarge)
        .replace("{size}", &size(limit.shown));
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Ladder</title><link rel=\"stylesheet\" href=\"/pkg/ladder.css\"></head>\
         <body><main id=\"main\" class=\"main\"><div class=\"page-header\"><h1>{title}</h1></div>\
         <p class=\"alert alert--error\" role=\"alert\" data-error=\"too-large\">{message}</p>\
         <p><a class=\"button\" href=\"{back}\">{go_back}</a></p></main></body></html>",
        lang = lang.code(),
        title = escape(title),
        message = escape(&message),
        back = escape(back),
        go_back = escape(lang.text(Key::GoBack)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(size(10 << 20), "10 MB");
        assert_eq!(size(2048 << 10), "2 MB");
        assert_eq!(size(1024), "1 KB");
        assert_eq!(size(1500), "2 KB");
    }

    #[test]
    fn back_goes_only_to_this_site() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("ladder.example"));
        assert_eq!(back(&h), "/");
        h.insert(
            header::REFERER,
            HeaderValue::from_static("https://ladder.example/records?x=1"),
        );
        assert_eq!(back(&h), "/records?x=1");
        h.insert(
            header::REFERER,
            HeaderValue::from_static("https://evil.example/records"),
        );
        assert_eq!(back(&h), "/");
        h.insert(
            header::REFERER,
            HeaderValue::from_static("https://ladder.example//evil.example"),
        );
        assert_eq!(back(&h), "/");
    }
}
