//! Ruleset versions for the program authority: check a file, store it as a draft, activate a
//! version; everyone allowed to read rulesets sees the versions and their summaries.

use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Ruleset files are small (the default is ~6 KB); anything larger is refused unread.
pub const MAX_SOURCE_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VersionStatus {
    Draft,
    Active,
    Retired,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesetVersionView {
    pub code: String,
    pub version: i32,
    pub name: String,
    pub jurisdiction: String,
    pub status: VersionStatus,
    pub locked: bool,
    pub imported_at: chrono::DateTime<chrono::Utc>,
    /// The first 12 hex digits of the file's SHA-256.
    pub sha: String,
    /// `ladder ruleset show` in the caller's language.
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesetsPage {
    pub versions: Vec<RulesetVersionView>,
    pub can_manage: bool,
}

/// What storing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stored {
    Created,
    Replaced,
    Unchanged,
}

/// The answer to a check or a store: the file's problems (none when valid), its summary when
/// valid, and what was stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesetCheck {
    pub problems: Vec<String>,
    pub summary: Option<String>,
    pub stored: Option<Stored>,
    /// The text checked, handed back so the page can keep it in the editor and save exactly
    /// what was checked.
    pub source: String,
}

#[server(endpoint = "list_rulesets")]
pub async fn list_rulesets() -> Result<RulesetsPage, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewRulesets)?;
            let lang = ctx.lang();
            let mut versions = Vec::new();
            for (row, source) in crate::db::rulesets::list_with_sources(ctx.db()).await? {
                // A stored version was valid when stored; a summary that no longer parses
                // (after a format change) is shown as its problems.
                let summary = match crate::import::ruleset::parse(&source) {
                    Ok(r) => crate::domain::explain::describe(&r, lang),
                    Err(e) => {
                        e.0.iter()
                            .map(|p| crate::domain::explain::ruleset_problem(p, lang))
                            .collect::<Vec<_>>()
                            .join("\n")
                    }
                };
                versions.push(RulesetVersionView {
                    status: match row.status.as_str() {
                        "active" => VersionStatus::Active,
                        "retired" => VersionStatus::Retired,
                        _ => VersionStatus::Draft,
                    },
                    locked: row.locked_at.is_some(),
                    sha: row.sha256.chars().take(12).collect(),
                    code: row.code,
                    version: row.version,
                    name: row.name,
                    jurisdiction: row.jurisdiction,
                    imported_at: row.imported_at,
                    summary,
                });
            }
            Ok(RulesetsPage {
                versions,
                can_manage: access::allows(&caller.grants, Action::ManageRulesets),
            })
        }
        .await,
    )
}

/// Checks a ruleset file; with `store`, also saves it as a draft version.
#[server(endpoint = "check_ruleset")]
pub async fn check_ruleset(
    source: String,
    store: Option<String>,
) -> Result<RulesetCheck, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::i18n::Key;
    use crate::server::rulesets::{self, Imported, RulesetStoreError};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ManageRulesets)?;
            if source.len() > MAX_SOURCE_BYTES {
                return Err(AppError::invalid("source", Key::ErrRulesetTooLarge));
            }
            let lang = ctx.lang();
            let rules = match crate::import::ruleset::parse(&source) {
                Ok(r) => r,
                Err(e) => {
                    return Ok(RulesetCheck {
                        problems: e
                            .0
                            .iter()
                            .map(|p| crate::domain::explain::ruleset_problem(p, lang))
                            .collect(),
                        summary: None,
                        stored: None,
                        source,
                    });
                }
            };
            let summary = Some(crate::domain::explain::describe(&rules, lang));
            if store.is_none() {
                return Ok(RulesetCheck {
                    problems: Vec::new(),
                    summary,
                    stored: None,
                    source,
                });
            }
            let stored = match rulesets::import(ctx.db(), &caller.actor(), &source, ctx.now).await {
                Ok((_, Imported::Created { .. })) => Stored::Created,
                Ok((_, Imported::Replaced { .. })) => Stored::Replaced,
                Ok((_, Imported::Unchanged { .. })) => Stored::Unchanged,
                Err(RulesetStoreError::Locked { .. }) => {
                    return Err(AppError::invalid("source", Key::RulesetLockedError));
                }
                Err(RulesetStoreError::Db(e)) => return Err(e.into()),
                Err(
                    RulesetStoreError::Invalid(_)
                    | RulesetStoreError::NotFound { .. }
                    | RulesetStoreError::Rescore(_),
                ) => {
                    return Err(AppError::Internal);
                }
            };
            Ok(RulesetCheck {
                problems: Vec::new(),
                summary,
                stored: Some(stored),
                source,
            })
        }
        .await,
    )
}

#[server(endpoint = "activate_ruleset")]
pub async fn activate_ruleset(code: String, version: i32) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::server::rulesets::{self, RulesetStoreError};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ManageRulesets)?;
            match rulesets::activate(ctx.db(), &caller.actor(), &code, version, ctx.now).await {
                Ok(()) => Ok(()),
                Err(RulesetStoreError::NotFound { .. }) => Err(AppError::NotFound),
                Err(RulesetStoreError::Db(e)) => Err(e.into()),
                Err(RulesetStoreError::Rescore(e)) => Err(e),
                Err(_) => Err(AppError::Internal),
            }
        }
        .await,
    )
}

/// Someone who would change level under the previewed version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoverView {
    pub name: String,
    pub up: bool,
    pub from_level: String,
    pub to_level: String,
    pub from_total: crate::domain::quantity::Points,
    pub to_total: crate::domain::quantity::Points,
}

/// What activating a version would change, against the version in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactView {
    pub code: String,
    pub version: i32,
    /// The whole comparison in words.
    pub text: String,
    pub people: usize,
    pub up: usize,
    pub down: usize,
    pub same: usize,
    pub movers: Vec<MoverView>,
}

/// Scores the stored population under `code` v`version` and under the version in force.
#[server(endpoint = "ruleset_impact")]
pub async fn ruleset_impact(code: String, version: i32) -> Result<ImpactView, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            ctx.require(Action::ManageRulesets)?;
            crate::server::impact::preview(ctx.db(), &code, version, ctx.lang(), ctx.now).await
        }
        .await,
    )
}
