//! The senior-title review's pages: the candidate's application, the unit's approval, the
//! secretariat's sessions and formal check, the meeting and ballot, the result's public
//! notice with objections, appeals and the authority's confirmation, and the printable dossier.

pub mod apply;
pub mod board;
pub mod confirm;
pub mod defense;
pub mod dossier;
pub mod meeting;
pub mod notice;
pub mod record;
pub mod schedule;
pub mod scoring;
pub mod session;
pub mod sessions;
pub mod sheet;
pub mod staffing;
pub mod tasks;
pub mod unit;
pub mod vote;

use crate::api::title::{ApplicationView, EventView};
use crate::components::labels::{actor_key, state_key, state_tone};
use crate::domain::review::procedure::State;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

pub use crate::components::time::when;

/// An application's state as a badge.
#[component]
pub fn StateBadge(state: State) -> impl IntoView {
    let lang = use_lang();
    view! {
        <span class=format!("badge {}", state_tone(state)) data-state=state.code()>
            {move || lang.get().text(state_key(state))}
        </span>
    }
}

/// Why the automatic check finds the candidate ineligible (or that it does not).
#[component]
pub fn Reasons(reasons: Vec<String>) -> impl IntoView {
    if reasons.is_empty() {
        view! { <span class="badge badge--ok">{t(Key::Eligible)}</span> }.into_any()
    } else {
        view! {
            <ul class="reasons">
                {reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    }
}

/// The application's history, oldest first: each state reached, who moved it, and why.
#[component]
pub fn Timeline(events: Vec<EventView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ol class="timeline">
            {events.into_iter().map(|e| {
                let actor = actor_key(&e.actor);
                let at = when(e.at);
                view! {
                    <li class="timeline__item">
                        <span class="timeline__when">{at}</span>
                        <StateBadge state=e.to />
                        <span class="muted">{move || lang.get().text(actor)}</span>
                        {(!e.reason.is_empty()).then(|| view! { <span class="timeline__reason">{e.reason.clone()}</span> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// The notice that is running, or the supplement asked for, in one line.
#[component]
pub fn Deadlines(app: ApplicationView) -> impl IntoView {
    let lang = use_lang();
    view! {
        {app.notice_from.map(|from| view! {
            <p class="muted">
                {t(Key::NoticePeriod)} " " {from.to_string()}
                {app.notice_ends.map(|end| view! { " – " {end.to_string()} })}
                {app.calendar_missing.map(|year| view! {
                    " " <span class="record-note record-note--danger" data-calendar-missing=year.to_string()>
                        {move || lang.get().text(Key::NoticeClockStopped).replace("{year}", &year.to_string())}
                    </span>
                })}
            </p>
        })}
        {app.defense.clone().filter(|_| matches!(app.state, State::PanelAssigned | State::ExpertReview)).map(|d| view! {
            <p class="record-note" data-defense-at=d.line()>{t(Key::DefenseWhen)} {t(Key::Colon)} {d.line()}</p>
        })}
        {app.supplement_request.clone().filter(|_| app.state == State::SupplementRequested).map(|what| view! {
            <p class="record-note">
                {t(Key::SupplementAsked)} {t(Key::Colon)} {what}
                {app.supplement_due.map(|d| view! { " · " {t(Key::Due)} " " {d.to_string()} })}
            </p>
        })}
    }
}

/// The fields of a decision that needs a reason: the application (or objection) `id`, the
/// `decision` code, the reason as the candidate will read it, and the button.
#[component]
pub fn ReasonFields(id: i64, decision: &'static str, label: Key) -> impl IntoView {
    let lang = use_lang();
    view! {
        <input type="hidden" name="id" value=id.to_string() />
        <input type="hidden" name="decision" value=decision />
        <input type="text" name="reason" required=true maxlength="2000"
            aria-label=move || lang.get().text(Key::ReviewReason)
            placeholder=move || lang.get().text(Key::ReviewReason) />
        <button type="submit" class="button button--small">{t(label)}</button>
    }
}

/// Revocation for misconduct, folded away: the reason (it goes on the record) and the
/// button, for the secretariat on the session page and the authority on its desk.
#[component]
pub fn RevokeForm(
    id: i64,
    action: ServerAction<crate::api::notice::RevokeForMisconduct>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <details class="revoke">
            <summary>{t(Key::RevokeForMisconduct)}</summary>
            <ActionForm action attr:class="decision">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="text" name="reason" required=true maxlength="2000"
                    aria-label=move || lang.get().text(Key::RevokeReason)
                    placeholder=move || lang.get().text(Key::RevokeReason) />
                <button type="submit" class="button button--small button--danger">{t(Key::RevokeConfirm)}</button>
            </ActionForm>
            <p class="field__hint">{t(Key::RevokeHint)}</p>
        </details>
    }
}
