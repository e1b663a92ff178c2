//! Signed checkpoints of the audit chain, and verifying the chain against them.
//!
//! A checkpoint is the chain's head — the newest row's id and hash — signed with the key
//! file's Ed25519 key, with a sequence number, the time and why it was made. One is made when
//! a database first runs with a key (the anchor: the chain as it stood, unkeyed rows included,
//! is never re-hashed), at every certified ballot, every ruleset activation, every key change
//! and at least daily. Each is stored in the database and appended as a JSON line to the
//! checkpoint file outside it (`LADDER_CHECKPOINT_FILE`; each instance writes the ones it
//! makes, and `ladder audit checkpoints` exports them all).
//!
//! What this catches, and when: a row edited, inserted or re-hashed anywhere is caught by its
//! MAC (with the key file) and, up to the newest checkpoint, by the signed head (with the
//! public key alone). Rows deleted from the end after the newest checkpoint are caught only
//! at the next one: that is the window, at most a day.

use super::keys::{Keyring, verify_signature};
use crate::db::audit::{self, AuditKeys, ChainReport, ChainTrust};
use crate::db::trust::{self, CheckpointRow};
use crate::db::{Db, DbError, Tx};
use crate::domain::audit::AuditProblem;
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use ed25519_dalek::VerifyingKey;
use std::path::Path;

/// Why a checkpoint was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Anchor,
    Certification,
    Ruleset,
    Key,
    Daily,
    Manual,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Reason::Anchor => "anchor",
            Reason::Certification => "certification",
            Reason::Ruleset => "ruleset",
            Reason::Key => "key",
            Reason::Daily => "daily",
            Reason::Manual => "manual",
        }
    }
}

/// The text a checkpoint's signature is made over.
pub fn signed_text(cp: &CheckpointRow) -> String {
    format!(
        "ladder.audit-checkpoint/1|{}|{}|{}|{}|{}|{}",
        cp.seq,
        cp.last_id,
        cp.head,
        cp.at.to_rfc3339_opts(SecondsFormat::Micros, true),
        cp.reason,
        cp.key_id
    )
}

/// A short form to print on paper (the meeting record sheet, the results workbook) and compare
/// with the database later: the sequence number, the row it covers and the head's first digits.
pub fn fingerprint(cp: &CheckpointRow) -> String {
    format!(
        "#{} · {} · {}",
        cp.seq,
        cp.last_id,
        &cp.head[..16.min(cp.head.len())]
    )
}

/// Signs the chain's head inside `tx` with its audit keys (under the audit log's lock, so it
/// covers every row the transaction appended). Export it with [`export`] after the commit.
pub async fn sign_in(
    tx: &mut Tx,
    reason: Reason,
    at: DateTime<Utc>,
) -> Result<CheckpointRow, DbError> {
    let keys = tx.audit_keys().cloned().ok_or(DbError::NoAuditKey)?;
    let (last_id, head) = audit::lock_head(tx).await?;
    let mut cp = CheckpointRow {
        seq: trust::next_seq(tx).await?,
        last_id,
        head,
        // Microseconds, as stored on both engines.
        at: DateTime::from_timestamp_micros(at.timestamp_micros()).unwrap_or(at),
        reason: reason.code().into(),
        key_id: String::new(),
        signature: String::new(),
    };
    cp.key_id = keys.current_id().to_string();
    cp.signature = hex::encode(keys.sign(signed_text(&cp).as_bytes()));
    trust::insert_checkpoint(tx, &cp).await?;
    Ok(cp)
}

/// Signs the head in a transaction of its own and exports it.
pub async fn sign(db: &Db, reason: Reason, at: DateTime<Utc>) -> Result<CheckpointRow, DbError> {
    let mut tx = db.begin_write().await?;
    let cp = sign_in(&mut tx, reason, at).await?;
    tx.commit().await?;
    export(db, &cp);
    Ok(cp)
}

/// Appends a committed checkpoint to the checkpoint file, if one is configured. A failure is
/// logged, not fatal: the checkpoint is in the database and `ladder audit checkpoints`
/// exports it again.
pub fn export(db: &Db, cp: &CheckpointRow) {
    if let Some(path) = db.audit_keys().and_then(|k| k.checkpoint_file())
        && let Err(e) = append_line(path, cp)
    {
        tracing::warn!(error = %e, file = %path.display(), seq = cp.seq, "could not append the checkpoint to the checkpoint file");
    }
}

fn append_line(path: &Path, cp: &CheckpointRow) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut line = serde_json::to_string(cp).map_err(std::io::Error::other)?;
    line.push('\n');
    // One write of a short line with O_APPEND: instances appending to a shared file interleave
    // whole lines.
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(line.as_bytes())
}

/// Reads a checkpoint file (JSON lines); the line number of the first unreadable line is the
/// error.
pub fn read_file(path: &Path) -> Result<Vec<CheckpointRow>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| format!("{} line {}: {e}", path.display(), i + 1))
        })
        .collect()
}

