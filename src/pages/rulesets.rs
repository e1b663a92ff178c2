//! Ruleset versions: the program authority checks a file, saves it as a draft and activates a
//! version; system admins and auditors read the versions and their summaries.

use super::errors::ErrorPanel;
use super::{Guard, PageHeader};
use crate::api::rulesets::{
    ActivateRuleset, CheckRuleset, RulesetCheck, RulesetImpact, RulesetVersionView, Stored,
    VersionStatus, list_rulesets,
};
use crate::components::form::{FormMessage, action_error};
use crate::components::time::Moment;
use crate::domain::access::Area;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

#[component]
pub fn RulesetsPage() -> impl IntoView {
    view! {
        <Guard area=Area::Rulesets>
            <Rulesets />
        </Guard>
    }
}

#[component]
fn Rulesets() -> impl IntoView {
    let check = ServerAction::<CheckRuleset>::new();
    let activate = ServerAction::<ActivateRuleset>::new();
    let impact = ServerAction::<RulesetImpact>::new();
    let data = Resource::new(
        move || (check.version().get(), activate.version().get()),
        |_| list_rulesets(),
    );
    view! {
        <PageHeader title=Key::RulesetsTitle times=true lead=Key::RulesetsLead />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        {d.can_manage.then(|| view! { <Upload check /> })}
                        <Versions versions=d.versions can_manage=d.can_manage activate impact />
                    }
                    .into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
        <super::impact::ImpactResult action=impact />
    }
}

/// Paste (or pick) a file, check it, then save the checked text as a draft.
#[component]
fn Upload(check: ServerAction<CheckRuleset>) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(check);
    let result = move || check.value().get().and_then(Result::ok);
    // The editor's text: a picked file, or what the last check handed back.
    let text = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(r) = result() {
            text.set(r.source);
        }
    });
    let source_error = move || {
        error
            .get()
            .and_then(|e| e.field_key("source"))
            .map(|k| lang.get().text(k))
    };
    view! {
        <section class="panel">
            <h2>{t(Key::RulesetUpload)}</h2>
            <FormMessage error />
            <ActionForm action=check attr:class="form-stack">
                <div class="field" class:field--invalid=move || source_error().is_some()>
                    <label for="ruleset-source">{t(Key::RulesetFile)}</label>
                    <p class="field__hint" id="ruleset-source-hint">{t(Key::RulesetFileHint)}</p>
                    <div class="file-pick">
                        <label for="ruleset-file" class="button button--small">{t(Key::ChooseFile)}</label>
                        <input type="file" id="ruleset-file" class="file-pick__input" accept=".toml,text/plain"
                            on:change=move |ev| read_picked_file(ev, text) />
                    </div>
                    <textarea id="ruleset-source" name="source" class="code-input" rows="14"
                        spellcheck="false" required=true aria-describedby="ruleset-source-hint"
                        prop:value=move || text.get()></textarea>
                    <p class="field__error" role="alert">{source_error}</p>
                </div>
                <div class="form-grid__actions">
                    <button type="submit" class="button">{t(Key::RulesetCheck)}</button>
                </div>
            </ActionForm>
            {move || result().map(|r| view! { <CheckResult result=r check /> })}
        </section>
    }
}

/// Reads the picked file into the editor (in the browser; the server renders no file).
#[cfg(feature = "hydrate")]
fn read_picked_file(ev: leptos::ev::Event, into: RwSignal<String>) {
    use wasm_bindgen::JsCast;
    let input = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
    let Some(file) = input.and_then(|i| i.files()).and_then(|f| f.get(0)) else {
        return;
    };
    let Ok(reader) = web_sys::FileReader::new() else {
        return;
    };
    let done = reader.clone();
    let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Some(text) = done.result().ok().and_then(|v| v.as_string()) {
            into.set(text);
        }
    });
    reader.set_onload(Some(onload.unchecked_ref()));
    let _ = reader.read_as_text(&file);
}

#[cfg(not(feature = "hydrate"))]
fn read_picked_file(_ev: leptos::ev::Event, _into: RwSignal<String>) {}

