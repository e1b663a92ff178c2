//! The training base's verification queue: records of its trainees awaiting a decision, with
//! every other claim on the same contract, and the decisions (one by one or in bulk).

use super::AppError;
use super::records::RecordView;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Another manager's claim on the same contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherClaim {
    pub person_name: String,
    pub record: RecordView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub record: RecordView,
    pub other_claims: Vec<OtherClaim>,
}

#[server(endpoint = "verification_queue")]
pub async fn verification_queue() -> Result<Vec<QueueItem>, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::VerifyAnyRecords)?;
            let bases = access::scoped_bases(&caller.grants, |base| Action::VerifyRecords { base });
            let mut out = Vec::new();
            for row in crate::db::records::queue(ctx.db(), &bases).await? {
                let mut other_claims = Vec::new();
                if let Some(deal) = row.deal_id {
                    for claim in crate::db::records::claims_on(ctx.db(), deal).await? {
                        if claim.id != row.id {
                            other_claims.push(OtherClaim {
                                person_name: claim.person_name.clone(),
                                record: RecordView::of(&claim)?,
                            });
                        }
                    }
                }
                let mut record = RecordView::of(&row)?;
                record.files = crate::db::files::of_record(ctx.db(), row.id)
                    .await?
                    .iter()
                    .map(super::records::FileView::of)
                    .collect();
                out.push(QueueItem {
                    record,
                    other_claims,
                });
            }
            Ok(out)
        }
        .await,
    )
}

/// `decision` is `verify`, `reject`, `accept` (a correction) or `refuse` (a correction); a
/// rejection or refusal needs `reason`, which the trainee sees.
#[server(endpoint = "decide_record")]
pub async fn decide_record(
    record_id: i64,
    decision: String,
    reason: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    use crate::server::verify::{self, Decision};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::VerifyAnyRecords)?;
            let decision = match decision.as_str() {
                "verify" => Decision::Verify,
                "reject" => Decision::Reject { reason },
                "accept" => Decision::AcceptCorrection,
                "refuse" => Decision::RefuseCorrection { reason },
                _ => return Err(AppError::invalid("decision", crate::i18n::Key::ErrChoose)),
            };
            let may = |base: i64| access::allows(&caller.grants, Action::VerifyRecords { base });
            verify::decide(
                ctx.db(),
                &caller.actor(),
                record_id,
                &decision,
                may,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

/// Verifies the listed records (comma-separated ids); answers how many were verified. Records
/// that are not the caller's to decide, or no longer waiting, are left as they are.
#[server(endpoint = "verify_records")]
pub async fn verify_records(ids: String) -> Result<usize, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::VerifyAnyRecords)?;
            let ids = crate::server::validate::parse_ids("ids", &ids)?;
            let may = |base: i64| access::allows(&caller.grants, Action::VerifyRecords { base });
            let (done, _) =
                crate::server::verify::verify_many(ctx.db(), &caller.actor(), &ids, may, ctx.now)
                    .await?;
            Ok(done)
        }
        .await,
    )
}

/// Records who attended a held session (comma-separated person ids of cohort members): each
/// gets a verified training record; answers how many records are new.
#[server(endpoint = "record_attendance")]
pub async fn record_attendance(session_id: i64, present: String) -> Result<usize, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::VerifyAnyRecords)?;
            let present = crate::server::validate::parse_ids("present", &present)?;
            let may = |base: i64| access::allows(&caller.grants, Action::VerifyRecords { base });
            crate::server::verify::record_attendance(
                ctx.db(),
                &caller.actor(),
                session_id,
                &present,
                may,
                ctx.now,
            )
            .await
        }
        .await,
    )
}
