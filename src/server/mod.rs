//! The server: application state, the axum router with its middleware, and start-up.

pub mod accounts;
pub mod audit_view;
pub mod catalog;
pub mod clock;
pub mod config;
pub mod corrections;
pub mod demo;
pub mod demo_records;
pub mod demo_review;
pub mod exports;
pub mod files;
pub mod health;
pub mod impact;
pub mod import_cohorts;
mod import_plan;
pub mod import_web;
pub mod imports;
pub mod limits;
pub mod metrics;
pub mod observe;
pub mod org;
pub mod overview;
pub mod password;
pub mod profile;
pub mod progress;
pub mod record_input;
pub mod records;
pub mod review;
pub mod reviews;
pub mod rulesets;
pub mod scores;
pub mod security;
pub mod session;
pub mod signin;
pub mod validate;
pub mod verify;

use crate::app::{App, shell};
use crate::db::Db;
use axum::Router;
use axum::extract::FromRef;
use config::Settings;
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use limits::BodyLimit;

/// Shared by every request: the database, the settings and Leptos' own options.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub settings: Settings,
    pub leptos_options: LeptosOptions,
    /// Sign-ins refused from memory while over their limit (`signin::Refusals`).
    pub refusals: std::sync::Arc<signin::Refusals>,
    /// The server's keys (the key file): meeting keys are sealed and checkpoints signed with
    /// them; `db` authenticates audit rows with the same keyring.
    pub keys: std::sync::Arc<crate::service::keys::Keyring>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The whole HTTP application. Tests drive it in-process; `serve` binds it to a socket.
pub fn router(state: AppState) -> Router {
    router_with_routes(state, route_list())
}

/// The app's routes, found by walking the route table once. Building them renders the app
/// shell outside any request, so it must not run while requests are being served: a process
/// that builds several routers (the tests) builds the list once and passes it to each.
pub fn route_list() -> Vec<AxumRouteListing> {
    generate_route_list(App)
}

pub fn router_with_routes(state: AppState, routes: Vec<AxumRouteListing>) -> Router {
    let context_state = state.clone();
    let provide = move || provide_context(context_state.clone());
    let fallback_provide = provide.clone();
    let body_limit = state.settings.max_body_kib * 1024;
    // Evidence uploads have their own, larger limit (a file plus the form around it).
    let file_limit = state.settings.max_evidence_mib * 1024 * 1024 + 64 * 1024;
    let files = Router::new()
        .route("/files/upload", axum::routing::post(files::upload))
        .route("/files/{id}", axum::routing::get(files::download))
        .route(
            "/files/export/{cohort}/{file}",
            axum::routing::get(exports::export),
        )
        .route(
            "/files/review/{session}/{file}",
            axum::routing::get(review::record::results_download),
        )
        .route(
            "/files/ballots/{meeting}/{file}",
            axum::routing::get(review::record::board_download),
        )
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(
            BodyLimit {
                bytes: file_limit,
                shown: state.settings.max_evidence_mib << 20,
            },
            limits::body_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::same_origin,
        ));
    // Roster uploads: the import size limit (a spreadsheet plus the form around it).
    let import_limit = state.settings.import.max_import_mib * 1024 * 1024 + 64 * 1024;
    let imports = Router::new()
        .route("/files/imports", axum::routing::post(import_web::upload))
        .route(
            "/files/imports/{id}/{what}",
            axum::routing::get(import_web::download),
        )
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(
            BodyLimit {
                bytes: import_limit,
                shown: state.settings.import.max_import_mib << 20,
            },
            limits::body_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::same_origin,
        ));
    Router::new()
        .route("/healthz", axum::routing::get(health::healthz))
        .route("/readyz", axum::routing::get(health::readyz))
        .route("/metrics", axum::routing::get(metrics::endpoint))
        .leptos_routes_with_context(&state, routes, provide, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(fallback_provide, shell))
        .layer(axum::middleware::from_fn(security::bad_arguments))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::same_origin,
        ))
        .layer(axum::middleware::from_fn_with_state(
            BodyLimit {
                bytes: body_limit,
                shown: body_limit,
            },
            limits::body_limit,
        ))
        .merge(files)
        .merge(imports)
        .layer(axum::middleware::from_fn(security::headers))
        .layer(axum::middleware::from_fn(observe::log_requests))
        .with_state(state)
}

/// Leptos options for this build: the compile-time defaults (LEPTOS_* at build time), with
/// LEPTOS_SITE_ADDR / LEPTOS_SITE_ROOT from the environment taking precedence at run time.
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    Ok(get_configuration(None)?.leptos_options)
}

/// Serves until Ctrl-C / SIGTERM, then lets in-flight requests finish.
pub async fn serve(state: AppState) -> anyhow::Result<()> {
    let app = router(state.clone());
    let listener = tokio::net::TcpListener::bind(&state.leptos_options.site_addr).await?;
    // The address bound, not the one asked for: port 0 picks a free one.
    tracing::info!("listening on http://{}", listener.local_addr()?);
    serve_until(listener, app, state.db, shutdown_signal()).await
}

/// Serves `app` on `listener` until `shutdown` completes: then no new connection is
/// accepted, requests already in flight are answered, and the database is closed.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    app: Router,
    db: Db,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    // The review's calendar: notices that have run their working days move on. Every instance
    // may run it; a step another instance took first is skipped (the revision check).
    let ticking = tokio::spawn(review::clock::run_every(
        db.clone(),
        std::time::Duration::from_secs(300),
    ));
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        tracing::info!("shutting down: finishing the requests in flight");
    })
    .await;
    ticking.abort();
    db.close().await;
    served?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
