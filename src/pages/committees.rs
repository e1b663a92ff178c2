//! Review committees and their members (printable for the secretariat).

use super::errors::ErrorPanel;
use super::{Guard, PageHeader};
use crate::api::org::list_committees;
use crate::components::labels::role_key;
use crate::domain::access::Area;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

#[component]
pub fn CommitteesPage() -> impl IntoView {
    view! {
        <Guard area=Area::Committees>
            <Committees />
        </Guard>
    }
}

#[component]
fn Committees() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| list_committees());
    view! {
        <PageHeader title=Key::CommitteesTitle lead=Key::CommitteesLead />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => list.into_iter().map(|c| view! {
                        <section class="panel committee">
                            <h2>{c.name}</h2>
                            <p class="muted">{format!("{} · {} · {}", c.code, c.series, c.specialty)}</p>
                            <div class="table-wrap">
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t(Key::FullName)}</th>
                                            <th scope="col">{t(Key::Role)}</th>
                                            <th scope="col">{t(Key::Unit)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {c.members.into_iter().map(|m| view! {
                                            <tr>
                                                <td data-label=t(Key::FullName)>{m.name}</td>
                                                <td data-label=t(Key::Role)>{move || lang.get().text(role_key(m.role))}</td>
                                                <td data-label=t(Key::Unit)>{m.unit.unwrap_or_default()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                    }).collect_view().into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}
