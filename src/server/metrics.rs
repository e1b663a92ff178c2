//! Prometheus metrics at `/metrics` (issue 7): request latency per route, import and scoring
//! durations, and the database pool's use. The registry is the process's; the pool gauges
//! are read when the endpoint is scraped.
//!
//! prometheus-client is the Prometheus project's own Rust client: a small crate (no HTTP
//! server, no global macros) whose text encoder speaks the OpenMetrics format scrapers read.
//!
//! Access: with `LADDER_METRICS_TOKEN` set, a scraper sends `Authorization: Bearer TOKEN`.
//! Without one, only a scraper on this machine is answered, and none at all behind a reverse
//! proxy (`LADDER_TRUST_PROXY`), where every request seems to come from this machine. The
//! metrics hold route templates and counts, never a person.

use super::AppState;
use crate::db::{Db, Pool};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::net::SocketAddr;
use std::sync::LazyLock;
use std::time::Duration;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    /// The route's template (`/records`, `/files/{id}`), never the path a client sent.
    pub route: String,
    /// `2xx`, `3xx`, `4xx` or `5xx`.
    pub status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ImportLabels {
    /// `roster` or `attendance`.
    pub kind: String,
    /// `preview` (the dry run) or `commit`.
    pub phase: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ScoringLabels {
    /// `person` (one trainee's records changed) or `everyone` (another ruleset in force).
    pub scope: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PoolLabels {
    /// `in_use`, `idle` or `max`.
    pub state: String,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RouteLabels, Histogram>,
    imports: Family<ImportLabels, Histogram>,
    scoring: Family<ScoringLabels, Histogram>,
    pool: Family<PoolLabels, Gauge>,
}

fn request_buckets() -> Histogram {
    // 0.25 ms … about 8 s.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
}

fn job_buckets() -> Histogram {
    // 1 ms … about 2 minutes: a single trainee's score to a 200,000-row import.
    Histogram::new(exponential_buckets(0.001, 2.0, 18))
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("ladder");
    let requests = Family::<RouteLabels, Histogram>::new_with_constructor(request_buckets as _);
    let imports = Family::<ImportLabels, Histogram>::new_with_constructor(job_buckets as _);
    let scoring = Family::<ScoringLabels, Histogram>::new_with_constructor(job_buckets as _);
    let pool = Family::<PoolLabels, Gauge>::default();
    registry.register(
        "http_request_duration_seconds",
        "Time to answer a request, by route template, method and status class",
        requests.clone(),
    );
    registry.register(
        "import_duration_seconds",
        "Time to read, validate and plan (preview) or also write (commit) an import",
        imports.clone(),
    );
    registry.register(
        "scoring_duration_seconds",
        "Time to recompute and store scores",
        scoring.clone(),
    );
    registry.register(
        "db_pool_connections",
        "Database pool connections: in use, idle, and the maximum",
        pool.clone(),
    );
    Metrics {
        registry,
        requests,
        imports,
        scoring,
        pool,
    }
});

/// Records one answered request. A method outside the standard ones is counted as `other`:
/// a client may send any token as a method, and each label value is a new series in memory.
pub fn request(method: &str, route: &str, status: u16, took: Duration) {
    let method = match method {
        "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" => method,
        _ => "other",
    };
    let labels = RouteLabels {
        method: method.to_string(),
        route: route.to_string(),
        status: format!("{}xx", status / 100),
    };
    METRICS
        .requests
        .get_or_create(&labels)
        .observe(took.as_secs_f64());
}

/// Records an import's preview or commit.
pub fn import(kind: &str, phase: &str, took: Duration) {
    let labels = ImportLabels {
        kind: kind.to_string(),
        phase: phase.to_string(),
    };
    METRICS
        .imports
        .get_or_create(&labels)
        .observe(took.as_secs_f64());
}

/// Records a score recomputation.
pub fn scoring(scope: &str, took: Duration) {
    let labels = ScoringLabels {
        scope: scope.to_string(),
    };
    METRICS
        .scoring
        .get_or_create(&labels)
        .observe(took.as_secs_f64());
}

fn pool_usage(db: &Db) {
    let (size, idle, max) = match db.pool() {
        Pool::Sqlite(p) => (p.size(), p.num_idle(), p.options().get_max_connections()),
        Pool::Postgres(p) => (p.size(), p.num_idle(), p.options().get_max_connections()),
    };
    let idle = i64::try_from(idle).unwrap_or(i64::MAX);
    for (state, value) in [
        ("in_use", i64::from(size) - idle),
        ("idle", idle),
        ("max", i64::from(max)),
    ] {
        METRICS
            .pool
            .get_or_create(&PoolLabels {
                state: state.to_string(),
            })
            .set(value);
    }
}

/// The metrics in the OpenMetrics text format, the pool gauges read now.
pub fn render(db: &Db) -> String {
    // One scrape at a time: the pool gauges set are the ones encoded.
    static SCRAPE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = SCRAPE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    pool_usage(db);
    let mut out = String::new();
    if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &METRICS.registry) {
        tracing::error!(error = %e, "could not encode the metrics");
    }
    out
}

/// Whether this request may read the metrics (see the module's documentation).
fn allowed(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> bool {
    match state
        .settings
        .metrics_token
        .as_deref()
        .filter(|t| !t.is_empty())
    {
        Some(token) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| constant_time_eq(given.as_bytes(), token.as_bytes())),
        None => !state.settings.trust_proxy && peer.is_some_and(|p| p.ip().is_loopback()),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `GET /metrics`.
pub async fn endpoint(State(state): State<AppState>, req: Request) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(p)| *p);
    if !allowed(&state, req.headers(), peer) {
        return (StatusCode::FORBIDDEN, "forbidden\n").into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        render(&state.db),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_methods_share_one_series() {
        for m in ["FOO", "BAR", "GET"] {
            request(m, "/metrics-test", 200, Duration::from_millis(1));
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &METRICS.registry).unwrap();
        let series = |method: &str| {
            format!(r#"_count{{method="{method}",route="/metrics-test",status="2xx"}}"#)
        };
        assert!(text.contains(&format!("{} 2", series("other"))), "{text}");
        assert!(text.contains(&format!("{} 1", series("GET"))), "{text}");
        assert!(!text.contains("FOO") && !text.contains("BAR"));
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"s3cret", b"s3cret"));
        assert!(!constant_time_eq(b"s3cret", b"s3cre"));
        assert!(!constant_time_eq(b"s3cret", b"s3creT"));
    }
}
