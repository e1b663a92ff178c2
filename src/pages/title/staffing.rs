//! A session's sub-panels, reviewers and conflicts, on the session page: the secretariat puts
//! accepted applications on panels, assigns reviewers (conflicts found on the way) and locks
//! the recusals; the chair reads along.

use crate::api::panels::{StaffReview, StaffingView};
use crate::api::title::ApplicationView;
use crate::components::form::{FormMessage, action_error};
use crate::domain::review::procedure::State;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

pub(super) fn conflict_key(code: &str) -> Key {
    match code {
        "self" => Key::ConflictSelf,
        "same_employer" => Key::ConflictSameEmployer,
        "co_manager" => Key::ConflictCoManager,
        "counterparty" => Key::ConflictCounterparty,
        "shared_case" => Key::ConflictSharedCase,
        _ => Key::ConflictDeclared,
    }
}

/// The staffing of the applications that are on (or waiting for) a panel.
#[component]
pub fn Staffing(
    session_id: i64,
    applications: Vec<ApplicationView>,
    can_run: bool,
    staff: ServerAction<StaffReview>,
    data: Result<StaffingView, crate::api::AppError>,
) -> impl IntoView {
    let error = action_error(staff);
    let staffed: Vec<ApplicationView> = applications
        .into_iter()
        .filter(|a| matches!(a.state, State::PanelAssigned | State::ExpertReview))
        .collect();
    if staffed.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="panel staffing">
            <h2>{t(Key::AssignedReviewers)}</h2>
            <FormMessage error />
            {can_run.then(|| view! {
                <ActionForm action=staff attr:class="decision">
                    <input type="hidden" name="id" value=session_id.to_string() />
                    <input type="hidden" name="step" value="assign" />
                    <button type="submit" class="button button--primary button--small">{t(Key::AssignReviewers)}</button>
                    <span class="field__hint">{t(Key::AssignReviewersHint)}</span>
                </ActionForm>
            })}
            {match data {
                Ok(v) => view! { <Table v staffed can_run staff /> }.into_any(),
                Err(e) => view! { <crate::pages::errors::ErrorPanel error=e /> }.into_any(),
            }}
        </section>
    }
    .into_any()
}

#[component]
fn Table(
    v: StaffingView,
    staffed: Vec<ApplicationView>,
    can_run: bool,
    staff: ServerAction<StaffReview>,
) -> impl IntoView {
    let lang = use_lang();
    let panels = v.panels.clone();
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{t(Key::Candidate)}</th>
                        <th scope="col">{t(Key::PanelLabel)}</th>
                        <th scope="col">{t(Key::AssignedReviewers)}</th>
                        <th scope="col">{t(Key::ConflictsFound)}</th>
                    </tr>
                </thead>
                <tbody>
                    {staffed.into_iter().map(|a| {
                        let s = v.applications.iter().find(|s| s.application_id == a.id).cloned();
                        let panel = s.as_ref().and_then(|s| s.panel_id);
                        let reviewers = s.as_ref().map(|s| s.reviewers.join("、")).unwrap_or_default();
                        let conflicts = s.map(|s| s.conflicts).unwrap_or_default();
                        let open = a.state == State::PanelAssigned && can_run;
                        let panel_name = panels.iter().find(|(id, _)| Some(*id) == panel).map(|(_, n)| n.clone()).unwrap_or_default();
                        let panels = panels.clone();
                        view! {
                            <tr data-application=a.id.to_string()>
                                <td data-label=t(Key::Candidate)>{a.person_name.clone()}</td>
                                <td data-label=t(Key::PanelLabel)>
                                    {if open {
                                        view! {
                                            <ActionForm action=staff attr:class="decision">
                                                <input type="hidden" name="id" value=a.id.to_string() />
                                                <input type="hidden" name="step" value="panel" />
                                                <select name="panel_id" aria-label=move || lang.get().text(Key::PanelLabel)>
                                                    {panels.iter().map(|(id, name)| view! {
                                                        <option value=id.to_string() selected=Some(*id) == panel>{name.clone()}</option>
                                                    }).collect_view()}
                                                </select>
                                                <button type="submit" class="button button--small">{t(Key::SetPanel)}</button>
                                            </ActionForm>
                                        }.into_any()
                                    } else {
                                        view! { <span>{panel_name}</span> }.into_any()
                                    }}
                                </td>
                                <td data-label=t(Key::AssignedReviewers)>
                                    <span class="reviewers">{reviewers}</span>
                                    {open.then(|| view! {
                                        <ActionForm action=staff attr:class="decision">
                                            <input type="hidden" name="id" value=a.id.to_string() />
                                            <input type="hidden" name="step" value="lock" />
                                            <button type="submit" class="button button--small button--primary">{t(Key::LockRecusals)}</button>
                                        </ActionForm>
                                    })}
                                </td>
                                <td data-label=t(Key::ConflictsFound)>
                                    <ul class="plain-list">
                                        {conflicts.into_iter().map(|(who, code, detail)| {
                                            let key = conflict_key(&code);
                                            view! { <li>{who} " · " {move || lang.get().text(key)} {(!detail.is_empty()).then(|| format!("（{detail}）"))}</li> }
                                        }).collect_view()}
                                    </ul>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
