//! Roster and attendance imports on the web: the upload page with the import history, one import's preview
//! (every row's outcome, filtered and paged) and its commit. The upload itself and the
//! downloads (JSON report, error workbook) are plain routes under `/files/imports`
//! (server::import_web), because they carry files.

use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RowCounts {
    pub total: u64,
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: u64,
    pub error: u64,
}

/// One import in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLine {
    pub id: i64,
    /// `roster` or `attendance`.
    pub kind: String,
    pub file_name: String,
    pub base_code: String,
    pub cohort_code: Option<String>,
    /// `previewed`, `committed` or `failed`.
    pub state: String,
    pub counts: RowCounts,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub size_kib: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseChoice {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// (code, name) of the base's cohorts.
    pub cohorts: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportsView {
    pub bases: Vec<BaseChoice>,
    pub history: Vec<ImportLine>,
    pub max_mib: usize,
}

/// One row of the preview table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    pub row: u32,
    /// `new`, `update`, `unchanged`, `error` or `skipped`.
    pub outcome: String,
    /// Name and masked ID number.
    pub who: String,
    /// Problems (with their cell), changes (`field: before → after`) or why it was skipped.
    pub details: Vec<String>,
    /// Warnings (a known ID number under another name).
    pub warnings: Vec<String>,
    /// The row keeps a person's identity as it is: a correction request can be sent.
    pub correction: Option<CorrectionOffer>,
}

/// What the preview offers for a row whose identity is kept as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionOffer {
    /// The person has an account, so the request can go to them.
    pub to_person: bool,
    /// A request was already sent from this row.
    pub sent: bool,
}

/// A cohort the roster's rows name that does not exist yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingCohort {
    pub code: String,
    /// How many rows name it.
    pub rows: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub line: ImportLine,
    /// Why the file could not be read, in the caller's language.
    pub failed: Option<String>,
    pub sheet: String,
    pub header_row: u32,
    pub ignored: Vec<String>,
    pub counts: RowCounts,
    /// The stored data changed since the upload: the rows show the outcome as of now.
    pub changed: bool,
    /// Cohorts the rows name that do not exist yet (a preview only).
    pub missing_cohorts: Vec<MissingCohort>,
    /// The caller may make them (the base's admin).
    pub can_add_cohort: bool,
    /// Cohorts over the confirmation share, in words.
    pub needs_confirmation: Vec<String>,
    pub can_commit: bool,
    /// The filter shown: `all`, `errors`, `updates`, `new` or `skipped`.
    pub show: String,
    pub rows: Vec<PreviewRow>,
    pub page: usize,
    pub pages: usize,
    pub shown: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitResult {
    pub committed: bool,
    pub message: String,
}

pub const PREVIEW_PAGE: usize = 100;

/// The upload form's choices and the history of the caller's bases.
#[server(endpoint = "import_page")]
pub async fn import_page() -> Result<ImportsView, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action, Visibility};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ImportAnyRosters)?;
            let bases = access::scoped_bases(&caller.grants, |base| Action::ImportRosters { base });
            let visible = Visibility::Only(bases.clone());
            let cohorts = crate::db::bases::list_cohorts(ctx.db(), &visible, None).await?;
            let choices = crate::db::bases::list_bases(ctx.db(), &visible)
                .await?
                .into_iter()
                .map(|b| BaseChoice {
                    cohorts: cohorts
                        .iter()
                        .filter(|k| k.base_id == b.id)
                        .map(|k| (k.code.clone(), k.name.clone()))
                        .collect(),
                    id: b.id,
                    code: b.code,
                    name: b.name,
                })
                .collect();
            let history = crate::db::imports::list_imports(ctx.db(), Some(&bases), 50)
                .await?
                .iter()
                .map(crate::server::import_web::line)
                .collect();
            Ok(ImportsView {
                bases: choices,
                history,
                max_mib: ctx.state.settings.import.max_import_mib,
            })
        }
        .await,
    )
}

/// One import: what each row would do (or did not do), `show` filtering, a page at a time.
#[server(endpoint = "import_preview")]
pub async fn import_preview(id: i64, show: String, page: usize) -> Result<ImportView, AppError> {
    use super::ssr::{context, respond};
    respond(
        async {
            let ctx = context().await?;
            let (_, import) = crate::server::import_web::readable(&ctx, id).await?;
            crate::server::import_web::preview(&ctx, &import, &show, page).await
        }
        .await,
    )
}

/// Commits a previewed import: all of it, or its valid rows (`valid_only`), confirming a large
/// update (`confirm`). A refusal is an answer, not an error: `committed` false and why.
#[server(endpoint = "commit_import")]
pub async fn commit_import(
    id: i64,
    valid_only: Option<String>,
    confirm: Option<String>,
) -> Result<CommitResult, AppError> {
    use super::ssr::{context, respond};
    use crate::server::imports::{self, CommitChoice, ImportError};
    respond(
        async {
            let ctx = context().await?;
            let (caller, import) = crate::server::import_web::readable(&ctx, id).await?;
            let choice = CommitChoice {
                valid_only: valid_only.is_some(),
                confirm: confirm.is_some(),
            };
            let lang = ctx.lang();
            match imports::commit_kept(
                ctx.db(),
                &caller.actor(),
                &import,
                choice,
                &ctx.state.settings.import,
                ctx.now,
            )
            .await
            {
                Ok(done) => Ok(CommitResult {
                    committed: true,
                    message: crate::server::import_web::done_message(
                        done.parsed.kind,
                        &done.plan.counts,
                        lang,
                    ),
                }),
                Err(e @ (ImportError::Db(_) | ImportError::Internal)) => {
                    tracing::error!(error = %e, import = id, "import commit");
                    Err(AppError::Internal)
                }
                Err(e) => Ok(CommitResult {
                    committed: false,
                    message: e.message(lang),
                }),
            }
        }
        .await,
    )
}

/// Makes a cohort the previewed roster names but lacks, in the import's base, with its name,
/// level and dates; the preview is then planned again.
#[server(endpoint = "import_add_cohort")]
pub async fn import_add_cohort(
    id: i64,
    code: String,
    name: String,
    level: String,
    starts_on: String,
    ends_on: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::server::org::CohortInput;
    respond(
        async {
            let ctx = context().await?;
            let (_, import) = crate::server::import_web::readable(&ctx, id).await?;
            let input = CohortInput {
                base_code: String::new(),
                code,
                name,
                level,
                starts_on,
                ends_on,
            };
            crate::server::import_cohorts::add(&ctx, &import, input).await
        }
        .await,
    )
}

/// Plans a preview again against the data as it is now: what the page then shows is what a
/// commit does.
#[server(endpoint = "replan_import")]
pub async fn replan_import(id: i64) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    respond(
        async {
            let ctx = context().await?;
            let (_, import) = crate::server::import_web::readable(&ctx, id).await?;
            crate::server::import_cohorts::replan(&ctx, &import).await
        }
        .await,
    )
}
