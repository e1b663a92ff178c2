//! Revocation for misconduct (domain.md §6.1: any state → REVOKED, also after certification):
//! the committee's secretariat, or the human-resources authority, finds that a candidate's
//! application rests on fraud and ends it with a recorded reason. The step goes through the
//! state machine like any other (audited, at the application's revision); a certificate
//! already issued then verifies as revoked on the public page.

use super::panels::of_committee;
use super::step;
use crate::api::{AppError, FieldError};
use crate::db::Db;
use crate::db::audit::Actor as Who;
use crate::domain::review::procedure::{Actor, Event};
use crate::i18n::Key;
use chrono::{DateTime, Utc};

/// The longest reason, in characters.
const MAX_REASON: usize = 2000;

/// `actor` (the secretariat or the authority) revokes application `id` for misconduct.
/// `may` says whether the caller acts for the application's committee.
pub async fn revoke(
    db: &Db,
    who: &Who,
    actor: Actor,
    may: impl Fn(i64) -> bool,
    id: i64,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut app = of_committee(db, may, id).await?;
    if reason.trim().chars().count() > MAX_REASON {
        return Err(AppError::Validation(vec![FieldError::new(
            "reason",
            Key::ErrTooLong,
        )]));
    }
    let event = Event::MisconductFound {
        reason: reason.trim().to_string(),
    };
    let mut tx = db.begin_write().await?;
    step(&mut tx, &mut app, &event, actor, who, at).await?;
    tx.commit().await?;
    Ok(())
}
