//! The human-resources authority's desk (人社部门审核确认): results whose public notice has
//! ended, with the ballot and the objections they had; confirming one issues its certificate
//! number, which anyone can then look up on the public notice page.

use crate::api::notice::{ConfirmItem, ConfirmResult, RevokeForMisconduct, confirm_queue};
use crate::components::form::{FormMessage, action_error};
use crate::domain::access::Area;
use crate::i18n::{Key, t, use_lang};
use crate::pages::errors::ErrorPanel;
use crate::pages::{Guard, PageHeader};
use leptos::prelude::*;

#[component]
pub fn ConfirmPage() -> impl IntoView {
    view! {
        <Guard area=Area::Confirm>
            <Desk />
        </Guard>
    }
}

#[component]
fn Desk() -> impl IntoView {
    let lang = use_lang();
    let confirm = ServerAction::<ConfirmResult>::new();
    let revoke = ServerAction::<RevokeForMisconduct>::new();
    let data = Resource::new(
        move || (confirm.version().get(), revoke.version().get()),
        |_| confirm_queue(),
    );
    let error = action_error(confirm);
    let revoke_error = action_error(revoke);
    let done = Signal::derive(move || match confirm.value().get() {
        Some(Ok(number)) => Some(
            lang.get()
                .text(Key::CertificateIssued)
                .replace("{number}", &number),
        ),
        _ => None,
    });
    view! {
        <PageHeader title=Key::ConfirmTitle lead=Key::ConfirmLead />
        <FormMessage error success=done />
        <FormMessage error=revoke_error />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! {
                        <section class="panel">
                            <h2>{t(Key::AwaitingConfirmation)}</h2>
                            {if page.waiting.is_empty() {
                                view! { <p class="empty">{t(Key::NoResultsToConfirm)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="queue confirm-queue">
                                        {page.waiting.into_iter().map(|item| view! { <Item item confirm=Some(confirm) revoke /> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        {(!page.certified.is_empty()).then(|| view! {
                            <section class="panel">
                                <h2>{t(Key::CertifiedTitle)}</h2>
                                <ul class="queue certified">
                                    {page.certified.into_iter().map(|item| view! { <Item item confirm=None revoke /> }).collect_view()}
                                </ul>
                            </section>
                        })}
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Item(
    item: ConfirmItem,
    confirm: Option<ServerAction<ConfirmResult>>,
    revoke: ServerAction<RevokeForMisconduct>,
) -> impl IntoView {
    let lang = use_lang();
    let id = item.application_id;
    let (yes, attending, objections) = (item.yes, item.attending, item.objections);
    view! {
        <li class="queue__item" data-application=id.to_string()>
            <div class="queue__head">
                <strong>{item.candidate.clone()}</strong>
                <span class="muted">" · " {item.unit.clone()} " · " {item.session_name.clone()} " " {item.session_code.clone()}</span>
            </div>
            <p class="muted">
                {move || lang.get().text(Key::VoteLine)
                    .replace("{yes}", &yes.to_string())
                    .replace("{attending}", &attending.to_string())}
                " · "
                {move || lang.get().text(Key::ObjectionsCount).replace("{n}", &objections.to_string())}
            </p>
            {item.certificate.clone().map(|n| view! {
                <p>
                    {t(Key::CertificateNumber)} {t(Key::Colon)} " "
                    <a href=format!("/notices?number={n}#certificate")><code data-certificate=n.clone()>{n.clone()}</code></a>
                </p>
            })}
            {confirm.map(|action| view! {
                <ActionForm action attr:class="decision">
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit" class="button button--primary">{t(Key::ConfirmAndIssue)}</button>
                </ActionForm>
            })}
            <super::RevokeForm id action=revoke />
        </li>
    }
}
