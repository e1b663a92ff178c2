//! Training bases: the list, and registering a new one.

use super::errors::ErrorPanel;
use super::{Guard, PageHeader};
use crate::api::org::{AddBase, list_bases};
use crate::components::form::{Field, FormMessage, action_error};
use crate::domain::access::Area;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

#[component]
pub fn BasesPage() -> impl IntoView {
    view! {
        <Guard area=Area::Bases>
            <Bases />
        </Guard>
    }
}

#[component]
fn Bases() -> impl IntoView {
    let lang = use_lang();
    let add = ServerAction::<AddBase>::new();
    let error = action_error(add);
    let success = Signal::derive(move || {
        matches!(add.value().get(), Some(Ok(()))).then(|| lang.get().text(Key::Saved).to_string())
    });
    let bases = Resource::new(move || add.version().get(), |_| list_bases());
    view! {
        <PageHeader title=Key::BasesTitle lead=Key::BasesLead />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match bases.await {
                    Ok((list, can_add)) => view! {
                        {can_add.then(|| view! {
                            <section class="panel">
                                <h2>{t(Key::AddBase)}</h2>
                                <FormMessage error success />
                                <ActionForm action=add attr:class="form-row">
                                    <Field name="code" label=Key::Code required=true hint=Key::CodeHint error />
                                    <Field name="name" label=Key::BaseName required=true error />
                                    <Field name="region" label=Key::Region error />
                                    <button type="submit" class="button button--primary">{t(Key::Add)}</button>
                                </ActionForm>
                            </section>
                        })}
                        <div class="table-wrap">
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">{t(Key::Code)}</th>
                                        <th scope="col">{t(Key::BaseName)}</th>
                                        <th scope="col">{t(Key::Region)}</th>
                                        <th scope="col" class="num">{t(Key::CohortCount)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|b| view! {
                                        <tr>
                                            <td data-label=t(Key::Code)><code>{b.code}</code></td>
                                            <td data-label=t(Key::BaseName)>{b.name}</td>
                                            <td data-label=t(Key::Region)>{b.region}</td>
                                            <td data-label=t(Key::CohortCount) class="num">{b.cohorts}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}
