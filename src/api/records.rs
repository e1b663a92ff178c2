//! A trainee's own records: list (filter, sort, page), add, edit, withdraw, correct.
// A deal form has fourteen fields, each a server-function argument (also on the generated
// browser-side function, which an item-level allow does not reach).
#![allow(clippy::too_many_arguments)]

use super::AppError;
use crate::domain::quantity::Hours;
use crate::domain::records::{Entry, RecordKind, Status};
use crate::domain::rules::Module;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One record as its owner or its verifier sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordView {
    pub id: i64,
    /// The id the score ledger shows (`T12`).
    pub ledger_id: String,
    pub kind: RecordKind,
    pub status: Status,
    pub version: i32,
    pub date: chrono::NaiveDate,
    pub entry: Entry,
    /// A correction awaiting the base's decision, with the trainee's reason.
    pub pending: Option<(Entry, String)>,
    /// Why the base rejected the record or refused the last correction.
    pub reason: Option<String>,
    pub person_name: String,
    /// Attached evidence.
    pub files: Vec<FileView>,
}

/// An attached evidence file (its bytes are at `/files/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileView {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub image: bool,
    pub size: i64,
}

#[cfg(feature = "ssr")]
impl FileView {
    pub fn of(f: &crate::db::files::FileRow) -> FileView {
        FileView {
            id: f.id,
            kind: f.kind.clone(),
            name: f.file_name.clone(),
            image: f.content_type.starts_with("image/"),
            size: f.size,
        }
    }
}

#[cfg(feature = "ssr")]
impl RecordView {
    pub fn of(row: &crate::db::records::RecordRow) -> Result<RecordView, AppError> {
        use crate::server::scores::entry_of;
        let entry = entry_of(&row.payload)?;
        let pending = match &row.pending_payload {
            Some(p) => Some((
                entry_of(p)?,
                row.pending_note
                    .as_deref()
                    .unwrap_or_default()
                    .trim_start_matches("correction: ")
                    .to_string(),
            )),
            None => None,
        };
        Ok(RecordView {
            id: row.id,
            ledger_id: crate::domain::records::ledger_id(entry.kind(), row.id),
            kind: entry.kind(),
            status: Status::parse(&row.status).ok_or(AppError::Internal)?,
            version: row.version,
            date: row.record_date,
            entry,
            pending,
            reason: row.reason.clone(),
            person_name: row.person_name.clone(),
            files: Vec::new(),
        })
    }
}

/// A catalog course the trainee may log (from the bases of their cohorts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseChoice {
    pub code: String,
    pub title: String,
    pub module: Module,
    pub hours: Hours,
    pub practicum: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordsPage {
    pub records: Vec<RecordView>,
    /// Matching records in all pages.
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

/// What the add forms offer: the catalog courses of the caller's cohorts' bases, and those
/// cohorts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormOptions {
    pub courses: Vec<CourseChoice>,
    pub cohorts: Vec<String>,
    /// The largest evidence file accepted, in MiB.
    pub max_evidence_mib: usize,
    /// Random, new on every render of the page: with a form's kind and how many times it was
    /// cleared it makes the key of one filled-in form, so sending it twice saves it once.
    pub form_nonce: String,
}

pub const PAGE_SIZE: usize = 20;

/// The caller's records, newest first (`sort = "oldest"` for oldest first), filtered by kind
/// and state (blank: all), one page at a time (pages count from 1).
#[server(endpoint = "my_records")]
pub async fn my_records(
    kind: String,
    status: String,
    sort: String,
    page: usize,
) -> Result<RecordsPage, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::KeepOwnRecords)?;
            let kind = RecordKind::parse(&kind);
            let status = Status::parse(&status);
            let mut records = Vec::new();
            let files = crate::db::files::of_person(ctx.db(), caller.person_id).await?;
            for row in crate::db::records::of_person(ctx.db(), caller.person_id).await? {
                let mut view = RecordView::of(&row)?;
                view.files = files
                    .iter()
                    .filter(|f| f.record_id == row.id)
                    .map(FileView::of)
                    .collect();
                if kind.is_none_or(|k| k == view.kind) && status.is_none_or(|s| s == view.status) {
                    records.push(view);
                }
            }
            if sort == "oldest" {
                records.reverse();
            }
            let total = records.len();
            let pages = total.div_ceil(PAGE_SIZE).max(1);
            let page = page.clamp(1, pages);
            let records = records
                .into_iter()
                .skip((page - 1) * PAGE_SIZE)
                .take(PAGE_SIZE)
                .collect();
            Ok(RecordsPage {
                records,
                total,
                page,
                pages,
            })
        }
        .await,
    )
}

#[server(endpoint = "record_options")]
pub async fn record_options() -> Result<FormOptions, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{Action, Visibility};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::KeepOwnRecords)?;
            let cohorts = crate::db::bases::cohorts_of_person(ctx.db(), caller.person_id).await?;
            let bases: Vec<i64> = cohorts.iter().map(|k| k.base_id).collect();
            let courses = crate::db::courses::list(ctx.db(), &Visibility::Only(bases))
                .await?
                .into_iter()
                .filter(|k| k.active)
                .filter_map(|k| {
                    Some(CourseChoice {
                        module: Module::parse(&k.module)?,
                        hours: Hours(k.hours),
                        practicum: k.kind == "practicum",
                        code: k.code,
                        title: k.title,
                    })
                })
                .collect();
            Ok(FormOptions {
                max_evidence_mib: ctx.state.settings.max_evidence_mib,
                courses,
                cohorts: cohorts.into_iter().map(|k| k.code).collect(),
                form_nonce: crate::server::session::new_token()[..32].to_string(),
            })
        }
        .await,
    )
}

