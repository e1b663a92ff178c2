//! The landing page's task lists: for each role the caller holds, what to do next, with counts
//! taken from the data.

use super::AppError;
use crate::domain::role::Role;
use crate::i18n::Key;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub key: Key,
    /// A number the task is about (e.g. cohorts running), if any.
    pub count: Option<i64>,
    /// Extra text from the data (a cohort's name and dates).
    pub detail: Option<String>,
    /// Where to act on it.
    pub href: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskGroup {
    /// None for tasks about the account itself.
    pub role: Option<Role>,
    pub scope: Option<String>,
    pub tasks: Vec<Task>,
}

#[server(endpoint = "my_tasks")]
pub async fn my_tasks() -> Result<Vec<TaskGroup>, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::UseOwnAccount)?;
            ssr::tasks(&ctx, caller).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{Task, TaskGroup};
    use crate::api::AppError;
    use crate::api::ssr::{Caller, Ctx};
    use crate::db::{bases, sessions, stats};
    use crate::domain::role::{Role, Scope};
    use crate::i18n::Key;
    use chrono::TimeDelta;

    fn task(key: Key, count: Option<i64>, href: Option<&str>) -> Task {
        Task {
            key,
            count,
            detail: None,
            href: href.map(str::to_string),
        }
    }

    pub async fn tasks(ctx: &Ctx, caller: &Caller) -> Result<Vec<TaskGroup>, AppError> {
        let db = ctx.db();
        let today = ctx.now.date_naive();
        let mut groups = Vec::new();
        if caller.must_change_password {
            groups.push(TaskGroup {
                role: None,
                scope: None,
                tasks: vec![task(Key::TaskChangePassword, None, Some("/account"))],
            });
        }
        // A base asked the person to check their identity data.
        let asked = crate::db::corrections::open_for_person(db, caller.person_id).await?;
        if asked > 0 {
            groups.push(TaskGroup {
                role: None,
                scope: None,
                tasks: vec![task(
                    Key::TaskCorrectionsForYou,
                    Some(asked),
                    Some("/profile#corrections"),
                )],
            });
        }
        for (grant, (_, scope_name)) in caller.grants.iter().zip(&caller.grant_labels) {
            let mut tasks = Vec::new();
            match (grant.role(), grant.scope()) {
                (Role::Trainee, _) => {
                    for k in bases::cohorts_of_person(db, caller.person_id).await? {
                        tasks.push(Task {
                            key: Key::TaskYourCohort,
                            count: None,
                            detail: Some(format!("{} · {} – {}", k.name, k.starts_on, k.ends_on)),
                            href: None,
                        });
                    }
                    tasks.push(task(Key::TaskLogHours, None, None));
                    tasks.push(task(Key::TaskRecordDeals, None, None));
                }
                (Role::BaseAdmin | Role::Instructor, Scope::Base(base)) => {
                    tasks.push(task(
                        Key::TaskCohortsRunning,
                        Some(stats::running_cohorts(db, base, today).await?),
                        Some("/admin/cohorts"),
                    ));
                    if grant.role() == Role::BaseAdmin {
                        tasks.push(task(
                            Key::TaskTraineesWithoutLogin,
                            Some(stats::base_people_without_login(db, base).await?),
                            None,
                        ));
                        tasks.push(task(Key::TaskAddCohort, None, Some("/admin/cohorts")));
                        tasks.push(task(
                            Key::TaskCourses,
                            Some(stats::active_courses(db, base).await?),
                            Some("/admin/courses"),
                        ));
                    } else {
                        tasks.push(task(Key::TaskScorePracticum, None, None));
                    }
                }
                (Role::UnitReviewer, Scope::Unit(unit)) => {
                    tasks.push(task(
                        Key::TaskUnitStaff,
                        Some(stats::unit_people(db, unit).await?),
                        None,
                    ));
                    let waiting = crate::db::review::count_for_unit(
                        db,
                        unit,
                        &["submitted", "unit_objection_review"],
                    )
                    .await?;
                    tasks.push(task(
                        Key::TaskRecommendations,
                        Some(waiting),
                        Some("/unit/applications"),
                    ));
                }
                (Role::Secretary | Role::Chair | Role::Reviewer, Scope::Committee(c)) => {
                    let reviewers = stats::committee_members(db, c, "reviewer").await?;
                    match grant.role() {
                        Role::Secretary => {
                            tasks.push(task(
                                Key::TaskCommitteeReviewers,
                                Some(reviewers),
                                Some("/committees"),
                            ));
                            let waiting = crate::db::review::count_for_committee(
                                db,
                                c,
                                &["recommended", "formal_check"],
                            )
                            .await?;
                            tasks.push(task(
                                Key::TaskAwaitingSecretariat,
                                Some(waiting),
                                Some("/review"),
                            ));
                            let objected = crate::db::review::count_for_committee(
                                db,
                                c,
                                &["result_objection_review"],
                            )
                            .await?;
                            tasks.push(task(
                                Key::TaskObjectionsToResolve,
                                Some(objected),
                                Some("/review"),
                            ));
                            tasks.push(task(Key::TaskPrepareSession, None, Some("/review")));
                        }
                        Role::Chair => {
                            tasks.push(task(
                                Key::TaskCommitteeReviewers,
                                Some(reviewers),
                                Some("/committees"),
                            ));
                            tasks.push(task(Key::TaskConfirmQuorum, None, None));
                        }
                        _ => {
                            let assigned =
                                crate::db::panels::assignments_of(db, caller.user_id).await?;
                            tasks.push(task(
                                Key::TaskAssignedApplications,
                                Some(assigned.len() as i64),
                                Some("/expert"),
                            ));
                            tasks.push(task(Key::TaskDeclareConflicts, None, None));
                        }
                    }
                }
                (Role::ProgramAuthority, _) => {
                    let (b, k) = stats::bases_and_cohorts(db).await?;
                    tasks.push(task(Key::TaskBases, Some(b), Some("/admin/bases")));
                    tasks.push(task(Key::TaskCohortsAll, Some(k), Some("/admin/cohorts")));
                    tasks.push(task(
                        Key::TaskRulesets,
                        Some(stats::ruleset_drafts(db).await?),
                        Some("/rulesets"),
                    ));
                }
                (Role::Hrss, _) => {
                    let waiting =
                        crate::db::review::applications_in_state(db, "hrss_confirmation").await?;
                    tasks.push(task(
                        Key::TaskResultsToConfirm,
                        Some(waiting.len() as i64),
                        Some("/confirm"),
                    ));
                    tasks.push(task(Key::TaskVerifyCertificates, None, Some("/notices")));
                }
                (Role::Auditor, _) => {
                    let week = stats::audit_rows_since(db, ctx.now - TimeDelta::days(7)).await?;
                    tasks.push(task(Key::TaskAuditWeek, Some(week), Some("/audit")));
                    tasks.push(task(Key::TaskVerifyChain, None, Some("/audit")));
                }
                (Role::SysAdmin, _) => {
                    tasks.push(task(
                        Key::TaskActiveUsers,
                        Some(stats::active_users(db).await?),
                        Some("/admin/users"),
                    ));
                    tasks.push(task(
                        Key::TaskPeopleWithoutLogin,
                        Some(stats::people_without_login(db).await?),
                        Some("/admin/users"),
                    ));
                    let since =
                        ctx.now - TimeDelta::minutes(ctx.state.settings.login_window_minutes);
                    let locked = sessions::locked_accounts(
                        db,
                        since,
                        ctx.state.settings.login_max_per_account,
                    )
                    .await?;
                    tasks.push(task(Key::TaskLockedAccounts, Some(locked), Some("/audit")));
                    tasks.push(task(
                        Key::TaskCorrectionRequests,
                        Some(crate::db::corrections::open_for_admins(db).await?),
                        Some("/admin/users#corrections"),
                    ));
                }
                // A scoped role without its scope is rejected when grants are loaded.
                _ => {}
            }
            groups.push(TaskGroup {
                role: Some(grant.role()),
                scope: scope_name.clone(),
                tasks,
            });
        }
        Ok(groups)
    }
}
