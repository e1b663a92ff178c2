//! One's own account: change the password.

use super::{Guard, PageHeader};
use crate::api::auth::ChangePassword;
use crate::components::form::{Field, FormMessage, action_error};
use crate::domain::access::Area;
use crate::i18n::{Key, use_lang};
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <Guard area=Area::Account>
            <ChangePasswordForm />
        </Guard>
    }
}

#[component]
fn ChangePasswordForm() -> impl IntoView {
    let lang = use_lang();
    let change = ServerAction::<ChangePassword>::new();
    let error = action_error(change);
    let success = Signal::derive(move || {
        matches!(change.value().get(), Some(Ok(())))
            .then(|| lang.get().text(Key::PasswordChanged).to_string())
    });
    view! {
        <PageHeader title=Key::AccountTitle />
        <section class="panel panel--narrow">
            <h2>{move || lang.get().text(Key::ChangePassword)}</h2>
            <FormMessage error success />
            <ActionForm action=change>
                <Field name="current" label=Key::CurrentPassword kind="password" required=true autocomplete="current-password" error />
                <Field name="new" label=Key::NewPassword kind="password" required=true autocomplete="new-password" hint=Key::PasswordHint error />
                <Field name="confirm" label=Key::ConfirmPassword kind="password" required=true autocomplete="new-password" error />
                <button type="submit" class="button button--primary">{move || lang.get().text(Key::Save)}</button>
            </ActionForm>
        </section>
    }
}
