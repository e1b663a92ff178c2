//! Scoring practical cases on the case rubric (domain.md §5.3): an instructor of the base
//! that verifies the case gives each criterion of the rubric in force its points, once per
//! case (a later score replaces their earlier one). Nobody scores their own case.

use super::validate::check_optional_text;
use crate::api::{AppError, FieldError};
use crate::db::Db;
use crate::db::audit::{self, Actor, Change};
use crate::db::records as store;
use crate::domain::records::Status;
use crate::i18n::Key;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// Records `reviewer`'s scores (criterion -> points as typed) of a case.
#[allow(clippy::too_many_arguments)]
pub async fn review_case(
    db: &Db,
    actor: &Actor,
    reviewer_person: i64,
    record: i64,
    typed: &BTreeMap<String, String>,
    comment: &str,
    may_review: impl Fn(i64) -> bool,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let reviewer = actor.user_id.ok_or(AppError::Forbidden)?;
    let row = store::by_id(db, record)
        .await?
        .filter(|r| r.kind == "case" && r.base_id.is_some_and(&may_review))
        .ok_or(AppError::NotFound)?;
    if row.person_id == reviewer_person {
        return Err(AppError::Forbidden);
    }
    if matches!(
        Status::parse(&row.status),
        Some(Status::Withdrawn | Status::Rejected)
    ) {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    let (_, rules) = super::scores::ruleset_in_force(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let mut scores = BTreeMap::new();
    for (criterion, max) in &rules.case_rubric {
        let field = format!("scores[{criterion}]");
        match typed
            .get(criterion)
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|p| (0..=*max).contains(p))
        {
            Some(points) => {
                scores.insert(criterion.clone(), points);
            }
            None => errors.push(FieldError::new(&field, Key::ErrRubricPoints)),
        }
    }
    if typed.keys().any(|k| !rules.case_rubric.contains_key(k)) {
        errors.push(FieldError::new("scores", Key::ErrChoose));
    }
    check_optional_text("comment", comment, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let json = serde_json::to_string(&scores).map_err(|_| AppError::Internal)?;
    let total: i64 = scores.values().sum();
    let mut tx = db.begin_write().await?;
    store::put_case_review(&mut tx, record, reviewer, &json, comment.trim(), at).await?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "case.review",
            entity_type: "record",
            entity_id: record.to_string(),
            before: None,
            after: Some(format!("{total} / 100")),
        },
    )
    .await?;
    tx.commit().await?;
    super::scores::refresh(db, row.person_id, at).await?;
    Ok(())
}
