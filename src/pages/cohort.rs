//! One cohort: its timetable of catalog courses, class hours by module, and (for its base
//! admin) scheduling and unscheduling, and recording a session's attendance.

use super::Guard;
use super::attendance::Attendance;
use super::errors::ErrorPanel;
use crate::api::courses::{CohortTimetable, ScheduleSession, UnscheduleSession, cohort_schedule};
use crate::api::verify::RecordAttendance;
use crate::components::form::{Field, FormMessage, action_error};
use crate::components::labels::{level_key, module_key};
use crate::domain::access::Area;
use crate::domain::quantity::Hours;
use crate::domain::rules::Module;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CohortPage() -> impl IntoView {
    view! {
        <Guard area=Area::Cohorts>
            <Cohort />
        </Guard>
    }
}

#[component]
fn Cohort() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let add = ServerAction::<ScheduleSession>::new();
    let remove = ServerAction::<UnscheduleSession>::new();
    let attend = ServerAction::<RecordAttendance>::new();
    let data = Resource::new(
        move || {
            (
                code(),
                add.version().get(),
                remove.version().get(),
                attend.version().get(),
            )
        },
        |(code, _, _, _)| cohort_schedule(code),
    );
    view! {
        <p class="back"><a href="/admin/cohorts">{t(Key::BackToCohorts)}</a></p>
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => {
                        let attendance = (!c.members.is_empty() && !c.sessions.is_empty()).then(|| {
                            view! { <Attendance sessions=c.sessions.clone() members=c.members.clone() action=attend /> }
                        });
                        view! { <Timetable c add remove /> {attendance} }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Timetable(
    c: CohortTimetable,
    add: ServerAction<ScheduleSession>,
    remove: ServerAction<UnscheduleSession>,
) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(add);
    let remove_error = action_error(remove);
    let course_error = move || {
        error
            .get()
            .and_then(|e| e.field_key("course_code"))
            .map(|k| lang.get().text(k))
    };
    let level = c.level;
    let mut by_module: Vec<(Module, Hours)> =
        Module::ALL.into_iter().map(|m| (m, Hours(0))).collect();
    for s in &c.sessions {
        if let Some(slot) = by_module.iter_mut().find(|(m, _)| *m == s.module) {
            slot.1 += s.hours;
        }
    }
    let total: Hours = c.sessions.iter().map(|s| s.hours).sum();
    view! {
        <div class="page-header">
            <h1>{c.name.clone()}</h1>
            <p class="page-header__lead">
                <code>{c.code.clone()}</code> " · " {c.base_code.clone()} " · "
                {move || lang.get().text(level_key(level))} " · "
                {format!("{} – {}", c.starts_on, c.ends_on)}
            </p>
        </div>
        <section class="panel">
            <h2>{t(Key::CohortTimetable)}</h2>
            <FormMessage error=remove_error />
            <dl class="version__facts module-hours" aria-label=move || lang.get().text(Key::HoursByModule)>
                {by_module.into_iter().map(|(m, h)| view! {
                    <div><dt>{move || lang.get().text(module_key(m))}</dt><dd>{h.to_string()}</dd></div>
                }).collect_view()}
                <div><dt>{t(Key::ClassHours)}</dt><dd><strong>{total.to_string()}</strong></dd></div>
            </dl>
            {if c.sessions.is_empty() {
                view! { <p class="empty">{t(Key::NoSessions)}</p> }.into_any()
            } else {
                let can_manage = c.can_manage;
                view! {
                    <div class="table-wrap">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t(Key::HeldOn)}</th>
                                    <th scope="col">{t(Key::CourseCode)}</th>
                                    <th scope="col">{t(Key::CourseTitle)}</th>
                                    <th scope="col">{t(Key::Module)}</th>
                                    <th scope="col" class="num">{t(Key::ClassHours)}</th>
                                    <th scope="col">{t(Key::CourseKind)}</th>
                                    <th scope="col">{t(Key::Location)}</th>
                                    <th scope="col" class="num">{t(Key::Attended)}</th>
                                    {can_manage.then(|| view! { <th scope="col"><span class="visually-hidden">{t(Key::Remove)}</span></th> })}
                                </tr>
                            </thead>
                            <tbody>
                                {c.sessions.into_iter().map(|s| {
                                    let kind = if s.practicum { Key::KindPracticum } else { Key::KindTheory };
                                    view! {
                                        <tr>
                                            <td data-label=t(Key::HeldOn) class="nowrap">{s.held_on.to_string()}</td>
                                            <td data-label=t(Key::CourseCode)><code>{s.course_code.clone()}</code></td>
                                            <td data-label=t(Key::CourseTitle)>{s.title.clone()}</td>
                                            <td data-label=t(Key::Module)>{move || lang.get().text(module_key(s.module))}</td>
                                            <td data-label=t(Key::ClassHours) class="num">{s.hours.to_string()}</td>
                                            <td data-label=t(Key::CourseKind)>{move || lang.get().text(kind)}</td>
                                            <td data-label=t(Key::Location)>{s.location.clone()}</td>
                                            <td data-label=t(Key::Attended) class="num">{s.attended}</td>
                                            {can_manage.then(|| view! {
                                                <td>
                                                    {(s.attended == 0).then(|| view! {
                                                    <ActionForm action=remove attr:class="form-inline">
                                                        <input type="hidden" name="session_id" value=s.id.to_string() />
                                                        <button type="submit" class="button button--small button--ghost">{t(Key::Remove)}</button>
                                                    </ActionForm>
                                                    })}
                                                </td>
                                            })}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        {c.can_manage.then(|| view! {
            <section class="panel">
                <h2>{t(Key::ScheduleSession)}</h2>
                <FormMessage error />
                <ActionForm action=add attr:class="form-grid">
                    <input type="hidden" name="cohort_code" value=c.code.clone() />
                    <div class="field" class:field--invalid=move || course_error().is_some()>
                        <label for="f-course_code">{t(Key::CourseTitle)}</label>
                        <select id="f-course_code" name="course_code">
                            {c.courses.into_iter().map(|(code, title)| view! {
                                <option value=code.clone()>{format!("{code} {title}")}</option>
                            }).collect_view()}
                        </select>
                        <p class="field__error" role="alert">{course_error}</p>
                    </div>
                    <Field name="held_on" label=Key::HeldOn kind="date" required=true error />
                    <Field name="location" label=Key::Location error />
                    <div class="form-grid__actions">
                        <button type="submit" class="button button--primary">{t(Key::Add)}</button>
                    </div>
                </ActionForm>
            </section>
        })}
    }
}
