//! The course catalog of the caller's training bases; base admins add, retire and restore.

use super::errors::ErrorPanel;
use super::{Guard, PageHeader};
use crate::api::courses::{AddCourse, CoursesPage as Data, SetCourseActive, list_courses};
use crate::components::form::{Choice, Field, FormMessage, action_error};
use crate::components::labels::{level_key, module_key};
use crate::domain::access::Area;
use crate::domain::level::Level;
use crate::domain::rules::Module;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

#[component]
pub fn CoursesPage() -> impl IntoView {
    view! {
        <Guard area=Area::Courses>
            <Courses />
        </Guard>
    }
}

#[component]
fn Courses() -> impl IntoView {
    let add = ServerAction::<AddCourse>::new();
    let toggle = ServerAction::<SetCourseActive>::new();
    let data = Resource::new(
        move || (add.version().get(), toggle.version().get()),
        |_| list_courses(),
    );
    view! {
        <PageHeader title=Key::CoursesTitle lead=Key::CoursesLead />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <CoursesView data=d add toggle /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CoursesView(
    data: Data,
    add: ServerAction<AddCourse>,
    toggle: ServerAction<SetCourseActive>,
) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(add);
    let toggle_error = action_error(toggle);
    let success = Signal::derive(move || {
        matches!(add.value().get(), Some(Ok(()))).then(|| lang.get().text(Key::Saved).to_string())
    });
    let bases = data.can_add_to.clone();
    view! {
        {(!bases.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{t(Key::AddCourse)}</h2>
                <FormMessage error success />
                <ActionForm action=add attr:class="form-grid">
                    <div class="field">
                        <label for="f-base_code">{t(Key::Base)}</label>
                        <select id="f-base_code" name="base_code">
                            {bases.iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                        </select>
                        <p class="field__error" role="alert">
                            {move || error.get().and_then(|e| e.field_key("base_code")).map(|k| lang.get().text(k))}
                        </p>
                    </div>
                    <Field name="code" label=Key::CourseCode required=true error />
                    <Field name="title" label=Key::CourseTitle required=true error />
                    <Choice name="module" label=Key::Module error
                        options=Module::ALL.into_iter().map(|m| (m.code(), module_key(m))).collect() />
                    <Choice name="level" label=Key::Level error
                        options=Level::ALL.into_iter().map(|l| (l.code(), level_key(l))).collect() />
                    <Field name="hours" label=Key::ClassHours required=true hint=Key::ClassHoursHint error />
                    <Choice name="kind" label=Key::CourseKind error
                        options=vec![("theory", Key::KindTheory), ("practicum", Key::KindPracticum)] />
                    <Field name="instructor" label=Key::Instructor error />
                    <div class="form-grid__actions">
                        <button type="submit" class="button button--primary">{t(Key::Add)}</button>
                    </div>
                </ActionForm>
            </section>
        })}
        <FormMessage error=toggle_error />
        {if data.courses.is_empty() {
            view! { <p class="empty">{t(Key::NoCourses)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{t(Key::CourseCode)}</th>
                                <th scope="col">{t(Key::CourseTitle)}</th>
                                <th scope="col">{t(Key::Module)}</th>
                                <th scope="col">{t(Key::Level)}</th>
                                <th scope="col" class="num">{t(Key::ClassHours)}</th>
                                <th scope="col">{t(Key::CourseKind)}</th>
                                <th scope="col">{t(Key::Instructor)}</th>
                                <th scope="col">{t(Key::Base)}</th>
                                <th scope="col"><span class="visually-hidden">{t(Key::CourseRetire)}</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            {data.courses.into_iter().map(|k| {
                                let kind = if k.practicum { Key::KindPracticum } else { Key::KindTheory };
                                view! {
                                    <tr class:is-inactive=!k.active>
                                        <td data-label=t(Key::CourseCode)><code>{k.code.clone()}</code></td>
                                        <td data-label=t(Key::CourseTitle)>
                                            {k.title.clone()}
                                            {(!k.active).then(|| view! { " " <span class="badge badge--muted">{t(Key::CourseRetired)}</span> })}
                                        </td>
                                        <td data-label=t(Key::Module)>{move || lang.get().text(module_key(k.module))}</td>
                                        <td data-label=t(Key::Level)>{move || lang.get().text(level_key(k.level))}</td>
                                        <td data-label=t(Key::ClassHours) class="num">{k.hours.to_string()}</td>
                                        <td data-label=t(Key::CourseKind)>{move || lang.get().text(kind)}</td>
                                        <td data-label=t(Key::Instructor)>{k.instructor.clone()}</td>
                                        <td data-label=t(Key::Base)>{k.base_code.clone()}</td>
                                        <td>
                                            {k.can_manage.then(|| view! {
                                                <ActionForm action=toggle attr:class="form-inline">
                                                    <input type="hidden" name="course_id" value=k.id.to_string() />
                                                    <input type="hidden" name="active" value=(!k.active).to_string() />
                                                    <button type="submit" class="button button--small button--ghost">
                                                        {t(if k.active { Key::CourseRetire } else { Key::CourseRestore })}
                                                    </button>
                                                </ActionForm>
                                            })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
