//! A reviewer's tasks (评审任务): the candidates assigned to them with their score sheets and
//! deadlines, and the declaration of a conflict of interest with one of them.

use super::StateBadge;
use crate::api::panels::{DeclareConflict, my_review_tasks};
use crate::components::form::{FormMessage, action_error};
use crate::domain::access::Area;
use crate::domain::review::procedure::State;
use crate::i18n::{Key, t, use_lang};
use crate::pages::errors::ErrorPanel;
use crate::pages::{Guard, PageHeader};
use leptos::prelude::*;

#[component]
pub fn ExpertPage() -> impl IntoView {
    view! {
        <Guard area=Area::Expert>
            <Tasks />
        </Guard>
    }
}

#[component]
fn Tasks() -> impl IntoView {
    let lang = use_lang();
    let declare = ServerAction::<DeclareConflict>::new();
    let data = Resource::new(move || declare.version().get(), |_| my_review_tasks());
    let error = action_error(declare);
    view! {
        <PageHeader title=Key::ExpertTitle lead=Key::ExpertLead />
        <FormMessage error />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">{t(Key::NoAssignments)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="queue">
                            {list.into_iter().map(|task| {
                                let open = matches!(task.state, State::PanelAssigned | State::ExpertReview);
                                let primary = (!task.scored || task.defense_owed) && task.state == State::ExpertReview;
                                view! {
                                    <li class="queue__item panel" data-application=task.application_id.to_string()>
                                        <div class="queue__head">
                                            <strong>{task.candidate.clone()}</strong>
                                            <span class="muted">" · " {task.session_code.clone()}</span>
                                            <StateBadge state=task.state />
                                            {task.scored.then(|| view! { <span class="badge badge--ok">{t(Key::Scored)}</span> })}
                                            {task.reminded.then(|| view! { <span class="badge badge--warn">{t(Key::RemindedBadge)}</span> })}
                                            {task.state.reviewers_read().then(|| view! {
                                                <a class="button button--small" href=format!("/title/applications/{}", task.application_id)>{t(Key::ViewDossier)}</a>
                                                <a class="button button--small" class:button--primary=primary
                                                    href=format!("/expert/applications/{}", task.application_id)>{t(Key::ScoreSheet)}</a>
                                            })}
                                        </div>
                                        {(task.state == State::ExpertReview && !task.scored).then(|| {
                                            let by = task.scoring_to.to_string();
                                            view! { <p class="muted">{move || lang.get().text(Key::ScoreBy).replace("{date}", &by)}</p> }
                                        })}
                                        {(task.defense && open).then(|| view! {
                                            <p class="muted" data-defense-at=task.defense_at.as_ref().map(|d| d.line()).unwrap_or_default()>
                                                {t(Key::DefenseWhen)} {t(Key::Colon)}
                                                {match task.defense_at.as_ref() {
                                                    Some(d) => d.line().into_any(),
                                                    None => t(Key::DefenseNotScheduled).into_any(),
                                                }}
                                                {(task.defense_owed && task.state == State::ExpertReview).then(|| view! {
                                                    " " <span class="badge badge--warn">{t(Key::DefenseOwed)}</span>
                                                })}
                                            </p>
                                        })}
                                        {open.then(|| view! {
                                            <div class="queue__actions">
                                                <ActionForm action=declare attr:class="decision">
                                                    <input type="hidden" name="id" value=task.application_id.to_string() />
                                                    <input type="text" name="reason" required=true maxlength="2000"
                                                        aria-label=move || lang.get().text(Key::ConflictReason)
                                                        placeholder=move || lang.get().text(Key::ConflictReason) />
                                                    <button type="submit" class="button button--small">{t(Key::DeclareConflict)}</button>
                                                </ActionForm>
                                            </div>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}
