//! Form pieces: a labelled field with its error beside it, and a form-level message.

use crate::api::{AppError, STATE};
use crate::i18n::{Key, Lang, use_lang};
use leptos::prelude::*;

/// Names the form the fields below belong to, on a page that holds several forms with the
/// same field names (their ids must stay unique, or a label names another form's input).
#[derive(Clone, Copy, Debug)]
pub struct FieldScope(pub &'static str);

/// The id of field `name`: `f-name`, or `f-scope-name` inside a [`FieldScope`].
pub fn field_id(name: &str) -> String {
    match use_context::<FieldScope>() {
        Some(FieldScope(scope)) => format!("f-{scope}-{name}"),
        None => format!("f-{name}"),
    }
}

/// A labelled input whose error (from the last submission) appears right below it.
#[component]
pub fn Field(
    /// The argument name of the server function, also the input's name.
    name: &'static str,
    label: Key,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] hint: Option<Key>,
    /// The last result of the form's action.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let id = field_id(name);
    let err_id = format!("{id}-error");
    let field_error = move || error.get().and_then(|e| e.field_key(name));
    view! {
        <div class="field" class:field--invalid=move || field_error().is_some()>
            <label for=id.clone()>{move || lang.get().text(label)}</label>
            <input
                id=id
                name=name
                type=kind
                required=required
                autocomplete=autocomplete
                value=value
                aria-invalid=move || field_error().is_some().then_some("true")
                aria-describedby=err_id.clone()
            />
            {hint.map(|h| view! { <p class="field__hint">{move || lang.get().text(h)}</p> })}
            <p class="field__error" id=err_id role="alert">
                {move || field_error().map(|k| lang.get().text(k))}
            </p>
        </div>
    }
}

/// A labelled select whose error sits below it; `selected` picks the option shown first.
#[component]
pub fn Choice(
    name: &'static str,
    label: Key,
    options: Vec<(&'static str, Key)>,
    #[prop(optional, into)] selected: Option<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let field_error = move || {
        error
            .get()
            .and_then(|e| e.field_key(name))
            .map(|k| lang.get().text(k))
    };
    let id = field_id(name);
    view! {
        <div class="field" class:field--invalid=move || field_error().is_some()>
            <label for=id.clone()>{move || lang.get().text(label)}</label>
            <select id=id name=name>
                {options.into_iter().map(|(value, key)| {
                    let sel = selected.as_deref() == Some(value);
                    view! { <option value=value selected=sel>{move || lang.get().text(key)}</option> }
                }).collect_view()}
            </select>
            <p class="field__error" role="alert">{field_error}</p>
        </div>
    }
}

/// The message for a whole form: an error that concerns no single field, or a success note.
#[component]
pub fn FormMessage(
    #[prop(into)] error: Signal<Option<AppError>>,
    /// Shown when the last submission succeeded.
    #[prop(optional, into)]
    success: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        {move || {
            error
                .get()
                .filter(|e| !e.is_about_fields())
                .map(|e| view! { <p class="alert alert--error" role="alert">{error_text(lang.get(), &e)}</p> })
        }}
        {move || {
            error
                .get()
                .filter(AppError::is_about_fields)
                .map(|_| view! { <p class="alert alert--error" role="alert">{lang.get().text(Key::ErrFixFields)}</p> })
        }}
        {move || {
            success
                .and_then(|s| s.get())
                .map(|text| view! { <p class="alert alert--ok" role="status">{text}</p> })
        }}
    }
}

/// The error of a server action's last result, as a signal for [`Field`] and [`FormMessage`].
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// The text of an error for a whole form or page, with the numbers it carries filled in.
pub fn error_text(lang: Lang, error: &AppError) -> String {
    let text = lang.text(error.key());
    match error {
        // Whole minutes, rounded up: "in 0 minutes" would be wrong.
        AppError::TooManyRequests { retry_after_secs } => text.replace(
            "{minutes}",
            &((retry_after_secs + 59) / 60).max(1).to_string(),
        ),
        AppError::Conflict(f) if f == STATE => lang.text(Key::ErrRecordState).to_string(),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_message_names_the_configured_window() {
        let e = AppError::TooManyRequests {
            retry_after_secs: 29 * 60 + 1,
        };
        assert_eq!(
            error_text(Lang::Zh, &e),
            "登录失败次数过多，请 30 分钟后再试。"
        );
        assert_eq!(
            error_text(Lang::En, &e),
            "Too many failed sign-ins. Try again in 30 minutes."
        );
        assert_eq!(
            error_text(Lang::En, &AppError::Forbidden),
            "You are not allowed to do that."
        );
    }
}
