//! Browsing the audit log (auditors and system admins), and checking its hash chain.

use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The actor as recorded: a login, or the command line's label.
    pub actor: String,
    /// The signed-in actor's name, as the people table holds it now (the page adds the login).
    pub actor_name: Option<String>,
    /// The action's code ("record.create"); the page shows it in words.
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    /// The entity named (a person's name, a record's ledger id), where it can be.
    pub entity_ref: Option<String>,
    /// The change as recorded (codes in it are put in words by the page).
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub actions: Vec<String>,
    pub entity_types: Vec<String>,
}

/// The audit log as verified with the server's keys: the chain, every row's MAC and the
/// signed checkpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainStatus {
    pub rows: i64,
    pub macs: i64,
    pub checkpoints: usize,
    /// The newest checkpoint: its fingerprint and when it was signed.
    pub latest: Option<(String, chrono::DateTime<chrono::Utc>)>,
    pub problems: Vec<crate::domain::audit::AuditProblem>,
}

#[server(endpoint = "list_audit")]
pub async fn list_audit(
    action: String,
    entity_type: String,
    actor: String,
    page: i64,
) -> Result<AuditPage, AppError> {
    use super::ssr::{context, respond};
    use crate::db::audit::{self, AuditFilter};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            ctx.require(Action::ViewAudit)?;
            let page = page.max(1);
            let filter = AuditFilter {
                action: action.trim().to_string(),
                entity_type: entity_type.trim().to_string(),
                actor: actor.trim().to_string(),
                limit: PAGE_SIZE,
                offset: (page - 1) * PAGE_SIZE,
            };
            let (rows, total) = audit::list(ctx.db(), &filter).await?;
            let (actions, entity_types) = audit::facets(ctx.db()).await?;
            Ok(AuditPage {
                entries: crate::server::audit_view::entries(ctx.db(), rows).await?,
                total,
                page,
                pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
                actions,
                entity_types,
            })
        }
        .await,
    )
}

/// Recomputes the whole chain: linear in the log's length, so it runs on request, not on
/// every page view.
#[server(endpoint = "verify_audit_chain")]
pub async fn verify_audit_chain() -> Result<ChainStatus, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::service::checkpoints::{self, Trust};
    respond(
        async {
            let ctx = context().await?;
            ctx.require(Action::ViewAudit)?;
            let r = checkpoints::verify(ctx.db(), &Trust::keyring(&ctx.state.keys), &[]).await?;
            Ok(ChainStatus {
                rows: r.chain.rows,
                macs: r.chain.macs,
                checkpoints: r.checkpoints,
                latest: r
                    .latest
                    .as_ref()
                    .map(|c| (checkpoints::fingerprint(c), c.at)),
                problems: r.problems,
            })
        }
        .await,
    )
}
