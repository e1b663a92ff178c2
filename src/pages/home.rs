//! The landing page: for each role the user holds, that role's next tasks.

use super::errors::ErrorPanel;
use super::{Guard, PageHeader};
use crate::api::dashboard::{Task, TaskGroup, my_tasks};
use crate::components::labels::role_key;
use crate::domain::access::Area;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Guard area=Area::Home>
            <Dashboard />
        </Guard>
    }
}

#[component]
fn Dashboard() -> impl IntoView {
    let tasks = Resource::new(|| (), |_| my_tasks());
    view! {
        <PageHeader title=Key::HomeTitle lead=Key::HomeLead />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match tasks.await {
                    Ok(groups) if groups.is_empty() => {
                        view! { <p class="panel">{t(Key::NoRolesYet)}</p> }.into_any()
                    }
                    Ok(groups) => {
                        view! {
                            <div class="card-grid">
                                {groups.into_iter().map(|g| view! { <TaskCard group=g /> }).collect_view()}
                            </div>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TaskCard(group: TaskGroup) -> impl IntoView {
    let lang = use_lang();
    let title = group.role.map_or(Key::YourAccount, role_key);
    view! {
        <section class="card" data-testid="task-card">
            <header class="card__header">
                <h2>{move || lang.get().text(title)}</h2>
                {group.scope.map(|s| view! { <p class="card__scope">{s}</p> })}
            </header>
            <ul class="task-list">
                {group.tasks.into_iter().map(|task| view! { <TaskItem task /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn TaskItem(task: Task) -> impl IntoView {
    let lang = use_lang();
    let Task {
        key,
        count,
        detail,
        href,
    } = task;
    let label = move || lang.get().text(key);
    let body = view! {
        <span class="task__label">{label}</span>
        {detail.map(|d| view! { <span class="task__detail">{d}</span> })}
        {count.map(|n| view! { <span class="task__count">{n}</span> })}
    };
    match href {
        Some(h) => view! { <li class="task"><a href=h>{body}</a></li> }.into_any(),
        None => view! { <li class="task">{body}</li> }.into_any(),
    }
}
