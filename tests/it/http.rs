//! The HTTP surface, driven in-process: security headers, cross-site refusal, the rate limit's
//! 429, page statuses, and error bodies that carry no internal detail.

use crate::common::{
    HOST, app, body_text, get, global_user, post, send, sign_in, sqlite, user_with,
};
use axum::http::{StatusCode, header};
use ladder::domain::role::Role;
use ladder::server::config::Settings;

#[test]
fn html_pages_carry_the_security_headers() {
    crate::common::run(async {
        let app = app(sqlite().await, Settings::default());
        let res = send(&app, get("/login", None)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers();
        let csp = h
            .get(header::CONTENT_SECURITY_POLICY)
            .expect("CSP")
            .to_str()
            .unwrap()
            .to_string();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("script-src 'nonce-"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
        assert_eq!(h.get(header::REFERRER_POLICY).unwrap(), "same-origin");
        assert_eq!(h.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
        // Pages are never stored by a browser or a proxy.
        assert_eq!(h.get(header::CACHE_CONTROL).unwrap(), "no-store");
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|s| s.split('\'').next())
            .unwrap()
            .to_string();
        let html = body_text(res).await;
        // The hydration script carries the same nonce, or the browser would refuse to run it.
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "hydration script lacks the nonce"
        );
        assert!(html.contains("<html lang=\"zh-CN\""), "Chinese by default");
    });
}

#[test]
fn language_cookie_sets_html_lang() {
    crate::common::run(async {
        let app = app(sqlite().await, Settings::default());
        let res = send(&app, get("/login", Some("ladder_lang=en"))).await;
        let html = body_text(res).await;
        assert!(html.contains("<html lang=\"en\""));
        assert!(html.contains("Sign in to Ladder"));
    });
}

#[test]
fn cross_site_server_function_posts_are_refused() {
    crate::common::run(async {
        let db = sqlite().await;
        global_user(&db, "admin1", Role::SysAdmin).await;
        let app = app(db, Settings::default());
        let mut req = post("/api/sign_in", "login=admin1&password=password-1", None);
        req.headers_mut()
            .insert(header::ORIGIN, "http://evil.example".parse().unwrap());
        let res = send(&app, req).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(res.headers().get(header::SET_COOKIE).is_none());
        // No Origin and no Referer: refused too.
        let mut req = post("/api/sign_in", "login=admin1&password=password-1", None);
        req.headers_mut().remove(header::ORIGIN);
        assert_eq!(send(&app, req).await.status(), StatusCode::FORBIDDEN);
        // This host, but another scheme (https to a server answering plain http, or the
        // other way round): refused.
        let mut req = post("/api/sign_in", "login=admin1&password=password-1", None);
        req.headers_mut()
            .insert(header::ORIGIN, format!("https://{HOST}").parse().unwrap());
        assert_eq!(send(&app, req).await.status(), StatusCode::FORBIDDEN);
        // Same origin: allowed.
        let mut req = post("/api/sign_in", "login=admin1&password=password-1", None);
        req.headers_mut().remove(header::ORIGIN);
        req.headers_mut().insert(
            header::REFERER,
            format!("http://{HOST}/login").parse().unwrap(),
        );
        assert_ne!(send(&app, req).await.status(), StatusCode::FORBIDDEN);
    });
}

#[test]
fn repeated_failures_get_429_with_a_clear_message() {
    crate::common::run(async {
        let db = sqlite().await;
        user_with(&db, "chen.jun", "password-1", &[]).await;
        let app = app(db, Settings::default());
        for _ in 0..5 {
            let res = send(
                &app,
                post("/api/sign_in", "login=chen.jun&password=nope-nope", None),
            )
            .await;
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        }
        let res = send(
            &app,
            post("/api/sign_in", "login=chen.jun&password=password-1", None),
        )
        .await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        // Retry-After: when the oldest of the five failures leaves the 15-minute window.
        let retry: i64 = res
            .headers()
            .get(header::RETRY_AFTER)
            .expect("Retry-After")
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((890..=900).contains(&retry), "{retry}");
        assert_eq!(
            body_text(res).await,
            format!(r#"{{"TooManyRequests":{{"retry_after_secs":{retry}}}}}"#)
        );
    });
}

#[test]
fn session_cookie_is_http_only_and_lax() {
    crate::common::run(async {
        let db = sqlite().await;
        user_with(&db, "xu.tao", "password-1", &[]).await;
        let app = app(db, Settings::default());
        let res = send(
            &app,
            post("/api/sign_in", "login=xu.tao&password=password-1", None),
        )
        .await;
        let cookie = res
            .headers()
            .get(header::SET_COOKIE)
            .expect("cookie")
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert!(!cookie.contains("Secure"), "plain http must not set Secure");
        // The browser becomes a known device of the account: a cookie sent to the sign-in
        // endpoint alone, out of scripts' reach.
        let device = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("ladder_device="))
            .expect("a device cookie")
            .to_string();
        for part in [
            "Path=/api/sign_in",
            "HttpOnly",
            "SameSite=Strict",
            "Max-Age=15552000",
        ] {
            assert!(device.contains(part), "{part} in {device}");
        }
        let secure = app_with_secure().await;
        // Served over https (cookies forced Secure): the browser's Origin says https.
        let mut req = post("/api/sign_in", "login=xu.tao&password=password-1", None);
        req.headers_mut()
            .insert(header::ORIGIN, format!("https://{HOST}").parse().unwrap());
        let res = send(&secure, req).await;
        assert!(
            res.headers()
                .get(header::SET_COOKIE)
                .unwrap()
                .to_str()
                .unwrap()
                .contains("Secure")
        );
    });
}

async fn app_with_secure() -> axum::Router {
    let db = sqlite().await;
    user_with(&db, "xu.tao", "password-1", &[]).await;
    app(
        db,
        Settings {
            secure_cookies: Some(true),
            ..Settings::default()
        },
    )
}

#[test]
fn pages_answer_with_the_right_status() {
    crate::common::run(async {
        let db = sqlite().await;
        global_user(&db, "trainee1", Role::Trainee).await;
        global_user(&db, "admin1", Role::SysAdmin).await;
        let app = app(db, Settings::default());
        let res = send(&app, get("/admin/users", None)).await;
        assert_eq!(
            res.status(),
            StatusCode::FOUND,
            "anonymous visitors are sent to sign in"
        );
        assert_eq!(
            res.headers().get(header::LOCATION).unwrap(),
            "/login?next=/admin/users"
        );

        let trainee = sign_in(&app, "trainee1", "password-1").await;
        let res = send(&app, get("/admin/users", Some(&trainee))).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(body_text(res).await.contains("无权访问"));

        let admin = sign_in(&app, "admin1", "password-1").await;
        let res = send(&app, get("/admin/users", Some(&admin))).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers().get(header::CACHE_CONTROL).unwrap(),
            "no-store"
        );
        // And so are the server functions' answers (here: the accounts with their people).
        let api = send(&app, post("/api/list_users", "", Some(&admin))).await;
        assert_eq!(api.status(), StatusCode::OK);
        assert_eq!(
            api.headers().get(header::CACHE_CONTROL).unwrap(),
            "no-store"
        );
        let html = body_text(res).await;
        assert!(html.contains("trainee1") && html.contains("用户管理"));

        assert_eq!(
            send(&app, get("/no/such/page", Some(&admin)))
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
    });
}

#[test]
fn errors_carry_no_internal_detail() {
    crate::common::run(async {
        let db = sqlite().await;
        global_user(&db, "admin1", Role::SysAdmin).await;
        let app = app(db, Settings::default());
        let admin = sign_in(&app, "admin1", "password-1").await;
        let res = send(
            &app,
            post(
                "/api/create_user",
                "username=admin1&name=X&email=&id_number=",
                Some(&admin),
            ),
        )
        .await;
        assert_eq!(res.status(), StatusCode::CONFLICT);
        let body = body_text(res).await;
        assert_eq!(body, r#"{"Conflict":"username"}"#);
        // Malformed arguments are a 4xx with no parser text either.
        let res = send(
            &app,
            post("/api/revoke_role", "grant_id=not-a-number", Some(&admin)),
        )
        .await;
        assert!(res.status().is_client_error(), "{}", res.status());
        let body = body_text(res).await;
        assert!(
            !body.to_lowercase().contains("sql") && !body.contains("invalid digit"),
            "{body}"
        );
    });
}

#[test]
fn oversized_bodies_are_refused() {
    crate::common::run(async {
        let app = app(
            sqlite().await,
            Settings {
                max_body_kib: 1,
                ..Settings::default()
            },
        );
        let big = format!("login={}&password=x", "a".repeat(4096));
        let res = send(&app, post("/api/sign_in", &big, None)).await;
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
        // In the server functions' encoding: the form says it in the user's language.
        assert_eq!(body_text(res).await, r#"{"Refused":"ErrRequestTooLarge"}"#);
        // The same without a declared length (chunked): 413, not a 500.
        let mut req = post("/api/sign_in", &big, None);
        req.headers_mut().remove(header::CONTENT_LENGTH);
        let res = send(&app, req).await;
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
        // Under the limit, without a declared length: served as usual.
        let mut req = post("/api/sign_in", "login=nobody&password=x", None);
        req.headers_mut().remove(header::CONTENT_LENGTH);
        assert_eq!(
            send(&app, req).await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    });
}

#[test]
fn an_admin_set_password_must_be_changed_before_anything_else() {
    crate::common::run(async {
        let db = sqlite().await;
        global_user(&db, "admin1", Role::SysAdmin).await;
        let admin_id = ladder::db::people::user_by_login(&db, "admin1")
            .await
            .unwrap()
            .unwrap()
            .id;
        ladder::server::accounts::reset_password(
            &db,
            &crate::common::actor(),
            admin_id,
            "temporary-pw",
            ladder::server::clock::now(),
        )
        .await
        .unwrap();
        let app = app(db, Settings::default());
        let cookie = sign_in(&app, "admin1", "temporary-pw").await;
        let res = send(&app, post("/api/list_users", "", Some(&cookie))).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res = send(
            &app,
            post(
                "/api/change_password",
                "current=temporary-pw&new=my-own-password&confirm=my-own-password",
                Some(&cookie),
            ),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK);
        let res = send(&app, post("/api/list_users", "", Some(&cookie))).await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "the session that changed the password stays"
        );
    });
}

/// Liveness and readiness, on either engine: alive while serving; ready only with the
/// database answering and this build's migrations applied.
async fn liveness_and_readiness_answer_in_a_word(db: ladder::db::Db) {
    let app = app(db.clone(), Settings::default());
    let res = send(&app, get("/healthz", None)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers().get(header::CACHE_CONTROL).unwrap(),
        "no-store"
    );
    assert_eq!(body_text(res).await, "ok\n");
    let res = send(&app, get("/readyz", None)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(body_text(res).await, "ready\n");

    // A migration this build carries, missing from the database: alive, not ready.
    let forget = "DELETE FROM _sqlx_migrations
                  WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)";
    match db.pool() {
        ladder::db::Pool::Sqlite(p) => sqlx::query(forget).execute(p).await.map(|_| ()),
        ladder::db::Pool::Postgres(p) => sqlx::query(forget).execute(p).await.map(|_| ()),
    }
    .unwrap();
    let res = send(&app, get("/readyz", None)).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body_text(res).await, "migrations pending\n");

    // The database gone: still alive, not ready, and the answer names no internal detail.
    db.close().await;
    assert_eq!(
        send(&app, get("/healthz", None)).await.status(),
        StatusCode::OK
    );
    let res = send(&app, get("/readyz", None)).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body_text(res).await, "database unreachable\n");
}

crate::on_both_engines!(liveness_and_readiness_answer_in_a_word);

/// A graceful shutdown answers the request already in flight: the server stops accepting,
/// the slow request still gets its whole answer, and only then does serving end.
#[test]
fn graceful_shutdown_finishes_the_request_in_flight() {
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::sync::{Notify, oneshot};
    crate::common::run(async {
        let db = crate::common::sqlite().await;
        let entered = Arc::new(Notify::new());
        let release = Arc::new(Notify::new());
        let (e, r) = (entered.clone(), release.clone());
        // The real application, plus one route that holds its request until released.
        let app = app(db.clone(), Settings::default()).route(
            "/test/slow",
            axum::routing::get(move || {
                let (e, r) = (e.clone(), r.clone());
                async move {
                    e.notify_one();
                    r.notified().await;
                    "finished\n"
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(ladder::server::serve_until(listener, app, db, async {
            let _ = stopped.await;
        }));

        let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
        client
            .write_all(b"GET /test/slow HTTP/1.1\r\nHost: ladder.test\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        entered.notified().await;
        stop.send(()).unwrap();
        // New connections are refused once the shutdown has begun…
        let mut refused = false;
        for _ in 0..100_000 {
            if tokio::net::TcpStream::connect(addr).await.is_err() {
                refused = true;
                break;
            }
            tokio::task::yield_now().await;
        }
        assert!(
            refused,
            "the listener still accepts after the shutdown began"
        );
        // …while the request in flight keeps the server running, then gets its answer.
        assert!(!server.is_finished());
        release.notify_one();
        let mut answer = String::new();
        client.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("finished\n"), "{answer}");
        server.await.unwrap().unwrap();
    });
}
