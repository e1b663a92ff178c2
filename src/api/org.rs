//! Training bases, cohorts and committees. Scoped roles see only their own.

use super::AppError;
use crate::domain::level::Level;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub region: String,
    pub cohorts: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortView {
    pub id: i64,
    pub base_code: String,
    pub code: String,
    pub name: String,
    pub level: Level,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
    pub members: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub name: String,
    pub role: crate::domain::role::Role,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub series: String,
    pub specialty: String,
    pub members: Vec<MemberView>,
}

/// The cohorts page: the visible bases, their cohorts, and where the caller may add one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortsPage {
    pub bases: Vec<BaseView>,
    pub cohorts: Vec<CohortView>,
    /// Codes of the bases the caller may add cohorts to.
    pub can_add_to: Vec<String>,
}

#[server(endpoint = "list_bases")]
pub async fn list_bases() -> Result<(Vec<BaseView>, bool), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewBases)?;
            let visible = access::base_visibility(&caller.grants);
            let rows = crate::db::bases::list_bases(ctx.db(), &visible).await?;
            let can_add = access::allows(&caller.grants, Action::AddBase);
            Ok((rows.into_iter().map(ssr::base_view).collect(), can_add))
        }
        .await,
    )
}

#[server(endpoint = "add_base")]
pub async fn add_base(code: String, name: String, region: String) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::AddBase)?;
            crate::server::org::add_base(ctx.db(), &caller.actor(), &code, &name, &region, ctx.now)
                .await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "list_cohorts")]
pub async fn list_cohorts() -> Result<CohortsPage, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewBases)?;
            let visible = access::base_visibility(&caller.grants);
            let bases = crate::db::bases::list_bases(ctx.db(), &visible).await?;
            let cohorts = crate::db::bases::list_cohorts(ctx.db(), &visible, None).await?;
            let can_add_to = bases
                .iter()
                .filter(|b| access::allows(&caller.grants, Action::AddCohort { base: b.id }))
                .map(|b| b.code.clone())
                .collect();
            Ok(CohortsPage {
                bases: bases.into_iter().map(ssr::base_view).collect(),
                cohorts: cohorts.into_iter().filter_map(ssr::cohort_view).collect(),
                can_add_to,
            })
        }
        .await,
    )
}

#[server(endpoint = "add_cohort")]
pub async fn add_cohort(
    base_code: String,
    code: String,
    name: String,
    level: String,
    starts_on: String,
    ends_on: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    use crate::server::org::{self, CohortInput};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewBases)?;
            let input = CohortInput {
                base_code,
                code,
                name,
                level,
                starts_on,
                ends_on,
            };
            let grants = caller.grants.clone();
            org::add_cohort(
                ctx.db(),
                &caller.actor(),
                &input,
                |base| access::allows(&grants, Action::AddCohort { base }),
                ctx.now,
            )
            .await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "list_committees")]
pub async fn list_committees() -> Result<Vec<CommitteeView>, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    use crate::domain::role::Role;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewCommittees)?;
            let visible = access::committee_visibility(&caller.grants);
            let committees = crate::db::committees::list_committees(ctx.db(), &visible).await?;
            let members = crate::db::committees::list_members(ctx.db(), &visible).await?;
            Ok(committees
                .into_iter()
                .map(|c| CommitteeView {
                    members: members
                        .iter()
                        .filter(|m| m.committee_id == c.id)
                        .filter_map(|m| {
                            Role::parse(&m.role).ok().map(|role| MemberView {
                                name: m.name.clone(),
                                role,
                                unit: m.unit_name.clone(),
                            })
                        })
                        .collect(),
                    id: c.id,
                    code: c.code,
                    name: c.name,
                    series: c.series,
                    specialty: c.specialty,
                })
                .collect())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{BaseView, CohortView};
    use crate::db::bases::{BaseRow, CohortRow};
    use crate::domain::level::Level;

    pub fn base_view(b: BaseRow) -> BaseView {
        BaseView {
            id: b.id,
            code: b.code,
            name: b.name,
            region: b.region,
            cohorts: b.cohorts,
        }
    }

    /// Rows whose level the schema's CHECK admits always parse; anything else is skipped.
    pub fn cohort_view(k: CohortRow) -> Option<CohortView> {
        Some(CohortView {
            level: Level::parse(&k.level).ok()?,
            id: k.id,
            base_code: k.base_code,
            code: k.code,
            name: k.name,
            starts_on: k.starts_on,
            ends_on: k.ends_on,
            members: k.members,
        })
    }
}
