//! Roster and attendance imports end to end: read the file on a blocking thread, compare with
//! what is stored, keep the file for the commit, and commit in one transaction that
//! re-validates first. The web pages and `ladder import roster|attendance` come through here.

use crate::db::audit::{self, Actor, Change};
use crate::db::imports::{self as store, ImportRow, NewImport};
use crate::db::{Db, DbError};
use crate::i18n::Lang;
use crate::import::roster::plan::{Plan, Share};
use crate::import::roster::{Kind, Parsed, RosterError};
use crate::import::sheet::{Format, SheetError};
use crate::server::config::ImportSettings;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// An uploaded file, what it holds, and where it goes.
#[derive(Debug, Clone)]
pub struct ImportFile {
    pub kind: Kind,
    pub base_id: i64,
    /// The cohort for rows that name none (files without a 培训班次 column).
    pub cohort: Option<String>,
    pub file_name: String,
    pub bytes: Arc<Vec<u8>>,
}

impl ImportFile {
    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(self.bytes.as_slice()))
    }
}

/// A read and planned file.
#[derive(Debug, Clone)]
pub struct Analysed {
    pub format: Format,
    pub parsed: Parsed,
    pub plan: Plan,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    File(#[from] SheetError),
    #[error(transparent)]
    Roster(#[from] RosterError),
    #[error("the file or the stored data changed since the preview")]
    Changed,
    #[error("{0} rows have errors")]
    HasErrors(u64),
    #[error("the import would update more than the allowed share of a cohort")]
    NeedsConfirmation(Vec<Share>),
    #[error("this import was already committed")]
    AlreadyCommitted,
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("internal error")]
    Internal,
}

impl ImportError {
    /// What the clerk reads (no internal detail).
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            ImportError::File(e) => e.message(lang),
            ImportError::Roster(e) => e.message(lang),
            ImportError::Changed => if zh {
                "预览之后，文件或系统中的数据已经变化，未导入任何内容。请重新预览。"
            } else {
                "The data changed after the preview; nothing was imported. Preview again."
            }
            .to_string(),
            ImportError::HasErrors(n) => {
                if zh {
                    format!(
                        "有 {n} 行存在错误，未导入任何内容。可以改正后重新上传，或选择“只导入无误的行”。"
                    )
                } else {
                    format!(
                        "{n} rows have errors; nothing was imported. Fix them and upload again, or choose to import the valid rows only."
                    )
                }
            }
            ImportError::NeedsConfirmation(shares) => {
                let list = shares
                    .iter()
                    .map(|s| format!("{} ({}/{})", s.cohort, s.updated, s.members))
                    .collect::<Vec<_>>()
                    .join(", ");
                if zh {
                    format!(
                        "这次导入会修改以下班次中较多学员的信息：{list}。请确认无误后再导入（命令行加 --confirm）。"
                    )
                } else {
                    format!(
                        "This import would change many people of these cohorts: {list}. Confirm to go ahead (--confirm on the command line)."
                    )
                }
            }
            ImportError::AlreadyCommitted => if zh {
                "这次导入已经提交过。"
            } else {
                "This import was already committed."
            }
            .to_string(),
            ImportError::Db(_) | ImportError::Internal => if zh {
                "服务器内部错误，未导入任何内容。请稍后再试。"
            } else {
                "Internal error; nothing was imported. Try again later."
            }
            .to_string(),
        }
    }
}

/// The dry run: what the import would do. Changes nothing. The rows' cells are kept only
/// where there is a problem; see [`analyse_for_error_workbook`].
pub async fn analyse(
    db: &Db,
    file: &ImportFile,
    settings: &ImportSettings,
) -> Result<Analysed, ImportError> {
    dry_run(db, file, settings, false).await
}

/// The dry run with every row's cells, as the error workbook shows them.
pub async fn analyse_for_error_workbook(
    db: &Db,
    file: &ImportFile,
    settings: &ImportSettings,
) -> Result<Analysed, ImportError> {
    dry_run(db, file, settings, true).await
}

async fn dry_run(
    db: &Db,
    file: &ImportFile,
    settings: &ImportSettings,
    keep_cells: bool,
) -> Result<Analysed, ImportError> {
    let started = std::time::Instant::now();
    let today = super::clock::china_date(super::clock::now());
    let tx = db.begin_read().await?;
    let (format, parsed, plan, tx) =
        super::import_plan::read_and_plan(tx, file, settings, keep_cells, today).await?;
    tx.rollback().await?;
    super::metrics::import(file.kind.code(), "preview", started.elapsed());
    tracing::info!(
        kind = file.kind.code(),
        rows = plan.counts.total,
        total_ms = started.elapsed().as_millis(),
        "import analysed"
    );
    Ok(Analysed {
        format,
        parsed,
        plan,
    })
}

