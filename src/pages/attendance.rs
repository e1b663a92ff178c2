//! A session's attendance for the whole cohort in one step: pick a held session, untick who
//! was absent, and every present member gets a verified training record for the course.

use crate::api::courses::SessionView;
use crate::api::verify::RecordAttendance;
use crate::components::form::{FormMessage, action_error};
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;
use std::collections::BTreeSet;

#[component]
pub fn Attendance(
    sessions: Vec<SessionView>,
    members: Vec<(i64, String)>,
    action: ServerAction<RecordAttendance>,
) -> impl IntoView {
    let lang = use_lang();
    let absent = RwSignal::new(BTreeSet::<i64>::new());
    let all: Vec<i64> = members.iter().map(|(id, _)| *id).collect();
    let present = move || {
        all.iter()
            .filter(|id| !absent.get().contains(id))
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let count = members.len();
    let error = action_error(action);
    let done = Signal::derive(move || {
        action.value().get().and_then(Result::ok).map(|n| {
            lang.get()
                .text(Key::AttendanceRecorded)
                .replace("{n}", &n.to_string())
        })
    });
    view! {
        <section class="panel">
            <h2>{t(Key::RecordAttendance)}</h2>
            <p class="muted">{t(Key::AttendanceLead)}</p>
            <FormMessage error success=done />
            <ActionForm action attr:class="attendance">
                <input type="hidden" name="present" prop:value=present />
                <div class="field" class:field--invalid=move || error.get().and_then(|e| e.field_key("session_id")).is_some()>
                    <label for="f-session_id">{t(Key::CohortTimetable)}</label>
                    <select id="f-session_id" name="session_id">
                        {sessions.into_iter().map(|s| {
                            let text = format!("{} {} {}", s.held_on, s.course_code, s.title);
                            view! { <option value=s.id.to_string()>{text}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field__error" role="alert">
                        {move || error.get().and_then(|e| e.field_key("session_id")).map(|k| lang.get().text(k))}
                    </p>
                </div>
                <fieldset class="roster">
                    <legend>{t(Key::PresentMembers)}</legend>
                    {members.into_iter().map(|(id, name)| view! {
                        <label class="check-inline">
                            <input type="checkbox"
                                prop:checked=move || !absent.get().contains(&id)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    absent.update(|a| { if on { a.remove(&id); } else { a.insert(id); } });
                                } />
                            {name}
                        </label>
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button button--primary">
                    {move || lang.get().text(Key::RecordAttendanceFor)
                        .replace("{n}", &(count - absent.get().len()).to_string())}
                </button>
            </ActionForm>
        </section>
    }
}
