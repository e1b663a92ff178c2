//! Command-line faces of the library: rulesets, scores and impact (no database), imports,
//! accounts, the review's calendar and clock, and backups of the embedded database.

pub mod backup;
pub mod import;
pub mod review;
pub mod rules;
pub mod users;

/// A service error as one line for the terminal: each field error with its English message.
pub fn fail(e: crate::api::AppError) -> anyhow::Error {
    match e {
        crate::api::AppError::Validation(errors) if !errors.is_empty() => anyhow::anyhow!(
            "{}",
            errors
                .iter()
                .map(|f| format!("{}: {}", f.field, crate::i18n::Lang::En.text(f.key)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        crate::api::AppError::Conflict(field) => anyhow::anyhow!("{field}: already taken"),
        other => anyhow::anyhow!("{other}"),
    }
}