fn counts_json(plan: &Plan) -> String {
    serde_json::to_string(&plan.counts).unwrap_or_default()
}

/// One row of the import history, in state `previewed`.
async fn record_import(
    tx: &mut crate::db::Tx,
    actor: &Actor,
    file: &ImportFile,
    sha: &str,
    cohort_id: Option<i64>,
    plan: &Plan,
    at: DateTime<Utc>,
) -> Result<i64, ImportError> {
    Ok(store::insert_import(
        tx,
        &NewImport {
            kind: file.kind.code(),
            base_id: file.base_id,
            cohort_id,
            file_name: &file.file_name,
            size: file.bytes.len() as i64,
            sha256: Some(sha),
            digest: &plan.digest,
            counts: &counts_json(plan),
            error: None,
            created_by: actor.user_id,
        },
        at,
    )
    .await?)
}

/// Records an upload that could not be read, with its message in both languages, so the
/// history shows it and the clerk's page can say what was wrong.
pub async fn record_failure(
    db: &Db,
    actor: &Actor,
    file: &ImportFile,
    error: &ImportError,
    at: DateTime<Utc>,
) -> Result<i64, ImportError> {
    let message: serde_json::Map<String, serde_json::Value> = Lang::ALL
        .into_iter()
        .map(|l| (l.code().to_string(), error.message(l).into()))
        .collect();
    let message = serde_json::Value::Object(message).to_string();
    let mut tx = db.begin_write().await?;
    let id = store::insert_import(
        &mut tx,
        &NewImport {
            kind: file.kind.code(),
            base_id: file.base_id,
            cohort_id: None,
            file_name: &file.file_name,
            size: file.bytes.len() as i64,
            sha256: None,
            digest: "",
            counts: "{}",
            error: Some(&message),
            created_by: actor.user_id,
        },
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Keeps the file and the preview's digest, so that a commit on any instance can find both.
pub async fn keep_preview(
    db: &Db,
    actor: &Actor,
    file: &ImportFile,
    analysed: &Analysed,
    at: DateTime<Utc>,
) -> Result<i64, ImportError> {
    let sha = file.sha256();
    let cohort_id = match &file.cohort {
        Some(code) => crate::db::bases::cohort_by_code(db, code)
            .await?
            .map(|k| k.id),
        None => None,
    };
    let mut tx = db.begin_write().await?;
    store::keep_file(&mut tx, &sha, &file.bytes, at).await?;
    let id = record_import(&mut tx, actor, file, &sha, cohort_id, &analysed.plan, at).await?;
    tx.commit().await?;
    Ok(id)
}

/// Plans a kept preview again against the stored data as it is now and keeps that outcome
/// (its digest and counts) as the one the commit must match: after the clerk made a cohort
/// the roster lacked, or when the page showed that the data changed since the upload.
pub async fn replan(
    db: &Db,
    import: &ImportRow,
    settings: &ImportSettings,
) -> Result<Analysed, ImportError> {
    if import.state != "previewed" {
        return Err(ImportError::AlreadyCommitted);
    }
    let file = kept_file(db, import).await?;
    let analysed = analyse(db, &file, settings).await?;
    if !store::replan(
        db,
        import.id,
        &analysed.plan.digest,
        &counts_json(&analysed.plan),
    )
    .await?
    {
        // Committed meanwhile.
        return Err(ImportError::AlreadyCommitted);
    }
    Ok(analysed)
}

/// How a commit was asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct CommitChoice {
    /// Import the valid rows when some rows have errors (otherwise nothing is imported).
    pub valid_only: bool,
    /// Go ahead although the import changes more than the share that needs confirming.
    pub confirm: bool,
}

/// The kept file of an import (none for one that could not be read).
pub async fn kept_file(db: &Db, import: &ImportRow) -> Result<ImportFile, ImportError> {
    let sha = import.sha256.as_deref().ok_or(ImportError::Changed)?;
    let bytes = store::file_content(db, sha)
        .await?
        .ok_or(ImportError::Changed)?;
    Ok(ImportFile {
        kind: Kind::parse(&import.kind).ok_or(ImportError::Internal)?,
        base_id: import.base_id,
        cohort: import.cohort_code.clone(),
        file_name: import.file_name.clone(),
        bytes: Arc::new(bytes),
    })
}

/// Commits a kept preview (web) — re-reading the kept file, re-validating inside the
/// transaction and refusing when the outcome differs from the preview's.
pub async fn commit_kept(
    db: &Db,
    actor: &Actor,
    import: &ImportRow,
    choice: CommitChoice,
    settings: &ImportSettings,
    at: DateTime<Utc>,
) -> Result<Analysed, ImportError> {
    if import.state != "previewed" {
        return Err(ImportError::AlreadyCommitted);
    }
    let file = kept_file(db, import).await?;
    commit(
        db,
        actor,
        &file,
        Some(&import.digest),
        Some(import.id),
        choice,
        settings,
        at,
    )
    .await
}

/// Commits `file` if its outcome still has `expected_digest`: the preview the clerk saw (web).
/// Without one (the command line, which shows its report after) it commits what it plans,
/// reading and planning the file once. `import_id` is the kept preview (web); without one the
/// file and the import are recorded here.
#[allow(clippy::too_many_arguments)]
pub async fn commit(
    db: &Db,
    actor: &Actor,
    file: &ImportFile,
    expected_digest: Option<&str>,
    import_id: Option<i64>,
    choice: CommitChoice,
    settings: &ImportSettings,
    at: DateTime<Utc>,
) -> Result<Analysed, ImportError> {
    let started = std::time::Instant::now();
    let today = super::clock::china_date(at);
    let tx = db.begin_write().await?;
    let (format, parsed, plan, mut tx) =
        super::import_plan::read_and_plan(tx, file, settings, false, today).await?;
    let refusal = if expected_digest.is_some_and(|d| plan.digest != d) {
        Some(ImportError::Changed)
    } else if plan.counts.error > 0 && !choice.valid_only {
        Some(ImportError::HasErrors(plan.counts.error))
    } else if !plan.over_share.is_empty() && !choice.confirm {
        Some(ImportError::NeedsConfirmation(plan.over_share.clone()))
    } else {
        None
    };
    if let Some(refusal) = refusal {
        tx.rollback().await?;
        return Err(refusal);
    }
    let sha = file.sha256();
    let id = match import_id {
        Some(id) => id,
        None => {
            store::keep_file(&mut tx, &sha, &file.bytes, at).await?;
            let cohort_id = match &file.cohort {
                Some(code) => store::cohort_id(&mut tx, code).await?,
                None => None,
            };
            record_import(&mut tx, actor, file, &sha, cohort_id, &plan, at).await?
        }
    };
    tracing::info!(
        import = id,
        kind = file.kind.code(),
        rows = plan.counts.total,
        "import validated; writing"
    );
    // A concurrent import that created the same person first: this one's picture is stale.
    let written = match file.kind {
        Kind::Roster => store::apply(&mut tx, &plan.writes, id, at).await,
        Kind::Attendance => {
            use crate::db::attendance::{insert_training, verify_records};
            let w = &plan.writes;
            match insert_training(&mut tx, file.base_id, &w.training, id, actor.user_id, at).await {
                Ok(()) => verify_records(&mut tx, &w.verify, actor.user_id, at).await,
                Err(e) => Err(e),
            }
        }
    };
    if let Err(e) = written {
        tx.rollback().await?;
        return Err(match e {
            DbError::Conflict { .. } => ImportError::Changed,
            other => other.into(),
        });
    }
    if !store::mark_committed(&mut tx, id, &counts_json(&plan), choice.valid_only, at).await? {
        tx.rollback().await?;
        return Err(ImportError::AlreadyCommitted);
    }
    let c = plan.counts;
    tracing::info!(
        import = id,
        kind = file.kind.code(),
        rows = c.total,
        new = c.new,
        updated = c.updated,
        total_ms = started.elapsed().as_millis(),
        "import written"
    );
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: match file.kind {
                Kind::Roster => "import.roster.commit",
                Kind::Attendance => "import.attendance.commit",
            },
            entity_type: "import",
            entity_id: id.to_string(),
            before: None,
            after: Some(format!(
                "file={}; sha256={sha}; base={}; rows={}; new={}; updated={}; unchanged={}; skipped={}; error={}; valid_only={}",
                file.file_name.replace(';', ","),
                file.base_id,
                c.total,
                c.new,
                c.updated,
                c.unchanged,
                c.skipped,
                c.error,
                choice.valid_only
            )),
        },
    )
    .await?;
    tx.commit().await?;
    super::metrics::import(file.kind.code(), "commit", started.elapsed());
    // New verified hours change the trainees' scores.
    let w = &plan.writes;
    let mut people: Vec<i64> = w.training.iter().map(|t| t.person_id).collect();
    people.extend(w.verify.iter().map(|v| v.person_id));
    people.sort_unstable();
    people.dedup();
    for person in people {
        if let Err(e) = super::scores::refresh(db, person, at).await {
            tracing::error!(error = ?e, person, "score refresh after attendance import");
        }
    }
    Ok(Analysed {
        format,
        parsed,
        plan,
    })
}
