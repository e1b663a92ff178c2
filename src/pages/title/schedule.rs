//! A session's schedule on its page: where the application window and the scoring period
//! stand today and whether the meeting's date has come, every change of the dates with who
//! made it and why (the chair reads them here), and for the secretariat the form that moves
//! them.

use crate::api::title::{Phases, RescheduleSession, ScheduleChangeView, SessionView};
use crate::components::form::{Field, FieldScope, FormMessage, action_error};
use crate::domain::review::schedule::Period;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

fn period_badge(p: Period) -> (&'static str, Key) {
    match p {
        Period::NotYet => ("badge badge--muted", Key::PhaseNotYet),
        Period::Open => ("badge badge--ok", Key::PhaseOpen),
        Period::Over => ("badge", Key::PhaseOver),
    }
}

/// The three dates of the session's facts, each with where it stands today.
#[component]
pub fn ScheduleFacts(s: SessionView, phases: Phases) -> impl IntoView {
    let (apply_class, apply_key) = period_badge(phases.applications);
    let (score_class, score_key) = period_badge(phases.scoring);
    let (meet_class, meet_key) = if phases.meeting_due {
        ("badge badge--ok", Key::MeetingDue)
    } else {
        ("badge badge--muted", Key::MeetingNotDue)
    };
    view! {
        <div data-phase=format!("{:?}", phases.applications).to_lowercase()>
            <dt>{t(Key::ApplicationWindow)}</dt>
            <dd>{format!("{} – {} ", s.applies_from, s.applies_to)} <span class=apply_class>{t(apply_key)}</span></dd>
        </div>
        <div data-phase=format!("{:?}", phases.scoring).to_lowercase()>
            <dt>{t(Key::ScoringPeriod)}</dt>
            <dd>{format!("{} – {} ", s.scoring_from, s.scoring_to)} <span class=score_class>{t(score_key)}</span></dd>
        </div>
        <div data-meeting-due=phases.meeting_due.to_string()>
            <dt>{t(Key::MeetingDate)}</dt>
            <dd>{format!("{} ", s.meeting_on)} <span class=meet_class>{t(meet_key)}</span></dd>
        </div>
    }
}

fn field_key(field: &str) -> Key {
    match field {
        "applies_from" => Key::AppliesFrom,
        "applies_to" => Key::AppliesTo,
        "scoring_from" => Key::ScoringFrom,
        "scoring_to" => Key::ScoringTo,
        _ => Key::MeetingOn,
    }
}

/// The changes made to the dates, and the secretariat's form to make another.
#[component]
pub fn ScheduleChanges(
    s: SessionView,
    changes: Vec<ScheduleChangeView>,
    can_run: bool,
    action: ServerAction<RescheduleSession>,
) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(action);
    let done = Signal::derive(move || {
        matches!(action.value().get(), Some(Ok(())))
            .then(|| lang.get().text(Key::ScheduleChanged).to_string())
    });
    (!changes.is_empty() || can_run).then(|| view! {
        <section class="panel schedule-changes">
            <h2>{t(Key::ScheduleChangesTitle)}</h2>
            <FormMessage error success=done />
            {(!changes.is_empty()).then(|| view! {
                <ol class="schedule-changes__list">
                    {changes.into_iter().map(|c| {
                        let head = (super::when(c.at), c.by.clone());
                        view! {
                            <li data-schedule-change="">
                                <p>{move || lang.get().text(Key::ScheduleChangeBy).replace("{at}", &head.0).replace("{by}", &head.1)}</p>
                                <ul>
                                    {c.moved.into_iter().map(|(field, before, after)| {
                                        let key = field_key(&field);
                                        view! { <li>{t(key)} {t(Key::Colon)} <del>{before.to_string()}</del> " → " <strong>{after.to_string()}</strong></li> }
                                    }).collect_view()}
                                </ul>
                                <p>{t(Key::ScheduleChangeReason)} {t(Key::Colon)} {c.reason.clone()}</p>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            })}
            {can_run.then(|| view! {
                <details class="reschedule">
                    <summary>{t(Key::RescheduleSummary)}</summary>
                    <p class="field__hint">{t(Key::RescheduleHint)}</p>
                    <leptos::context::Provider value=FieldScope("schedule")>
                    <ActionForm action attr:class="form-grid">
                        <input type="hidden" name="session_id" value=s.id.to_string() />
                        <Field name="applies_from" label=Key::AppliesFrom kind="date" required=true value=s.applies_from.to_string() error />
                        <Field name="applies_to" label=Key::AppliesTo kind="date" required=true value=s.applies_to.to_string() error />
                        <Field name="scoring_from" label=Key::ScoringFrom kind="date" required=true value=s.scoring_from.to_string() error />
                        <Field name="scoring_to" label=Key::ScoringTo kind="date" required=true value=s.scoring_to.to_string() error />
                        <Field name="meeting_on" label=Key::MeetingOn kind="date" required=true value=s.meeting_on.to_string() error />
                        <Field name="reason" label=Key::RescheduleReason required=true error />
                        <div class="form-grid__actions">
                            <button type="submit" class="button button--primary">{t(Key::Reschedule)}</button>
                        </div>
                    </ActionForm>
                    </leptos::context::Provider>
                </details>
            })}
        </section>
    })
}
