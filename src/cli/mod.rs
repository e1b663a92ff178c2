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

/// `ladder check`: every invariant of `db::check`; the audit log verified with the keyring
/// (chain, MACs, checkpoints); every counted encrypted ballot rechecked as its bulletin board
/// (proofs, sums, decryption, counts); and every stored tally against the one the audit log
/// certified.
pub async fn check(
    db: &crate::db::Db,
    keys: &crate::service::keys::Keyring,
) -> Result<crate::db::check::CheckReport, crate::api::AppError> {
    let mut report = crate::service::checkpoints::check(db, keys).await?;
    crate::server::review::ballot::check(db, &mut report).await?;
    Ok(report)
}

/// `ladder check`'s report: what was checked, then each finding on its own line.
pub fn check_summary(r: &crate::db::check::CheckReport) -> String {
    let mut out = format!(
        "checked: {} audit rows, {} stored scores, {} score sheets, {} ballots, {} imports\n",
        r.audit_rows, r.score_snapshots, r.sheets, r.ballots, r.imports
    );
    if r.is_clean() {
        out.push_str("all invariants hold\n");
    }
    for f in &r.findings {
        out.push_str(&format!("PROBLEM [{}] {}\n", f.check, f.detail));
    }
    out
}
