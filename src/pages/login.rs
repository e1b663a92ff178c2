//! Sign-in.

use crate::app::use_session;
use crate::components::form::{FormMessage, action_error};
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let error = action_error(session.sign_in);
    let next = move || {
        use_query_map()
            .read()
            .get("next")
            .unwrap_or_else(|| "/".to_string())
    };
    let show_password = RwSignal::new(false);
    let field_error = move |name: &'static str| error.get().and_then(|e| e.field_key(name));
    view! {
        <section class="panel panel--narrow login">
            <h1>{t(Key::SignInTitle)}</h1>
            <p class="muted">{t(Key::SignInLead)}</p>
            <FormMessage error=Signal::derive(move || {
                error.get().filter(|e| e.field_key("password").is_none() && e.field_key("login").is_none())
            }) />
            <ActionForm action=session.sign_in>
                <input type="hidden" name="next" value=next />
                <div class="field" class:field--invalid=move || field_error("login").is_some()>
                    <label for="login">{t(Key::LoginName)}</label>
                    <input id="login" name="login" type="text" autocomplete="username" required />
                    <p class="field__error" role="alert">{move || field_error("login").map(|k| lang.get().text(k))}</p>
                </div>
                <div class="field" class:field--invalid=move || field_error("password").is_some()>
                    <label for="password">{t(Key::Password)}</label>
                    <div class="password-input">
                        <input
                            id="password"
                            name="password"
                            type=move || if show_password.get() { "text" } else { "password" }
                            autocomplete="current-password"
                            required
                        />
                        <button
                            type="button"
                            class="button button--ghost"
                            aria-pressed=move || if show_password.get() { "true" } else { "false" }
                            on:click=move |_| show_password.update(|s| *s = !*s)
                        >
                            {move || lang.get().text(if show_password.get() { Key::HidePassword } else { Key::ShowPassword })}
                        </button>
                    </div>
                    <p class="field__error" role="alert">{move || field_error("password").map(|k| lang.get().text(k))}</p>
                </div>
                <button type="submit" class="button button--primary button--block">{t(Key::SignIn)}</button>
            </ActionForm>
        </section>
    }
}
