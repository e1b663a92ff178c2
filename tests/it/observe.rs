//! Observability (issue 7): one log line per request with its id, route, status, latency and
//! user, and no personal data anywhere in the log; Prometheus metrics behind a token.

use crate::common::*;
use axum::http::{StatusCode, header};
use ladder::server::config::Settings;
use ladder::server::{clock, demo};
use std::io::Write;
use std::sync::{LazyLock, Mutex};

/// Everything the process logs at info level, as JSON lines (installed once for the
/// process: other tests' lines land here too, which only widens the personal-data check).
static LOG: LazyLock<Mutex<Vec<u8>>> = LazyLock::new(|| {
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_env_filter("info,sqlx=warn")
        .with_writer(|| Capture)
        .finish();
    let _ = tracing::subscriber::set_global_default(subscriber);
    Mutex::new(Vec::new())
});

struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOG.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn log_lines() -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&LOG.lock().unwrap())
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// The request log line that carries `id`.
fn request_line(id: &str) -> serde_json::Value {
    log_lines()
        .into_iter()
        .find(|l| l["fields"]["request_id"] == id)
        .unwrap_or_else(|| panic!("no log line for request {id}"))
}

fn with_id(
    mut req: axum::http::Request<axum::body::Body>,
    id: &str,
) -> axum::http::Request<axum::body::Body> {
    req.headers_mut()
        .insert("x-request-id", id.parse().unwrap());
    req
}

#[test]
fn each_request_is_logged_once_with_its_user_and_without_personal_data() {
    LazyLock::force(&LOG);
    run(async {
        let db = sqlite().await;
        assert!(demo::load(&db, clock::now()).await.unwrap());
        let app = app(db.clone(), Settings::default());
        let cookie = sign_in(&app, "admin", demo::DEMO_PASSWORD).await;
        let admin: i64 = ladder::db::people::user_by_login(&db, "admin")
            .await
            .unwrap()
            .unwrap()
            .id;
        let trainee = ladder::db::people::user_by_login(&db, "trainee")
            .await
            .unwrap()
            .unwrap();

        // A page, a server function that unmasks an ID number, an anonymous page, a miss.
        let res = send(&app, with_id(get("/admin/users", Some(&cookie)), "t-users")).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers().get("x-request-id").unwrap(), "t-users");
        let revealed = send(
            &app,
            with_id(
                post(
                    "/api/reveal_id_number",
                    &format!("user_id={}", trainee.id),
                    Some(&cookie),
                ),
                "t-reveal",
            ),
        )
        .await;
        assert_eq!(revealed.status(), StatusCode::OK);
        let id_number = body_text(revealed).await;
        assert!(id_number.len() >= 18, "{id_number}");
        send(&app, with_id(get("/login", None), "t-anon")).await;
        // An id that would forge a log line is replaced by one of our own.
        let res = send(&app, with_id(get("/no/such/page", None), "bad\"id")).await;
        let given = res.headers().get("x-request-id").unwrap().to_str().unwrap();
        assert_ne!(given, "bad\"id");
        assert!(!given.is_empty());

        let users = request_line("t-users");
        assert_eq!(users["fields"]["route"], "/admin/users");
        assert_eq!(users["fields"]["method"], "GET");
        assert_eq!(users["fields"]["status"], 200);
        assert_eq!(users["fields"]["user"], admin);
        assert!(users["fields"]["latency_us"].as_u64().unwrap() > 0);
        let reveal = request_line("t-reveal");
        assert_eq!(reveal["fields"]["route"], "/api/reveal_id_number");
        assert_eq!(reveal["fields"]["user"], admin);
        let anon = request_line("t-anon");
        assert_eq!(anon["fields"]["status"], 200);
        assert!(anon["fields"].get("user").is_none_or(|u| u.is_null()));
        assert_eq!(request_line(given)["fields"]["route"], "unmatched");
        // One line per request.
        let lines = log_lines();
        assert_eq!(
            lines
                .iter()
                .filter(|l| l["fields"]["request_id"] == "t-reveal")
                .count(),
            1
        );

        // No ID number or phone of anyone in the database appears in the log.
        let secrets: Vec<(Option<String>, Option<String>)> =
            ladder::on_db!(&db, c => sqlx::query_as("SELECT id_number, phone FROM people")
                .fetch_all(c).await)
            .unwrap();
        let text = String::from_utf8_lossy(&LOG.lock().unwrap()).into_owned();
        let mut checked = 0;
        for secret in secrets.into_iter().flat_map(|(i, p)| [i, p]).flatten() {
            if secret.len() >= 11 {
                checked += 1;
                assert!(!text.contains(&secret), "the log holds {secret}");
            }
        }
        assert!(checked > 40, "only {checked} secrets checked");
        assert!(!text.contains(id_number.trim()));
    });
}

async fn metrics_need_a_token_and_count_requests(db: ladder::db::Db) {
    // No token configured and no client address (not from this machine): refused.
    let open = app(db.clone(), Settings::default());
    assert_eq!(
        send(&open, get("/metrics", None)).await.status(),
        StatusCode::FORBIDDEN
    );
    let settings = Settings {
        metrics_token: Some("s3cret".into()),
        ..Settings::default()
    };
    let app = app(db.clone(), settings);
    assert_eq!(
        send(&app, get("/healthz", None)).await.status(),
        StatusCode::OK
    );
    let scrape = |token: &'static str| {
        let mut req = get("/metrics", None);
        req.headers_mut().insert(
            header::AUTHORIZATION,
            format!("Bearer {token}").parse().unwrap(),
        );
        req
    };
    assert_eq!(
        send(&app, scrape("wrong")).await.status(),
        StatusCode::FORBIDDEN
    );
    let res = send(&app, scrape("s3cret")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = body_text(res).await;
    assert!(
        text.contains(
            r#"ladder_http_request_duration_seconds_count{method="GET",route="/healthz",status="2xx"}"#
        ),
        "{text}"
    );
    let max = match db.pool() {
        ladder::db::Pool::Sqlite(_) => 8,
        ladder::db::Pool::Postgres(_) => 10,
    };
    assert!(
        text.contains(&format!(
            r#"ladder_db_pool_connections{{state="max"}} {max}"#
        )),
        "{text}"
    );
    assert!(text.trim_end().ends_with("# EOF"));
}

crate::on_both_engines!(metrics_need_a_token_and_count_requests);
