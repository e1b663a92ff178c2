//! Ruleset versions as the program authority manages them: import a file (a new version, or a
//! replaced draft), activate a version (it becomes immutable), load the active one. Every
//! change is audited in the same transaction.

use crate::db::audit::{self, Actor, Change};
use crate::db::rulesets::{self, NewRuleset};
use crate::db::{Db, DbError};
use crate::domain::rules::RuleSet;
use crate::import::ruleset::{RuleSetFileErrors, parse};
use crate::service::checkpoints::{self, Reason};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// The default rubric of domain.md §5 as shipped in `rulesets/` (the demo activates it).
pub const SHIPPED_DEFAULT: &str = include_str!("../../rulesets/shanghai-default.toml");

#[derive(Debug, thiserror::Error)]
pub enum RulesetStoreError {
    #[error("not a valid ruleset:\n{0}")]
    Invalid(RuleSetFileErrors),
    #[error("{code} v{version} is active or in use and cannot change; give the file a new version")]
    Locked { code: String, version: i32 },
    #[error("no ruleset {code} v{version}")]
    NotFound { code: String, version: i32 },
    #[error(transparent)]
    Db(#[from] DbError),
    /// Activated, but the score snapshots could not all be recomputed (the next change of
    /// each person's records, or another activation, recomputes them).
    #[error("activated, but the scores could not be recomputed: {0}")]
    Rescore(crate::api::AppError),
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    Created {
        id: i64,
    },
    /// The draft of the same version was replaced.
    Replaced {
        id: i64,
    },
    /// The same content was already stored.
    Unchanged {
        id: i64,
    },
}

/// Validates `source` and stores it as a draft version.
pub async fn import(
    db: &Db,
    actor: &Actor,
    source: &str,
    at: DateTime<Utc>,
) -> Result<(RuleSet, Imported), RulesetStoreError> {
    let rules = parse(source).map_err(RulesetStoreError::Invalid)?;
    let sha256 = hex::encode(Sha256::digest(source.as_bytes()));
    let version = i32::try_from(rules.version).map_err(|_| {
        RulesetStoreError::Invalid(RuleSetFileErrors(vec![
            crate::domain::rules::RuleSetError::Invalid {
                path: "meta.version".into(),
                message: "is too large".into(),
            },
        ]))
    })?;
    let new = NewRuleset {
        code: &rules.id,
        version,
        jurisdiction: &rules.jurisdiction,
        name: &rules.name,
        source,
        sha256: &sha256,
    };
    let mut tx = db.begin_write().await?;
    let outcome = match rulesets::find(&mut tx, &rules.id, version).await? {
        Some(row) if row.sha256 == sha256 => Imported::Unchanged { id: row.id },
        Some(row) if row.locked_at.is_some() => {
            return Err(RulesetStoreError::Locked {
                code: row.code,
                version,
            });
        }
        Some(row) => {
            // Locked since it was read (another instance activated it): refuse, write nothing.
            if rulesets::replace_draft(&mut tx, row.id, &new, at).await? != 1 {
                return Err(RulesetStoreError::Locked {
                    code: row.code,
                    version,
                });
            }
            Imported::Replaced { id: row.id }
        }
        None => Imported::Created {
            id: rulesets::insert(&mut tx, &new, at).await?,
        },
    };
    let (action, id) = match outcome {
        Imported::Created { id } => ("ruleset.import", id),
        Imported::Replaced { id } => ("ruleset.replace_draft", id),
        Imported::Unchanged { .. } => return Ok((rules, outcome)),
    };
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action,
            entity_type: "ruleset",
            entity_id: id.to_string(),
            before: None,
            after: Some(format!("{} v{version}; sha256={sha256}", rules.id)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((rules, outcome))
}

/// Makes `code` v`version` the active version (retiring the previous one) and locks it, then
/// recomputes everyone's score snapshot under it.
pub async fn activate(
    db: &Db,
    actor: &Actor,
    code: &str,
    version: i32,
    at: DateTime<Utc>,
) -> Result<(), RulesetStoreError> {
    let mut tx = db.begin_write().await?;
    let row = rulesets::find(&mut tx, code, version)
        .await?
        .ok_or_else(|| RulesetStoreError::NotFound {
            code: code.to_string(),
            version,
        })?;
    if row.status == "active" {
        return Ok(());
    }
    rulesets::activate(&mut tx, code, row.id, at).await?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "ruleset.activate",
            entity_type: "ruleset",
            entity_id: row.id.to_string(),
            before: Some(format!("status={}", row.status)),
            after: Some(format!("{code} v{version} active")),
        },
    )
    .await?;
    // Every ruleset activation is signed into the audit chain's checkpoints.
    let cp = checkpoints::sign_in(&mut tx, Reason::Ruleset, at).await?;
    tx.commit().await?;
    checkpoints::export(db, &cp);
    super::scores::refresh_all(db, at)
        .await
        .map_err(RulesetStoreError::Rescore)?;
    Ok(())
}

/// The active version of `code`, parsed; None when no version is active.
pub async fn active(db: &Db, code: &str) -> Result<Option<RuleSet>, RulesetStoreError> {
    match rulesets::active(db, code).await? {
        None => Ok(None),
        Some((_, source)) => parse(&source).map(Some).map_err(RulesetStoreError::Invalid),
    }
}
