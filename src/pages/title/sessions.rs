//! Review sessions (评审批次): the committee's sessions, and the form that opens one.

use crate::api::title::{CreateReviewSession, SessionsHome, review_sessions};
use crate::components::form::{Field, FormMessage, action_error};
use crate::domain::access::Area;
use crate::i18n::{Key, t, use_lang};
use crate::pages::errors::ErrorPanel;
use crate::pages::{Guard, PageHeader};
use leptos::prelude::*;

#[component]
pub fn ReviewSessionsPage() -> impl IntoView {
    view! {
        <Guard area=Area::ReviewSessions>
            <Sessions />
        </Guard>
    }
}

#[component]
fn Sessions() -> impl IntoView {
    let create = ServerAction::<CreateReviewSession>::new();
    let data = Resource::new(move || create.version().get(), |_| review_sessions());
    view! {
        <PageHeader title=Key::ReviewSessionsTitle lead=Key::ReviewSessionsLead />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(home) => view! { <List home create /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn List(home: SessionsHome, create: ServerAction<CreateReviewSession>) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(create);
    let d = home.defaults.clone();
    let share = |s: crate::domain::review::ballot::Share| format!("{}/{}", s.num, s.den);
    let others = format!(
        "{} {} · {} {}",
        share(d.quorum),
        lang.get_untracked().text(Key::OfMembers),
        share(d.pass),
        lang.get_untracked().text(Key::OfAttending),
    );
    view! {
        {(!home.committees.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{t(Key::NewSession)}</h2>
                <FormMessage error />
                <ActionForm action=create attr:class="form-grid">
                    <div class="field">
                        <label for="session-committee">{t(Key::CommitteeLabel)}</label>
                        <select id="session-committee" name="committee_id">
                            {home.committees.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                    <Field name="code" label=Key::SessionCode required=true error />
                    <Field name="name" label=Key::SessionName required=true error />
                    <Field name="applies_from" label=Key::AppliesFrom kind="date" required=true error />
                    <Field name="applies_to" label=Key::AppliesTo kind="date" required=true error />
                    <Field name="scoring_from" label=Key::ScoringFrom kind="date" required=true error />
                    <Field name="scoring_to" label=Key::ScoringTo kind="date" required=true error />
                    <Field name="meeting_on" label=Key::MeetingOn kind="date" required=true error />
                    <Field name="unit_notice_days" label=Key::UnitNoticeDays kind="number" required=true value=d.unit_notice_days.to_string() error />
                    <Field name="result_notice_days" label=Key::ResultNoticeDays kind="number" required=true value=d.result_notice_days.to_string() error />
                    <Field name="min_reviewers" label=Key::MinReviewers kind="number" required=true value=d.min_reviewers.to_string() error />
                    <Field name="conflict_years" label=Key::ConflictYears kind="number" required=true value=d.conflict_years.to_string() error />
                    <Field name="supplement_days" label=Key::SupplementDays kind="number" required=true value=d.supplement_days.to_string() error />
                    <div class="field form-grid__wide">
                        <label><input type="checkbox" name="defense" value="on" checked=d.defense /> " " {t(Key::DefenseOption)}</label>
                    </div>
                    <p class="field__hint form-grid__wide">{t(Key::OtherRules)} {t(Key::Colon)} {t(Key::QuorumRule)} " / " {t(Key::PassRule)} " " {others}</p>
                    <div class="form-grid__actions">
                        <button type="submit" class="button button--primary">{t(Key::NewSession)}</button>
                    </div>
                </ActionForm>
            </section>
        })}
        {if home.sessions.is_empty() {
            view! { <p class="empty">{t(Key::NoReviewSessions)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{t(Key::SessionCode)}</th>
                                <th scope="col">{t(Key::SessionName)}</th>
                                <th scope="col">{t(Key::ApplicationWindow)}</th>
                                <th scope="col">{t(Key::MeetingDate)}</th>
                                <th scope="col" class="num">{t(Key::ApplicationsCount)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {home.sessions.into_iter().map(|s| view! {
                                <tr>
                                    <td data-label=t(Key::SessionCode)><a href=format!("/review/{}", s.id)><code>{s.code.clone()}</code></a></td>
                                    <td data-label=t(Key::SessionName)>{s.name.clone()} <br /><span class="muted">{s.committee.clone()}</span></td>
                                    <td data-label=t(Key::ApplicationWindow) class="nowrap">{format!("{} – {}", s.applies_from, s.applies_to)}</td>
                                    <td data-label=t(Key::MeetingDate) class="nowrap">{s.meeting_on.to_string()}</td>
                                    <td data-label=t(Key::ApplicationsCount) class="num">{s.applications}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