#[component]
fn CheckResult(result: RulesetCheck, check: ServerAction<CheckRuleset>) -> impl IntoView {
    if !result.problems.is_empty() {
        return view! {
            <div class="alert alert--error" role="alert">
                <p>{t(Key::RulesetProblems)}</p>
                <ul class="problems">
                    {result.problems.into_iter().map(|p| view! { <li><code>{p}</code></li> }).collect_view()}
                </ul>
            </div>
        }
        .into_any();
    }
    let message = match result.stored {
        None => Key::RulesetValid,
        Some(Stored::Created) => Key::RulesetStored,
        Some(Stored::Replaced) => Key::RulesetReplaced,
        Some(Stored::Unchanged) => Key::RulesetUnchanged,
    };
    view! {
        <div class="alert alert--ok" role="status"><p>{t(message)}</p></div>
        <h3>{t(Key::RulesetSummary)}</h3>
        <pre class="ruleset-summary">{result.summary.unwrap_or_default()}</pre>
        {result.stored.is_none().then(|| view! {
            <ActionForm action=check attr:class="form-inline">
                <input type="hidden" name="source" value=result.source />
                <input type="hidden" name="store" value="1" />
                <button type="submit" class="button button--primary">{t(Key::RulesetStore)}</button>
            </ActionForm>
        })}
    }
    .into_any()
}

fn status_key(s: VersionStatus) -> Key {
    match s {
        VersionStatus::Draft => Key::StatusDraft,
        VersionStatus::Active => Key::StatusActive,
        VersionStatus::Retired => Key::StatusRetired,
    }
}

#[component]
fn Versions(
    versions: Vec<RulesetVersionView>,
    can_manage: bool,
    activate: ServerAction<ActivateRuleset>,
    impact: ServerAction<RulesetImpact>,
) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(activate);
    let success = Signal::derive(move || {
        matches!(activate.value().get(), Some(Ok(())))
            .then(|| lang.get().text(Key::RulesetActivated).to_string())
    });
    if versions.is_empty() {
        return view! { <p class="empty">{t(Key::NoRulesets)}</p> }.into_any();
    }
    view! {
        <section class="panel">
            <h2>{t(Key::RulesetVersions)}</h2>
            <FormMessage error success />
            <ul class="versions">
                {versions.into_iter().map(|v| {
                    let status = v.status;
                    let badge = match status {
                        VersionStatus::Active => "badge badge--ok",
                        VersionStatus::Retired => "badge badge--muted",
                        VersionStatus::Draft => "badge",
                    };
                    let can_activate = can_manage && status != VersionStatus::Active;
                    let (code, number) = (v.code.clone(), v.version.to_string());
                    view! {
                        <li class="version">
                            <div class="version__head">
                                <h3 class="version__title">
                                    <code>{v.code.clone()}</code>
                                    " "
                                    <span class="version__number">{format!("v{}", v.version)}</span>
                                </h3>
                                <span class=badge>{move || lang.get().text(status_key(status))}</span>
                                {v.locked.then(|| view! { <span class="badge badge--muted">{t(Key::Locked)}</span> })}
                                {can_activate.then(|| view! {
                                    <ActionForm action=activate attr:class="form-inline version__action">
                                        <input type="hidden" name="code" value=v.code.clone() />
                                        <input type="hidden" name="version" value=v.version.to_string() />
                                        <button type="submit" class="button button--small">{t(Key::RulesetActivate)}</button>
                                    </ActionForm>
                                    <ActionForm action=impact attr:class="form-inline version__action">
                                        <input type="hidden" name="code" value=code.clone() />
                                        <input type="hidden" name="version" value=number.clone() />
                                        <button type="submit" class="button button--small button--ghost">{t(Key::PreviewImpact)}</button>
                                    </ActionForm>
                                })}
                            </div>
                            <dl class="version__facts">
                                <div><dt>{t(Key::RulesetName)}</dt><dd>{v.name.clone()}</dd></div>
                                <div><dt>{t(Key::Jurisdiction)}</dt><dd>{v.jurisdiction.clone()}</dd></div>
                                <div><dt>{t(Key::ImportedAt)}</dt><dd><Moment at=v.imported_at /></dd></div>
                                <div><dt>"SHA-256"</dt><dd><code>{format!("{}…", v.sha)}</code></dd></div>
                            </dl>
                            <details class="ruleset-details">
                                <summary>{t(Key::RulesetSummary)}</summary>
                                <pre class="ruleset-summary">{v.summary.clone()}</pre>
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