/// The checkpoints this keyring's processes exported (its checkpoint file), if the file exists:
/// what `ladder check` and `ladder audit verify` compare the database's with, so deleting the
/// newest checkpoints along with the rows they cover is found.
pub fn kept_outside(keys: &Keyring) -> Result<Vec<CheckpointRow>, String> {
    match keys.checkpoint_file_path() {
        Some(path) if path.exists() => read_file(path),
        _ => Ok(Vec::new()),
    }
}

/// The anchor: when the database has no checkpoint yet, signs the chain as it stands.
pub async fn anchor(db: &Db, at: DateTime<Utc>) -> Result<bool, DbError> {
    if trust::latest_checkpoint(db).await?.is_some() {
        return Ok(false);
    }
    sign(db, Reason::Anchor, at).await?;
    Ok(true)
}

/// At least daily: a checkpoint when the newest is a day old and rows have been added since.
pub async fn daily(db: &Db, at: DateTime<Utc>) -> Result<bool, DbError> {
    let Some(last) = trust::latest_checkpoint(db).await? else {
        anchor(db, at).await?;
        return Ok(true);
    };
    if at - last.at < TimeDelta::hours(24) {
        return Ok(false);
    }
    let mut tx = db.begin_read().await?;
    let (last_id, _) = audit::lock_head(&mut tx).await?;
    tx.rollback().await?;
    if last_id == last.last_id {
        return Ok(false);
    }
    sign(db, Reason::Daily, at).await?;
    Ok(true)
}

/// Whom the verifier trusts: public keys (an auditor's, or the keyring's), and the keyring
/// itself to check MACs when it is at hand.
pub struct Trust<'a> {
    pub public_keys: Vec<(String, VerifyingKey)>,
    pub key: Option<&'a Keyring>,
}

impl<'a> Trust<'a> {
    /// The server's view: every public key of the keyring, and its MACs.
    pub fn keyring(keys: &'a Keyring) -> Trust<'a> {
        Trust {
            public_keys: keys.public_keys(),
            key: Some(keys),
        }
    }
}

/// The audit log as verified: the chain, the checkpoints and every problem in words.
#[derive(Debug, Clone)]
pub struct AuditReport {
    pub chain: ChainReport,
    pub checkpoints: usize,
    pub latest: Option<CheckpointRow>,
    pub problems: Vec<AuditProblem>,
}

impl AuditReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Verifies the audit log: every checkpoint's signature (those in the database and those in
/// `external`, which must agree with the database's), the chain against the signed heads, and
/// the MACs when the keyring is at hand.
pub async fn verify(
    db: &Db,
    trust: &Trust<'_>,
    external: &[CheckpointRow],
) -> Result<AuditReport, DbError> {
    let stored = trust::checkpoints(db).await?;
    let mut problems = Vec::new();
    let mut signed: Vec<(i64, i64, String)> = Vec::new();
    let mut good = |cp: &CheckpointRow, problems: &mut Vec<AuditProblem>| {
        let sig = hex::decode(&cp.signature).unwrap_or_default();
        if verify_signature(
            &trust.public_keys,
            &cp.key_id,
            signed_text(cp).as_bytes(),
            &sig,
        ) {
            signed.push((cp.seq, cp.last_id, cp.head.clone()));
            true
        } else {
            problems.push(AuditProblem::UnsignedCheckpoint {
                seq: cp.seq,
                key: cp.key_id.clone(),
            });
            false
        }
    };
    for cp in &stored {
        good(cp, &mut problems);
    }
    for cp in external {
        match stored.iter().find(|s| s.seq == cp.seq) {
            Some(s) if s == cp => {}
            Some(_) => problems.push(AuditProblem::CheckpointDiffers { seq: cp.seq }),
            None => {
                if good(cp, &mut problems) {
                    problems.push(AuditProblem::CheckpointMissing { seq: cp.seq });
                }
            }
        }
    }
    let anchor = stored
        .iter()
        .find(|c| c.reason == Reason::Anchor.code())
        .or(stored.first())
        .map(|c| c.last_id);
    let report = audit::verify_chain(
        db,
        ChainTrust {
            checkpoints: &signed,
            anchor,
            key: trust.key.map(|k| k as &dyn AuditKeys),
        },
    )
    .await?;
    if stored.is_empty() && report.rows > 0 {
        problems.push(AuditProblem::Unanchored);
    }
    problems.extend(report.problems.iter().cloned());
    Ok(AuditReport {
        checkpoints: stored.len(),
        latest: stored.last().cloned(),
        chain: report,
        problems,
    })
}

/// `ladder check`: every invariant of `db::check`, and the audit log verified with the keyring
/// (chain, MACs, checkpoints).
pub async fn check(db: &Db, keys: &Keyring) -> Result<crate::db::check::CheckReport, DbError> {
    let mut report = crate::db::check::run(db).await?;
    let external = match kept_outside(keys) {
        Ok(rows) => rows,
        Err(e) => {
            report.found("audit", e);
            Vec::new()
        }
    };
    let audit = verify(db, &Trust::keyring(keys), &external).await?;
    report.audit_rows = audit.chain.rows;
    for p in audit.problems {
        report.found("audit", p.to_string());
    }
    Ok(report)
}
