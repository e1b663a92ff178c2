//! Case reviews: the cases an instructor may score, and their scores on the case rubric.

use super::AppError;
use super::records::RecordView;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseToReview {
    pub record: RecordView,
    /// The caller's own scores so far, and comment.
    pub mine: Option<(BTreeMap<String, i64>, String)>,
    pub reviews: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewQueue {
    /// The rubric in force: criterion and its maximum.
    pub rubric: Vec<(String, i64)>,
    pub cases: Vec<CaseToReview>,
}

#[server(endpoint = "case_queue")]
pub async fn case_queue() -> Result<ReviewQueue, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ReviewAnyCases)?;
            let bases = access::scoped_bases(&caller.grants, |base| Action::ReviewCases { base });
            let rubric = crate::server::scores::ruleset_in_force(ctx.db())
                .await?
                .map(|(_, r)| r.case_rubric.into_iter().collect())
                .unwrap_or_default();
            let mut cases = Vec::new();
            for row in crate::db::records::cases_of_bases(ctx.db(), &bases).await? {
                // Nobody reviews their own case; it is not offered.
                if row.person_id == caller.person_id {
                    continue;
                }
                let mine = crate::db::records::my_case_review(ctx.db(), row.id, caller.user_id)
                    .await?
                    .map(|(scores, comment)| {
                        (serde_json::from_str(&scores).unwrap_or_default(), comment)
                    });
                let reviews = crate::db::records::case_reviews_of_person(ctx.db(), row.person_id)
                    .await?
                    .iter()
                    .filter(|(record, _)| *record == row.id)
                    .count();
                cases.push(CaseToReview {
                    record: RecordView::of(&row)?,
                    mine,
                    reviews,
                });
            }
            Ok(ReviewQueue { rubric, cases })
        }
        .await,
    )
}

/// Scores a case: `scores[criterion]=points` for every criterion of the rubric in force.
#[server(endpoint = "review_case")]
pub async fn review_case(
    record_id: i64,
    #[server(default)] scores: BTreeMap<String, String>,
    comment: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ReviewAnyCases)?;
            let may = |base: i64| access::allows(&caller.grants, Action::ReviewCases { base });
            crate::server::reviews::review_case(
                ctx.db(),
                &caller.actor(),
                caller.person_id,
                record_id,
                &scores,
                &comment,
                may,
                ctx.now,
            )
            .await
        }
        .await,
    )
}
