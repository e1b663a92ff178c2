//! The HTML shell, the root component and the route table.

use crate::api::AppError;
use crate::api::auth::{SessionState, SetLanguage, SignIn, SignOut, session_info};
use crate::components::layout::{Footer, Header};
use crate::i18n::{Key, Lang, LangCtx, t};
use crate::pages::{
    account::AccountPage, audit::AuditPage, bases::BasesPage, cohort::CohortPage,
    cohorts::CohortsPage, committees::CommitteesPage, courses::CoursesPage, errors::NotFound,
    home::HomePage, login::LoginPage, overview::OverviewPage, profile::ProfilePage,
    progress::ProgressPage, records::RecordsPage, reviews::ReviewsPage, rulesets::RulesetsPage,
    users::UsersPage, verify::VerifyPage,
};
use leptos::prelude::*;
use leptos_meta::{Html, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The document around the app. On the server it also hands the response's CSP nonce to the
/// hydration scripts.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<axum::http::request::Parts>()
        && let Some(nonce) = parts.extensions.get::<crate::server::security::CspNonce>()
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0.clone()));
    }
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The signed-in session and the actions that change it, shared through context.
#[derive(Clone, Copy)]
pub struct Session {
    pub info: Resource<Result<SessionState, AppError>>,
    pub sign_in: ServerAction<SignIn>,
    pub sign_out: ServerAction<SignOut>,
    pub set_language: ServerAction<SetLanguage>,
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The language on first render, read the same way on both sides so hydration matches:
/// from the request's cookie on the server, from `document.cookie` in the browser.
fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .map(|p| crate::server::session::request_lang(&p.headers))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Lang::from_cookie_header(&crate::i18n::document_cookie())
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = RwSignal::new(initial_lang());
    provide_context(LangCtx(lang));

    let sign_in = ServerAction::<SignIn>::new();
    let sign_out = ServerAction::<SignOut>::new();
    let set_language = ServerAction::<SetLanguage>::new();
    let info = Resource::new_blocking(
        move || (sign_in.version().get(), sign_out.version().get()),
        |_| session_info(),
    );
    provide_context(Session {
        info,
        sign_in,
        sign_out,
        set_language,
    });
    // The switch takes effect at once; the cookie (set by the server function) keeps it.
    Effect::new(move || {
        if let Some(Ok(chosen)) = set_language.value().get() {
            lang.set(chosen);
        }
    });

    // <html lang> and <title> are rendered after the page body, outside the request's reactive
    // owner, so on the server they must not read signals (under concurrent requests that read
    // panics or touches another request's state). They start from the initial language; in the
    // browser an effect keeps them in step with the switch.
    let initial = lang.get_untracked();
    #[cfg(feature = "hydrate")]
    Effect::new(move || {
        let chosen = lang.get();
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(chosen.text(Key::AppName));
            if let Some(root) = doc.document_element() {
                let _ = root.set_attribute("lang", chosen.html_lang());
            }
        }
    });

    view! {
        <Html {..} lang=initial.html_lang() />
        <Stylesheet id="leptos" href="/pkg/ladder.css" />
        <Title text=initial.text(Key::AppName) />
        <Router>
            <a class="skip-link" href="#main">{t(Key::SkipToContent)}</a>
            <Header />
            <main id="main" class="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/profile") view=ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/progress") view=ProgressPage ssr=SsrMode::Async />
                    <Route path=path!("/records") view=RecordsPage ssr=SsrMode::Async />
                    <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/reviews") view=ReviewsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/overview") view=OverviewPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/imports") view=crate::pages::imports::ImportsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/imports/:id") view=crate::pages::import::ImportPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=UsersPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/bases") view=BasesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/cohorts") view=CohortsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/cohorts/:code") view=CohortPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/courses") view=CoursesPage ssr=SsrMode::Async />
                    <Route path=path!("/committees") view=CommitteesPage ssr=SsrMode::Async />
                    <Route path=path!("/rulesets") view=RulesetsPage ssr=SsrMode::Async />
                    <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/title") view=crate::pages::title::apply::TitlePage ssr=SsrMode::Async />
                    <Route path=path!("/title/applications/:id") view=crate::pages::title::dossier::DossierPage ssr=SsrMode::Async />
                    <Route path=path!("/unit/applications") view=crate::pages::title::unit::UnitApplicationsPage ssr=SsrMode::Async />
                    <Route path=path!("/review") view=crate::pages::title::sessions::ReviewSessionsPage ssr=SsrMode::Async />
                    <Route path=path!("/review/:id") view=crate::pages::title::session::ReviewSessionPage ssr=SsrMode::Async />
                    <Route path=path!("/review/:id/record") view=crate::pages::title::record::MeetingRecordPage ssr=SsrMode::Async />
                    <Route path=path!("/review/meetings/:id/board") view=crate::pages::title::board::BallotBoardPage ssr=SsrMode::Async />
                    <Route path=path!("/expert") view=crate::pages::title::tasks::ExpertPage ssr=SsrMode::Async />
                    <Route path=path!("/vote") view=crate::pages::title::vote::VotePage ssr=SsrMode::Async />
                    <Route path=path!("/confirm") view=crate::pages::title::confirm::ConfirmPage ssr=SsrMode::Async />
                    <Route path=path!("/notices") view=crate::pages::title::notice::PublicNoticePage ssr=SsrMode::Async />
                    <Route path=path!("/expert/applications/:id") view=crate::pages::title::sheet::ScoreSheetPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
