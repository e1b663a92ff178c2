//! My progress: the caller's stored score under the ruleset in force, explained in the
//! reader's language, with the hours by module and by year for the charts.

use super::AppError;
use crate::domain::explain::Dashboard;
use crate::domain::quantity::{Hours, Points};
use crate::domain::rules::Module;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleBar {
    pub module: Module,
    pub done: Hours,
    /// What the next level asks for (none when the ruleset does not say).
    pub required: Option<Hours>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearBar {
    pub year: i32,
    pub training: Hours,
    pub ce: Hours,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressView {
    pub ruleset_code: String,
    pub ruleset_version: i32,
    pub ruleset_name: String,
    pub total: Points,
    /// Why no score is awarded (a gate blocks it), in the reader's language.
    pub blocked: Option<String>,
    pub as_of: NaiveDate,
    pub window_from: NaiveDate,
    pub window_to: NaiveDate,
    pub computed_at: DateTime<Utc>,
    pub provisional: bool,
    pub dashboard: Dashboard,
    pub modules: Vec<ModuleBar>,
    pub years: Vec<YearBar>,
    /// The caller's own evidence and the ruleset, for the what-if panel (scored in the browser).
    pub evidence: crate::domain::evidence::PersonEvidence,
    pub rules: crate::domain::rules::RuleSet,
}

/// The caller's progress; `None` while no ruleset is in force.
#[server(endpoint = "my_progress")]
pub async fn my_progress() -> Result<Option<ProgressView>, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::KeepOwnRecords)?;
            crate::server::progress::view(ctx.db(), caller.person_id, ctx.lang(), ctx.now).await
        }
        .await,
    )
}
