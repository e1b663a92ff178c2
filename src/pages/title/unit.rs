//! A unit's approval (单位审核推荐): its staff's applications, approval with the unit's public
//! notice, return with a reason, and objections to the notice.

use super::{Deadlines, Reasons, StateBadge};
use crate::api::title::{ApplicationView, UnitDecide, unit_applications};
use crate::components::form::{FormMessage, action_error};
use crate::domain::access::Area;
use crate::domain::review::procedure::State;
use crate::i18n::{Key, t, use_lang};
use crate::pages::errors::ErrorPanel;
use crate::pages::{Guard, PageHeader};
use leptos::prelude::*;

#[component]
pub fn UnitApplicationsPage() -> impl IntoView {
    view! {
        <Guard area=Area::UnitApplications>
            <UnitApplications />
        </Guard>
    }
}

#[component]
fn UnitApplications() -> impl IntoView {
    let lang = use_lang();
    let decide = ServerAction::<UnitDecide>::new();
    let data = Resource::new(
        move || (lang.get(), decide.version().get()),
        |_| unit_applications(),
    );
    let error = action_error(decide);
    view! {
        <PageHeader title=Key::UnitTitle lead=Key::UnitLead />
        <FormMessage error />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(q) if q.applications.is_empty() => view! { <p class="empty">{t(Key::NoUnitApplications)}</p> }.into_any(),
                    Ok(q) => {
                        let today = q.today.to_string();
                        view! {
                            <ul class="queue">
                                {q.applications.into_iter().map(|app| view! { <Entry app decide today=today.clone() /> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Entry(app: ApplicationView, decide: ServerAction<UnitDecide>, today: String) -> impl IntoView {
    let id = app.id;
    let state = app.state;
    view! {
        <li class="queue__item panel" data-application=id.to_string()>
            <div class="queue__head">
                <strong>{app.person_name.clone()}</strong>
                <span class="muted">" · " {app.session_code.clone()}</span>
                <StateBadge state />
                <a class="button button--small" href=format!("/title/applications/{id}")>{t(Key::ViewDossier)}</a>
            </div>
            <div class="queue__body">
                <div class="eligibility-line">
                    <span class="muted">{t(Key::EligibilityCheck)} {t(Key::Colon)}</span>
                    <Reasons reasons=app.ineligible.clone() />
                </div>
                <Deadlines app=app.clone() />
            </div>
            <div class="queue__actions">
                {match state {
                    State::Submitted => view! {
                        <ActionForm action=decide attr:class="decision">
                            <input type="hidden" name="id" value=id.to_string() />
                            <input type="hidden" name="decision" value="approve" />
                            <label>{t(Key::NoticeFrom)} " "
                                <input type="date" name="notice_from" value=today required /></label>
                            <button type="submit" class="button button--small button--primary">{t(Key::ApproveAndPublicise)}</button>
                        </ActionForm>
                        <ReasonForm decide id decision="return" label=Key::ReturnToCandidate />
                    }.into_any(),
                    State::UnitPublicNotice => view! {
                        <ReasonForm decide id decision="objection" label=Key::RecordObjection />
                    }.into_any(),
                    State::UnitObjectionReview => view! {
                        <ReasonForm decide id decision="dismiss" label=Key::DismissObjection />
                        <ReasonForm decide id decision="uphold" label=Key::UpholdObjection />
                    }.into_any(),
                    _ => ().into_any(),
                }}
            </div>
        </li>
    }
}

#[component]
fn ReasonForm(
    decide: ServerAction<UnitDecide>,
    id: i64,
    decision: &'static str,
    label: Key,
) -> impl IntoView {
    view! {
        <ActionForm action=decide attr:class="decision">
            <super::ReasonFields id decision label />
        </ActionForm>
    }
}
