//! Ladder: training records, explainable scores and senior-title review for technology managers.
//!
//! One crate, two builds: `ssr` (the axum server and the command line) and `hydrate` (the
//! browser). See the README's code tour for how the modules fit together.
#![recursion_limit = "256"]

/// Server functions (the public API), one file per resource.
pub mod api;
/// The shell, the root component and the route table.
pub mod app;
/// Reusable, props-only view pieces; no server calls.
pub mod components;
/// The pure core: roles, access rules, ID numbers, levels. No I/O, no clock.
pub mod domain;
/// The two languages and the typed key table.
pub mod i18n;
/// Route-level pages: they own resources and actions.
pub mod pages;

/// Command-line faces that need no database (rulesets, scores, impact). Server build only.
#[cfg(feature = "ssr")]
pub mod cli;
/// Database access (SQLite or PostgreSQL), server only.
#[cfg(feature = "ssr")]
pub mod db;
/// Files into domain values (ruleset TOML, evidence JSON), with every problem located.
#[cfg(feature = "ssr")]
pub mod import;
/// The axum server, configuration, sessions, audit, security, the clock. Server only.
#[cfg(feature = "ssr")]
pub mod server;
/// Services without HTTP: the server's keys, the audit log's checkpoints. Server only.
#[cfg(feature = "ssr")]
pub mod service;

/// Browser entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Marks the page as live once the hydration queued above has run: the browser tests wait
    // for it before they click, so a click never lands on the server-rendered page mid-way.
    leptos::task::spawn_local(async {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
