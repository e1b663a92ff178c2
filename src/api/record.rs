//! The outputs of a review session: the meeting record sheet (domain.md §6.3) for the
//! secretariat and the chair to print and sign, and the results workbook (.xlsx, served at
//! `/files/review/{session}/results.xlsx`).

use super::AppError;
use crate::domain::quantity::Points;
use crate::domain::review::ballot::Verdict;
use crate::domain::review::defense::DefenseResult;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A present member recused from a candidate, with the reason found or declared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecusalLine {
    pub member: String,
    pub candidate: String,
    /// The conflict's kind code (same_employer, counterparty, …) and its detail.
    pub kind: String,
    pub detail: String,
}

/// A candidate's line on the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateLine {
    pub application_id: i64,
    pub name: String,
    pub unit: String,
    pub panel: String,
    /// The panel's mean sheet total and, in a session with a defense, the defense's result.
    pub panel_mean: Option<Points>,
    pub defense: Option<DefenseResult>,
    pub attending: u32,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    /// None until counted.
    pub verdict: Option<Verdict>,
    /// The chair has certified the result.
    pub certified: bool,
    pub digest: String,
    /// How it was counted: encrypted, paper, or counter (before the encrypted ballot).
    pub method: String,
}

/// The meeting record (domain.md §6.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordSheet {
    pub meeting_id: i64,
    pub session_id: i64,
    pub session_code: String,
    pub session_name: String,
    pub committee: String,
    pub panels: Vec<String>,
    pub held_on: NaiveDate,
    pub chair: String,
    pub members_total: u32,
    pub present: Vec<String>,
    pub absent: Vec<String>,
    pub quorum: String,
    pub pass: String,
    pub recusals: Vec<RecusalLine>,
    pub candidates: Vec<CandidateLine>,
    /// SHA-256 over every candidate's ballot digest, in the order listed: one value that
    /// changes if any ballot does.
    pub sealed_ballot_hash: String,
    /// The meeting key's fingerprint (none for meetings before the encrypted ballot).
    pub key_fingerprint: Option<String>,
    /// The newest signed checkpoint of the audit log, as printed: a later deletion of audit
    /// rows is caught against it.
    pub checkpoint: Option<String>,
    pub printed_at: DateTime<Utc>,
}

/// The record of the session's latest meeting (secretariat and chair of its committee).
#[server(endpoint = "meeting_record")]
pub async fn meeting_record(session_id: i64) -> Result<RecordSheet, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewAnyReviews)?;
            crate::server::review::record::record(ctx.db(), &caller.grants, session_id, ctx.now)
                .await
        }
        .await,
    )
}
