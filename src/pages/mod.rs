//! Route-level pages. Each owns its resources and actions; access is decided by
//! [`Guard`] from the same policy the server enforces.

pub mod account;
pub mod attendance;
pub mod audit;
pub mod bases;
pub mod cohort;
pub mod cohorts;
pub mod committees;
pub mod corrections;
pub mod courses;
pub mod errors;
pub mod home;
pub mod impact;
pub mod import;
pub mod imports;
pub mod login;
pub mod outcome_forms;
pub mod overview;
pub mod profile;
pub mod progress;
pub mod record_forms;
pub mod records;
pub mod reviews;
pub mod rulesets;
pub mod title;
pub mod users;
pub mod verify;
pub mod whatif;

use crate::api::auth::SessionState;
use crate::app::use_session;
use crate::domain::access::{Area, can_open};
use crate::i18n::{Key, t};
use errors::{ErrorPanel, Forbidden};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// Shows `children` to a signed-in user allowed `area`; sends anonymous visitors to sign in and
/// answers 403 to everyone else.
#[component]
pub fn Guard(area: Area, children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let path = use_location().pathname;
    let children = StoredValue::new(children);
    view! {
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match session.info.await {
                    Ok(SessionState { user: Some(u), .. }) if can_open(&u.grants, area) => {
                        children.read_value()().into_any()
                    }
                    Ok(SessionState { user: Some(_), .. }) => view! { <Forbidden /> }.into_any(),
                    Ok(_) => {
                        let next = path.get_untracked();
                        view! { <Redirect path=format!("/login?next={next}") /> }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A page's title block. A page that shows times says here, once, the zone they are in.
#[component]
pub fn PageHeader(
    title: Key,
    #[prop(optional)] lead: Option<Key>,
    #[prop(optional)] times: bool,
) -> impl IntoView {
    view! {
        <div class="page-header">
            <h1>{t(title)}</h1>
            {lead.map(|l| view! { <p class="page-header__lead">{t(l)}</p> })}
            {times.then(|| view! { <crate::components::time::ZoneNote /> })}
        </div>
    }
}

/// The numeric route parameter `key` (`/review/:id`), 0 when missing or not a number (the
/// server then answers "not found").
pub fn route_id(key: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        params
            .read()
            .get(key)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    }
}
