//! What verifying the audit log can find. Each problem names the row or checkpoint it is
//! about; the pages say it in the reader's language, the command line in English.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AuditProblem {
    /// The row does not chain to its predecessor, or its hash is not its contents' hash.
    Broken { row: i64 },
    /// The row's MAC is not the MAC of its hash: written or changed without the server's key.
    BadMac { row: i64 },
    /// A row after the anchor checkpoint without a MAC.
    MissingMac { row: i64 },
    /// A row authenticated with a key the key file does not hold.
    UnknownKey { row: i64, key: String },
    /// A signed checkpoint's row is missing or has another hash: rows deleted or rewritten.
    CheckpointMismatch { seq: i64, row: i64 },
    /// A checkpoint whose signature no trusted key made.
    UnsignedCheckpoint { seq: i64, key: String },
    /// A checkpoint in the checkpoint file differs from the database's.
    CheckpointDiffers { seq: i64 },
    /// A checkpoint in the checkpoint file is missing from the database.
    CheckpointMissing { seq: i64 },
    /// Rows but no checkpoint: never anchored, or its checkpoints deleted.
    Unanchored,
}

impl std::fmt::Display for AuditProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditProblem::Broken { row } => write!(f, "the hash chain breaks at audit row {row}"),
            AuditProblem::BadMac { row } => write!(
                f,
                "audit row {row} is not authenticated by the server's key (written or changed without it)"
            ),
            AuditProblem::MissingMac { row } => write!(
                f,
                "audit row {row} comes after the anchor checkpoint but carries no MAC"
            ),
            AuditProblem::UnknownKey { row, key } => write!(
                f,
                "audit row {row} was authenticated with key {key}, which the key file does not hold"
            ),
            AuditProblem::CheckpointMismatch { seq, row } => write!(
                f,
                "signed checkpoint {seq} covers audit row {row}, which is missing or has another hash: rows were deleted or rewritten"
            ),
            AuditProblem::UnsignedCheckpoint { seq, key } => {
                write!(f, "checkpoint {seq} is not signed by a trusted key ({key})")
            }
            AuditProblem::CheckpointDiffers { seq } => write!(
                f,
                "checkpoint {seq} in the database differs from the one in the checkpoint file"
            ),
            AuditProblem::CheckpointMissing { seq } => write!(
                f,
                "checkpoint {seq} of the checkpoint file is missing from the database"
            ),
            AuditProblem::Unanchored => write!(
                f,
                "the audit log has no signed checkpoint: it was never anchored, or its checkpoints were deleted"
            ),
        }
    }
}