/// Adds (`record_id` 0) or edits a training record; editing a verified one files a correction
/// request with `reason`.
#[server(endpoint = "save_training")]
pub async fn save_training(
    record_id: i64,
    course_code: String,
    cohort_code: String,
    module: String,
    mode: String,
    hours: String,
    date: String,
    provider: String,
    title: String,
    reason: String,
    form_key: String,
) -> Result<i64, AppError> {
    use crate::server::records::{Input, TrainingInput};
    save(
        record_id,
        Input::Training(TrainingInput {
            course_code,
            cohort_code,
            module,
            mode,
            hours,
            date,
            provider,
            title,
        }),
        reason,
        form_key,
    )
    .await
}

#[server(endpoint = "save_ce")]
pub async fn save_ce(
    record_id: i64,
    category: String,
    mode: String,
    hours: String,
    date: String,
    provider: String,
    title: String,
    reason: String,
    form_key: String,
) -> Result<i64, AppError> {
    use crate::server::records::{CeInput, Input};
    save(
        record_id,
        Input::Ce(CeInput {
            category,
            mode,
            hours,
            date,
            provider,
            title,
        }),
        reason,
        form_key,
    )
    .await
}

/// A deal claim: amounts in 万元, the share in percent. `dispute` is a checkbox (present = on).
#[server(endpoint = "save_deal")]
pub async fn save_deal(
    record_id: i64,
    contract_name: String,
    contract_type: String,
    registration_no: String,
    registration_date: String,
    registration_authority: String,
    sign_date: String,
    contract_amount: String,
    tech_transaction_amount: String,
    amount_received: String,
    seller: String,
    buyer: String,
    role: String,
    share: String,
    #[server(default)] dispute: Option<String>,
    reason: String,
    form_key: String,
) -> Result<i64, AppError> {
    use crate::server::records::{DealInput, Input};
    save(
        record_id,
        Input::Deal(DealInput {
            contract_name,
            contract_type,
            registration_no,
            registration_date,
            registration_authority,
            sign_date,
            contract_amount,
            tech_transaction_amount,
            amount_received,
            seller,
            buyer,
            role,
            share,
            dispute: dispute.is_some(),
        }),
        reason,
        form_key,
    )
    .await
}

/// A practical case: `stages` are codes of `CASE_STAGES` (checkboxes `stages[i]`), linked
/// deals registration numbers separated by commas, `practicum` a checkbox.
#[server(endpoint = "save_case")]
pub async fn save_case(
    record_id: i64,
    title: String,
    role: String,
    date: String,
    #[server(default)] stages: Vec<String>,
    narrative: String,
    personal_contribution: String,
    linked_deals: String,
    confidentiality: String,
    #[server(default)] practicum: Option<String>,
    reason: String,
    form_key: String,
) -> Result<i64, AppError> {
    use crate::server::records::{CaseInput, Input};
    save(
        record_id,
        Input::Case(CaseInput {
            title,
            role,
            date,
            stages,
            narrative,
            personal_contribution,
            linked_deals,
            confidentiality,
            practicum: practicum.is_some(),
        }),
        reason,
        form_key,
    )
    .await
}

/// A commercialisation event: `event` is company_formed, product, financing or
/// license_income; the amount (万元) is optional.
#[server(endpoint = "save_outcome")]
pub async fn save_outcome(
    record_id: i64,
    event: String,
    date: String,
    description: String,
    amount: String,
    reason: String,
    form_key: String,
) -> Result<i64, AppError> {
    use crate::server::records::{Input, OutcomeInput};
    save(
        record_id,
        Input::Outcome(OutcomeInput {
            event,
            date,
            description,
            amount,
        }),
        reason,
        form_key,
    )
    .await
}

/// A professional contribution: `item` is report_adopted, standard_drafter, paper, teaching
/// (with `hours`), mentoring or award.
#[server(endpoint = "save_contribution")]
pub async fn save_contribution(
    record_id: i64,
    item: String,
    hours: String,
    date: String,
    title: String,
    reason: String,
    form_key: String,
) -> Result<i64, AppError> {
    use crate::server::records::{ContributionInput, Input};
    save(
        record_id,
        Input::Contribution(ContributionInput {
            item,
            hours,
            date,
            title,
        }),
        reason,
        form_key,
    )
    .await
}

#[cfg(feature = "ssr")]
async fn save(
    record_id: i64,
    input: crate::server::records::Input,
    reason: String,
    form_key: String,
) -> Result<i64, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::KeepOwnRecords)?;
            crate::server::records::submit(
                ctx.db(),
                &caller.actor(),
                caller.person_id,
                record_id,
                &input,
                &reason,
                &form_key,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

/// Removes an evidence file from one's own record that is not verified.
#[server(endpoint = "remove_evidence")]
pub async fn remove_evidence(file_id: i64) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::KeepOwnRecords)?;
            crate::server::files::detach(
                ctx.db(),
                &caller.actor(),
                caller.person_id,
                file_id,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "withdraw_record")]
pub async fn withdraw_record(record_id: i64) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::KeepOwnRecords)?;
            crate::server::records::withdraw(
                ctx.db(),
                &caller.actor(),
                caller.person_id,
                record_id,
                ctx.now,
            )
            .await
        }
        .await,
    )
}
