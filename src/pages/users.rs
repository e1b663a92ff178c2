//! User administration: accounts, roles, passwords, deactivation.

use super::errors::ErrorPanel;
use super::{Guard, PageHeader};
use crate::api::admin::{
    CreateUser, GrantRole, ResetPassword, RevealIdNumber, RevokeRole, SetUserActive, UserView,
    list_users, scope_options,
};
use crate::components::form::{Field, FormMessage, action_error};
use crate::components::labels::role_key;
use crate::domain::access::Area;
use crate::domain::role::{Role, ScopeKind};
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateUser>,
    grant: ServerAction<GrantRole>,
    revoke: ServerAction<RevokeRole>,
    reset: ServerAction<ResetPassword>,
    active: ServerAction<SetUserActive>,
    reveal: ServerAction<RevealIdNumber>,
}

#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <Guard area=Area::Users>
            <Users />
        </Guard>
    }
}

#[component]
fn Users() -> impl IntoView {
    let a = Actions {
        create: ServerAction::new(),
        grant: ServerAction::new(),
        revoke: ServerAction::new(),
        reset: ServerAction::new(),
        active: ServerAction::new(),
        reveal: ServerAction::new(),
    };
    let users = Resource::new(
        move || {
            (
                a.create.version().get(),
                a.grant.version().get(),
                a.revoke.version().get(),
                a.active.version().get(),
                a.reset.version().get(),
            )
        },
        |_| list_users(),
    );
    view! {
        <PageHeader title=Key::UsersTitle lead=Key::UsersLead />
        <crate::pages::corrections::AdminCorrections />
        <div class="two-col">
            <CreateUserForm action=a.create />
            <GrantRoleForm action=a.grant users />
        </div>
        <ResetNotice action=a.reset />
        <RevealNotice action=a.reveal />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) => view! { <UserTable users=list actions=a /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CreateUserForm(action: ServerAction<CreateUser>) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(action);
    let success = Signal::derive(move || match action.value().get() {
        Some(Ok(pw)) => Some(format!("{} {pw}", lang.get().text(Key::InitialPasswordIs))),
        _ => None,
    });
    view! {
        <section class="panel">
            <h2>{t(Key::NewAccount)}</h2>
            <FormMessage error success />
            <ActionForm action>
                <Field name="username" label=Key::Username required=true hint=Key::UsernameHint error />
                <Field name="name" label=Key::FullName error />
                <Field name="email" label=Key::Email kind="email" error />
                <Field name="id_number" label=Key::IdNumber hint=Key::IdNumberHint error />
                <button type="submit" class="button button--primary">{t(Key::CreateAccount)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn GrantRoleForm(
    action: ServerAction<GrantRole>,
    users: Resource<Result<Vec<UserView>, crate::api::AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(action);
    let scopes = Resource::new(|| (), |_| scope_options());
    let role = RwSignal::new(Role::Trainee);
    let success = Signal::derive(move || {
        matches!(action.value().get(), Some(Ok(())))
            .then(|| lang.get().text(Key::RoleGranted).to_string())
    });
    let field_error = move |f: &'static str| {
        error
            .get()
            .and_then(|e| e.field_key(f))
            .map(|k| lang.get().text(k))
    };
    view! {
        <section class="panel">
            <h2>{t(Key::GrantRole)}</h2>
            <FormMessage error success />
            <ActionForm action>
                <div class="field">
                    <label for="grant-user">{t(Key::Account)}</label>
                    <select id="grant-user" name="user_id" required>
                        <Transition fallback=|| ()>
                            {move || {
                                users.get().and_then(Result::ok).map(|list| {
                                    list.into_iter()
                                        .map(|u| view! { <option value=u.id.to_string()>{format!("{} ({})", u.name, u.username)}</option> })
                                        .collect_view()
                                })
                            }}
                        </Transition>
                    </select>
                </div>
                <div class="field">
                    <label for="grant-role">{t(Key::Role)}</label>
                    <select
                        id="grant-role"
                        name="role"
                        on:change=move |ev| {
                            if let Ok(r) = Role::parse(&event_target_value(&ev)) {
                                role.set(r);
                            }
                        }
                    >
                        {Role::ALL
                            .into_iter()
                            .map(|r| view! { <option value=r.code()>{move || lang.get().text(role_key(r))}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field" class:field--invalid=move || field_error("scope_id").is_some()>
                    <label for="grant-scope">{t(Key::Scope)}</label>
                    <select id="grant-scope" name="scope_id">
                        <option value="">{t(Key::ScopeNone)}</option>
                        <Transition fallback=|| ()>
                            {move || {
                                scopes.get().and_then(Result::ok).map(|s| {
                                    let kind = role.get().scope_kind();
                                    let (label, items) = match kind {
                                        ScopeKind::Base => (Key::NavBases, s.bases),
                                        ScopeKind::Unit => (Key::Units, s.units),
                                        ScopeKind::Committee => (Key::NavCommittees, s.committees),
                                        ScopeKind::Global => (Key::ScopeNone, Vec::new()),
                                    };
                                    view! {
                                        <optgroup label=move || lang.get().text(label)>
                                            {items
                                                .into_iter()
                                                .map(|(id, name)| view! { <option value=id.to_string()>{name}</option> })
                                                .collect_view()}
                                        </optgroup>
                                    }
                                })
                            }}
                        </Transition>
                    </select>
                    <p class="field__hint">{t(Key::ScopeHint)}</p>
                    <p class="field__error" role="alert">{move || field_error("scope_id")}</p>
                </div>
                <button type="submit" class="button button--primary">{t(Key::Grant)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ResetNotice(action: ServerAction<ResetPassword>) -> impl IntoView {
    let lang = use_lang();
    move || {
        match action.value().get() {
        Some(Ok(pw)) => Some(view! {
            <p class="alert alert--ok" role="status">{move || lang.get().text(Key::NewPasswordIs)} " " <code>{pw.clone()}</code></p>
        }.into_any()),
        Some(Err(e)) => Some(view! { <ErrorPanel error=e /> }.into_any()),
        None => None,
    }
    }
}

#[component]
fn RevealNotice(action: ServerAction<RevealIdNumber>) -> impl IntoView {
    let lang = use_lang();
    move || {
        match action.value().get() {
        Some(Ok(id)) => Some(view! {
            <p class="alert alert--info" role="status">{move || lang.get().text(Key::RevealedIdNumber)} " " <code>{id.clone()}</code></p>
        }.into_any()),
        Some(Err(e)) => Some(view! { <ErrorPanel error=e /> }.into_any()),
        None => None,
    }
    }
}

#[component]
fn UserTable(users: Vec<UserView>, actions: Actions) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">{t(Key::UsersTitle)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(Key::Username)}</th>
                        <th scope="col">{t(Key::FullName)}</th>
                        <th scope="col">{t(Key::Unit)}</th>
                        <th scope="col">{t(Key::IdNumber)}</th>
                        <th scope="col">{t(Key::Phone)}</th>
                        <th scope="col">{t(Key::Roles)}</th>
                        <th scope="col">{t(Key::Status)}</th>
                        <th scope="col" class="actions">{t(Key::Actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || users.clone() key=|u| (u.id, u.active, u.roles.len()) let:user>
                        <UserRow user actions />
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn UserRow(user: UserView, actions: Actions) -> impl IntoView {
    let lang = use_lang();
    let id = user.id.to_string();
    let (reveal_id, reset_id, active_id) = (id.clone(), id.clone(), id);
    let has_id = user.id_number.is_some();
    view! {
        <tr class:is-inactive=!user.active>
            <td data-label=t(Key::Username)><code>{user.username.clone()}</code></td>
            <td data-label=t(Key::FullName)>{user.name.clone()}</td>
            <td data-label=t(Key::Unit)>{user.unit.clone().unwrap_or_default()}</td>
            <td data-label=t(Key::IdNumber)>
                <span class="mono">{user.id_number.clone().unwrap_or_default()}</span>
                {has_id.then(|| view! {
                    <ActionForm action=actions.reveal>
                        <input type="hidden" name="user_id" value=reveal_id.clone() />
                        <button type="submit" class="link-button">{t(Key::Reveal)}</button>
                    </ActionForm>
                })}
            </td>
            <td data-label=t(Key::Phone)><span class="mono">{user.phone.clone().unwrap_or_default()}</span></td>
            <td data-label=t(Key::Roles)>
                <ul class="chips">
                    {user.roles.iter().cloned().map(|g| view! {
                        <li class="role-chip">
                            {move || lang.get().text(role_key(g.role))}
                            {g.scope.clone().map(|s| view! { <span class="role-chip__scope">{s}</span> })}
                            <ActionForm action=actions.revoke>
                                <input type="hidden" name="grant_id" value=g.id.to_string() />
                                <button type="submit" class="chip-remove" aria-label=move || format!("{} {}", lang.get().text(Key::Revoke), lang.get().text(role_key(g.role)))>"×"</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            </td>
            <td data-label=t(Key::Status)>
                {if user.active {
                    view! { <span class="badge badge--ok">{t(Key::Active)}</span> }.into_any()
                } else {
                    view! { <span class="badge badge--muted">{t(Key::Inactive)}</span> }.into_any()
                }}
            </td>
            <td data-label=t(Key::Actions) class="actions">
                <ActionForm action=actions.reset>
                    <input type="hidden" name="user_id" value=reset_id />
                    <button type="submit" class="button button--small">{t(Key::ResetPassword)}</button>
                </ActionForm>
                <ActionForm action=actions.active>
                    <input type="hidden" name="user_id" value=active_id />
                    <input type="hidden" name="active" value=if user.active { "false" } else { "true" } />
                    <button type="submit" class="button button--small button--ghost">
                        {t(if user.active { Key::Deactivate } else { Key::Activate })}
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}
