//! Not found, forbidden, and errors from the server.

use crate::api::{AppError, set_page_status};
use crate::components::form::error_text;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    set_page_status(404);
    view! {
        <section class="panel panel--narrow error-page">
            <p class="error-page__code">"404"</p>
            <h1>{t(Key::NotFoundTitle)}</h1>
            <p>{t(Key::NotFoundText)}</p>
            <a class="button" href="/">{t(Key::BackHome)}</a>
        </section>
    }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    set_page_status(403);
    view! {
        <section class="panel panel--narrow error-page">
            <p class="error-page__code">"403"</p>
            <h1>{t(Key::ForbiddenTitle)}</h1>
            <p>{t(Key::ForbiddenText)}</p>
            <a class="button" href="/">{t(Key::BackHome)}</a>
        </section>
    }
}

/// An error from a server function, in the reader's language, never with internal detail.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    if matches!(error, AppError::Forbidden) {
        return view! { <Forbidden /> }.into_any();
    }
    let lang = use_lang();
    view! {
        <p class="alert alert--error" role="alert">{move || error_text(lang.get(), &error)}</p>
    }
    .into_any()
}
