//! A roster naming a cohort that does not exist yet: the preview lists such cohorts, the
//! base's admin makes one from there (with its name, level and dates), and the preview is
//! planned again — as is any preview whose outcome changed since the upload, on request, so
//! the clerk can commit what the page now shows.

use super::imports::{self, ImportError};
use super::org::{self, CohortInput};
use crate::api::imports::MissingCohort;
use crate::api::ssr::Ctx;
use crate::api::{AppError, FieldError};
use crate::db::imports::ImportRow;
use crate::domain::access::{self, Action};
use crate::import::roster::codes::{Code, Detail};
use crate::import::roster::plan::{Outcome, Plan};
use std::collections::BTreeMap;

/// The cohorts rows name that do not exist (in any base), with how many rows name each, the
/// most named first.
pub fn missing(plan: &Plan) -> Vec<MissingCohort> {
    let mut rows: BTreeMap<&str, u64> = BTreeMap::new();
    for p in plan.rows.iter().filter(|p| p.outcome == Outcome::Error) {
        // One count per row, however many of its cells say so.
        let code = p.issues.iter().find_map(|i| match (&i.code, &i.detail) {
            (Code::UnknownCohort, Detail::Cohort { code }) => Some(code.as_str()),
            _ => None,
        });
        if let Some(code) = code {
            *rows.entry(code).or_default() += 1;
        }
    }
    let mut missing: Vec<MissingCohort> = rows
        .into_iter()
        .map(|(code, rows)| MissingCohort {
            code: code.to_string(),
            rows,
        })
        .collect();
    // The cohort most rows name first (and chosen in the form): a stray code is usually a typo.
    missing.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.code.cmp(&b.code)));
    missing
}

/// Makes a cohort the previewed roster names and lacks, in the import's base, then plans the
/// preview again. Only a cohort the roster lacks, and only by someone who may add cohorts to
/// the base; the cohort is validated and audited as any other.
pub async fn add(ctx: &Ctx, import: &ImportRow, input: CohortInput) -> Result<(), AppError> {
    let caller = ctx.require(Action::AddCohort {
        base: import.base_id,
    })?;
    if import.state != "previewed" {
        return Err(AppError::Refused(crate::i18n::Key::ErrImportNotPreviewed));
    }
    let analysed = reanalyse(ctx, import).await?;
    let code = input.code.trim().to_string();
    if !missing(&analysed.plan).iter().any(|m| m.code == code) {
        return Err(AppError::Validation(vec![FieldError::new(
            "code",
            crate::i18n::Key::ErrCohortNotMissing,
        )]));
    }
    let grants = caller.grants.clone();
    org::add_cohort(
        ctx.db(),
        &caller.actor(),
        &CohortInput {
            base_code: import.base_code.clone(),
            code,
            ..input
        },
        |base| access::allows(&grants, Action::AddCohort { base }),
        ctx.now,
    )
    .await?;
    replan(ctx, import).await
}

/// Plans a previewed import again against the data as it is now, and keeps that outcome as
/// the one its commit must match.
pub async fn replan(ctx: &Ctx, import: &ImportRow) -> Result<(), AppError> {
    imports::replan(ctx.db(), import, &ctx.state.settings.import)
        .await
        .map(|_| ())
        .map_err(|e| match e {
            ImportError::AlreadyCommitted => {
                AppError::Refused(crate::i18n::Key::ErrImportNotPreviewed)
            }
            e => {
                tracing::error!(error = %e, import = import.id, "planning an import again");
                AppError::Internal
            }
        })
}

async fn reanalyse(ctx: &Ctx, import: &ImportRow) -> Result<imports::Analysed, AppError> {
    let file = imports::kept_file(ctx.db(), import)
        .await
        .map_err(internal)?;
    imports::analyse(ctx.db(), &file, &ctx.state.settings.import)
        .await
        .map_err(internal)
}

fn internal(e: ImportError) -> AppError {
    tracing::error!(error = %e, "reading a kept import");
    AppError::Internal
}
