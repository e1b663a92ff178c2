//! The page frame: header (product, navigation by role, the signed-in user, language switch,
//! sign-out) and footer.

use super::labels::role_key;
use crate::api::auth::{SessionState, UserInfo};
use crate::app::use_session;
use crate::domain::access::{Area, can_open};
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;
use leptos_router::components::A;

fn area_key(area: Area) -> Key {
    match area {
        Area::Home => Key::NavHome,
        Area::Account => Key::NavAccount,
        Area::Profile => Key::NavProfile,
        Area::Users => Key::NavUsers,
        Area::Bases => Key::NavBases,
        Area::Cohorts => Key::NavCohorts,
        Area::Courses => Key::NavCourses,
        Area::Committees => Key::NavCommittees,
        Area::Rulesets => Key::NavRulesets,
        Area::Audit => Key::NavAudit,
        Area::Progress => Key::NavProgress,
        Area::Records => Key::NavRecords,
        Area::Verify => Key::NavVerify,
        Area::Overview => Key::NavOverview,
        Area::Reviews => Key::NavReviews,
        Area::Imports => Key::NavImports,
        Area::Title => Key::NavTitle,
        Area::UnitApplications => Key::NavUnitApplications,
        Area::ReviewSessions => Key::NavReviewSessions,
        Area::Expert => Key::NavExpert,
        Area::Vote => Key::NavVote,
        Area::Confirm => Key::NavConfirm,
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let menu_open = RwSignal::new(false);
    let user = move || {
        session
            .info
            .get()
            .and_then(Result::ok)
            .and_then(|s: SessionState| s.user)
    };
    view! {
        <header class="site-header">
            <div class="site-header__bar">
                <a class="brand" href="/">
                    <span class="brand__mark" aria-hidden="true">"L"</span>
                    <span class="brand__name">{t(Key::AppName)}</span>
                </a>
                // A link to the menu, so it opens (via CSS :target) before the page is
                // hydrated; once hydrated it toggles in place.
                <a
                    href="#site-nav"
                    role="button"
                    class="menu-toggle"
                    aria-controls="site-nav"
                    aria-expanded=move || if menu_open.get() { "true" } else { "false" }
                    on:click=move |ev| {
                        ev.prevent_default();
                        menu_open.update(|o| *o = !*o);
                    }
                >
                    <span aria-hidden="true">"☰"</span>
                    <span class="visually-hidden">{t(Key::Menu)}</span>
                </a>
                <div class="site-header__tools" class:is-open=move || menu_open.get() id="site-nav">
                    <Transition fallback=|| ()>
                        {move || match user() {
                            Some(u) => view! { <Nav user=u.clone() /> <UserBox user=u /> }.into_any(),
                            None => view! {
                                <a class="site-header__link" href="/notices">{t(Key::NavPublicNotices)}</a>
                            }.into_any(),
                        }}
                    </Transition>
                    <ActionForm action=session.set_language>
                        <input type="hidden" name="lang" value=move || lang.get().other().code() />
                        <button type="submit" class="lang-switch" lang=move || lang.get().other().html_lang()>
                            {move || lang.get().other().text(Key::LanguageName)}
                        </button>
                    </ActionForm>
                </div>
            </div>
        </header>
    }
}

#[component]
fn Nav(user: UserInfo) -> impl IntoView {
    let items: Vec<Area> = Area::NAV
        .into_iter()
        .filter(|a| can_open(&user.grants, *a))
        .collect();
    view! {
        <nav class="site-nav" aria-label=t(Key::MainNavigation)>
            <ul>
                {items
                    .into_iter()
                    .map(|area| {
                        view! {
                            <li>
                                <A href=area.path() exact=true>{t(area_key(area))}</A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
fn UserBox(user: UserInfo) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let roles = user.roles.clone();
    view! {
        <div class="user-box">
            <a class="user-box__name" href="/account" title=t(Key::NavAccount)>{user.name.clone()}</a>
            <ul class="user-box__roles" aria-label=t(Key::YourRoles)>
                {roles
                    .into_iter()
                    .map(|r| {
                        let scope = r.scope.clone();
                        view! {
                            <li class="role-chip" title=scope.clone().unwrap_or_default()>
                                {move || lang.get().text(role_key(r.role))}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <ActionForm action=session.sign_out>
                <button type="submit" class="button button--ghost">{t(Key::SignOut)}</button>
            </ActionForm>
        </div>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>{t(Key::FooterAbout)}</p>
            <p class="site-footer__meta">
                <a href="/notices">{t(Key::NavPublicNotices)}</a> " · " {t(Key::FooterLicense)}
            </p>
        </footer>
    }
}
