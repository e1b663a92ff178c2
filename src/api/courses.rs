//! The course catalog of the caller's training bases.
// A course form has eight fields, each a server-function argument (also on the generated
// browser-side function, which an item-level allow does not reach).
#![allow(clippy::too_many_arguments)]

use super::AppError;
use crate::domain::level::Level;
use crate::domain::quantity::Hours;
use crate::domain::rules::Module;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseView {
    pub id: i64,
    pub base_code: String,
    pub code: String,
    pub title: String,
    pub module: Module,
    pub level: Level,
    pub hours: Hours,
    pub practicum: bool,
    pub instructor: String,
    pub active: bool,
    /// The caller may retire or restore it.
    pub can_manage: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoursesPage {
    pub courses: Vec<CourseView>,
    /// Codes of the bases whose catalog the caller may add to.
    pub can_add_to: Vec<String>,
}

#[server(endpoint = "list_courses")]
pub async fn list_courses() -> Result<CoursesPage, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewBases)?;
            let visible = access::base_visibility(&caller.grants);
            let may = |base: i64| access::allows(&caller.grants, Action::ManageCourses { base });
            let bases = crate::db::bases::list_bases(ctx.db(), &visible).await?;
            let courses = crate::db::courses::list(ctx.db(), &visible)
                .await?
                .into_iter()
                .filter_map(|k| {
                    Some(CourseView {
                        module: Module::parse(&k.module)?,
                        level: Level::parse(&k.level).ok()?,
                        hours: Hours(k.hours),
                        practicum: k.kind == "practicum",
                        can_manage: may(k.base_id),
                        id: k.id,
                        base_code: k.base_code,
                        code: k.code,
                        title: k.title,
                        instructor: k.instructor,
                        active: k.active,
                    })
                })
                .collect();
            Ok(CoursesPage {
                courses,
                can_add_to: bases
                    .into_iter()
                    .filter(|b| may(b.id))
                    .map(|b| b.code)
                    .collect(),
            })
        }
        .await,
    )
}

#[server(endpoint = "add_course")]
pub async fn add_course(
    base_code: String,
    code: String,
    title: String,
    module: String,
    level: String,
    hours: String,
    kind: String,
    instructor: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    use crate::server::catalog::{self, CourseInput};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ManageAnyCourses)?;
            let input = CourseInput {
                base_code,
                code,
                title,
                module,
                level,
                hours,
                kind,
                instructor,
            };
            let may = |base: i64| access::allows(&caller.grants, Action::ManageCourses { base });
            catalog::add_course(ctx.db(), &caller.actor(), &input, may, ctx.now).await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "set_course_active")]
pub async fn set_course_active(course_id: i64, active: bool) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ManageAnyCourses)?;
            let may = |base: i64| access::allows(&caller.grants, Action::ManageCourses { base });
            crate::server::catalog::set_active(
                ctx.db(),
                &caller.actor(),
                course_id,
                active,
                may,
                ctx.now,
            )
            .await
        }
        .await,
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: i64,
    pub held_on: chrono::NaiveDate,
    pub location: String,
    pub course_code: String,
    pub title: String,
    pub module: Module,
    pub hours: Hours,
    pub practicum: bool,
    /// People with a record of this session (attendance recorded).
    pub attended: i64,
}

/// One cohort with its timetable, and the courses that may be put on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortTimetable {
    pub code: String,
    pub name: String,
    pub base_code: String,
    pub level: Level,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
    pub sessions: Vec<SessionView>,
    /// Active catalog courses of the base, as (code, title), when the caller may schedule.
    pub courses: Vec<(String, String)>,
    pub can_manage: bool,
    /// The roster (person id, name), when the caller records the base's attendance.
    pub members: Vec<(i64, String)>,
}

#[server(endpoint = "cohort_schedule")]
pub async fn cohort_schedule(cohort_code: String) -> Result<CohortTimetable, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ViewBases)?;
            // A cohort of a base the caller does not see is "not found", like a missing one.
            let cohort = crate::db::bases::cohort_by_code(ctx.db(), cohort_code.trim())
                .await?
                .filter(|k| access::allows(&caller.grants, Action::ViewCohorts { base: k.base_id }))
                .ok_or(AppError::NotFound)?;
            let can_manage = access::allows(
                &caller.grants,
                Action::ManageCourses {
                    base: cohort.base_id,
                },
            );
            let attended = crate::db::records::attendance_counts(ctx.db(), cohort.id).await?;
            let sessions = crate::db::schedule::sessions(ctx.db(), cohort.id)
                .await?
                .into_iter()
                .filter_map(|s| {
                    Some(SessionView {
                        attended: attended
                            .iter()
                            .find(|(id, _)| *id == s.id)
                            .map_or(0, |(_, n)| *n),
                        module: Module::parse(&s.module)?,
                        practicum: s.kind == "practicum",
                        hours: Hours(s.hours),
                        id: s.id,
                        held_on: s.held_on,
                        location: s.location,
                        course_code: s.course_code,
                        title: s.title,
                    })
                })
                .collect();
            let courses = if can_manage {
                crate::db::courses::list(
                    ctx.db(),
                    &crate::domain::access::Visibility::Only(vec![cohort.base_id]),
                )
                .await?
                .into_iter()
                .filter(|k| k.active)
                .map(|k| (k.code, k.title))
                .collect()
            } else {
                Vec::new()
            };
            let may_verify = access::allows(
                &caller.grants,
                Action::VerifyRecords {
                    base: cohort.base_id,
                },
            );
            let members = if may_verify {
                crate::db::records::cohort_roster(ctx.db(), cohort.id).await?
            } else {
                Vec::new()
            };
            Ok(CohortTimetable {
                members,
                level: Level::parse(&cohort.level).map_err(|_| AppError::Internal)?,
                code: cohort.code,
                name: cohort.name,
                base_code: cohort.base_code,
                starts_on: cohort.starts_on,
                ends_on: cohort.ends_on,
                sessions,
                courses,
                can_manage,
            })
        }
        .await,
    )
}

#[server(endpoint = "schedule_session")]
pub async fn schedule_session(
    cohort_code: String,
    course_code: String,
    held_on: String,
    location: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    use crate::server::catalog::{self, SessionInput};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ManageAnyCourses)?;
            let input = SessionInput {
                cohort_code,
                course_code,
                held_on,
                location,
            };
            let may = |base: i64| access::allows(&caller.grants, Action::ManageCourses { base });
            catalog::schedule_session(ctx.db(), &caller.actor(), &input, may, ctx.now).await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "unschedule_session")]
pub async fn unschedule_session(session_id: i64) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::{self, Action};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::ManageAnyCourses)?;
            let may = |base: i64| access::allows(&caller.grants, Action::ManageCourses { base });
            crate::server::catalog::unschedule_session(
                ctx.db(),
                &caller.actor(),
                session_id,
                may,
                ctx.now,
            )
            .await
        }
        .await,
    )
}
