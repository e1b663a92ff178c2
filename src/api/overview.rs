//! A training base's overview: cohorts with their trainees, completion and level
//! distribution, who is missing what; the list pages quickly from the score snapshots and
//! downloads as .xlsx or .csv (at `/files/export/{cohort}/{xlsx|csv}`).

use super::AppError;
use crate::domain::level::Level;
use crate::domain::quantity::Points;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One member as the overview shows and exports them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub person_id: i64,
    pub name: String,
    /// Masked (region code and last four characters).
    pub id_number: String,
    pub unit: String,
    pub total: Option<Points>,
    /// Why no score is awarded (a gate blocks it); `total` is then None.
    pub blocked: Option<String>,
    pub reached: Option<Level>,
    pub next: Option<Level>,
    /// What the next level still needs, in words.
    pub gaps: Vec<String>,
    /// The ruleset version the score used (`shanghai-default v1`).
    pub ruleset: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortChoice {
    pub code: String,
    pub name: String,
    pub level: Level,
    pub members: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewView {
    pub cohorts: Vec<CohortChoice>,
    /// The cohort shown (None when the caller's bases have no cohort).
    pub cohort: Option<CohortChoice>,
    /// Members per level reached (None: no level yet).
    pub distribution: Vec<(Option<Level>, i64)>,
    /// Members who reached the cohort's level or above.
    pub completed: i64,
    pub lines: Vec<Line>,
    pub page: usize,
    pub pages: usize,
    pub total: usize,
    /// The caller may export the roster with full ID numbers and phones (the base's admins).
    pub can_unmask: bool,
}

pub const PAGE_SIZE: usize = 50;

/// One cohort's overview page (`cohort_code` blank: the newest cohort; `sort` `score` for the
/// highest score first, else by name).
#[server(endpoint = "base_overview")]
pub async fn base_overview(
    cohort_code: String,
    sort: String,
    page: usize,
) -> Result<OverviewView, AppError> {
    use super::ssr::{context, respond};
    use crate::db::overview::{self as store, Order};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewAnyOverview)?;
            let visible = access::base_visibility(&caller.grants);
            let rows = crate::db::bases::list_cohorts(ctx.db(), &visible, None).await?;
            let cohorts: Vec<(i64, i64, CohortChoice)> = rows
                .into_iter()
                .filter(|k| {
                    access::allows(&caller.grants, Action::ViewOverview { base: k.base_id })
                })
                .filter_map(|k| {
                    Some((
                        k.id,
                        k.base_id,
                        CohortChoice {
                            level: Level::parse(&k.level).ok()?,
                            code: k.code,
                            name: k.name,
                            members: k.members,
                        },
                    ))
                })
                .collect();
            let chosen = match cohort_code.trim() {
                "" => cohorts.first(),
                code => Some(
                    cohorts
                        .iter()
                        .find(|(_, _, k)| k.code == code)
                        .ok_or(AppError::NotFound)?,
                ),
            }
            .cloned();
            let mut view = OverviewView {
                cohorts: cohorts.iter().map(|(_, _, k)| k.clone()).collect(),
                cohort: None,
                distribution: Vec::new(),
                completed: 0,
                lines: Vec::new(),
                page: 1,
                pages: 1,
                total: 0,
                can_unmask: false,
            };
            let Some((id, base, cohort)) = chosen else {
                return Ok(view);
            };
            view.can_unmask = access::allows(&caller.grants, Action::ImportRosters { base });
            let total = usize::try_from(store::member_count(ctx.db(), id).await?).unwrap_or(0);
            let pages = total.div_ceil(PAGE_SIZE).max(1);
            let page = page.clamp(1, pages);
            let order = if sort == "score" {
                Order::ScoreDescending
            } else {
                Order::Name
            };
            let lang = ctx.lang();
            let offset = i64::try_from((page - 1) * PAGE_SIZE).unwrap_or(0);
            view.lines = store::members(ctx.db(), id, order, Some(PAGE_SIZE as i64), offset)
                .await?
                .iter()
                .map(|r| crate::server::overview::line(r, lang))
                .collect();
            for (code, n) in store::level_counts(ctx.db(), id).await? {
                let level = Level::parse(&code).ok();
                if level.is_some_and(|l| l >= cohort.level) {
                    view.completed += n;
                }
                view.distribution.push((level, n));
            }
            view.cohort = Some(cohort);
            view.page = page;
            view.pages = pages;
            view.total = total;
            Ok(view)
        }
        .await,
    )
}
