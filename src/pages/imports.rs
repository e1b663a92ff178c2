//! Imports: upload a base's roster or a cohort's attendance (with a progress bar once the page
//! is hydrated; a plain form post before), and the import history. Each upload opens its
//! preview page.

use super::errors::ErrorPanel;
use super::{Guard, PageHeader};
use crate::api::imports::{ImportLine, ImportsView, import_page};
use crate::components::time::Moment;
use crate::domain::access::Area;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

#[component]
pub fn ImportsPage() -> impl IntoView {
    view! {
        <Guard area=Area::Imports>
            <Imports />
        </Guard>
    }
}

#[component]
fn Imports() -> impl IntoView {
    let data = OnceResource::new(import_page());
    view! {
        <PageHeader title=Key::ImportsTitle times=true lead=Key::ImportsLead />
        <Suspense fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Upload v=v.clone() /> <History lines=v.history /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Upload(v: ImportsView) -> impl IntoView {
    let lang = use_lang();
    let base = RwSignal::new(v.bases.first().map(|b| b.id).unwrap_or(0));
    let bases = StoredValue::new(v.bases.clone());
    // Upload progress in percent while the browser sends the file (hydrated pages only).
    let progress = RwSignal::new(None::<u32>);
    // Why the upload failed, if it did: too large (413), or the connection.
    let failed = RwSignal::new(None::<Key>);
    let attendance = RwSignal::new(false);
    let max = v.max_mib;
    if v.bases.is_empty() {
        return view! { <p class="empty">{t(Key::ImportNoBase)}</p> }.into_any();
    }
    view! {
        <form class="panel form-grid import-upload" method="post" action="/files/imports"
            enctype="multipart/form-data" on:submit=move |ev| send_with_progress(ev, progress, failed)>
            <div class="field">
                <label for="imp-kind">{t(Key::ImportKind)}</label>
                <select id="imp-kind" name="kind"
                    on:change=move |ev| attendance.set(event_target_value(&ev) == "attendance")>
                    <option value="roster">{t(Key::ImportKindRoster)}</option>
                    <option value="attendance">{t(Key::ImportKindAttendance)}</option>
                </select>
                {move || attendance.get().then(|| view! { <p class="field__hint">{t(Key::ImportKindHint)}</p> })}
            </div>
            <div class="field">
                <label for="imp-base">{t(Key::Base)}</label>
                <select id="imp-base" name="base"
                    on:change=move |ev| base.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {v.bases.iter().map(|b| view! {
                        <option value=b.id.to_string()>{format!("{} {}", b.code, b.name)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="imp-cohort">{t(Key::ImportCohortDefault)}</label>
                <select id="imp-cohort" name="cohort">
                    <option value="">{t(Key::ImportCohortFromFile)}</option>
                    {move || bases.with_value(|bs| {
                        bs.iter().filter(|b| b.id == base.get()).flat_map(|b| b.cohorts.clone())
                            .map(|(code, name)| view! { <option value=code.clone()>{format!("{code} {name}")}</option> })
                            .collect_view()
                    })}
                </select>
            </div>
            <div class="field">
                <label for="imp-file">{t(Key::ImportFile)}</label>
                <input id="imp-file" type="file" name="file" required
                    accept=".xlsx,.xlsm,.xlsb,.xls,.ods,.csv" />
                <p class="field__hint">{move || lang.get().text(Key::ImportFileHint).replace("{n}", &max.to_string())}</p>
            </div>
            {move || failed.get().map(|key| view! {
                <p class="alert alert--error form-grid__wide" role="alert">
                    {move || lang.get().text(key).replace("{mib}", &max.to_string())}
                </p>
            })}
            <div class="form-grid__actions">
                <button type="submit" class="button button--primary" disabled=move || progress.get().is_some()>
                    {t(Key::ImportPreviewButton)}
                </button>
                {move || progress.get().map(|p| view! {
                    <span class="import-progress" role="status">
                        <progress max="100" value=p.to_string()></progress>
                        {move || if p >= 100 { lang.get().text(Key::ImportReading) } else { lang.get().text(Key::ImportUploading) }}
                    </span>
                })}
            </div>
        </form>
    }
    .into_any()
}

/// Sends the form with XMLHttpRequest so the upload's progress can be shown; the server's
/// redirect to the preview is followed and the browser goes there. Without wasm the form posts
/// normally.
fn send_with_progress(
    ev: leptos::ev::SubmitEvent,
    progress: RwSignal<Option<u32>>,
    failed: RwSignal<Option<Key>>,
) {
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, progress, failed);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let (Ok(data), Ok(xhr)) = (
            web_sys::FormData::new_with_form(&form),
            web_sys::XmlHttpRequest::new(),
        ) else {
            return;
        };
        if xhr.open_with_async("POST", "/files/imports", true).is_err() {
            return;
        }
        ev.prevent_default();
        failed.set(None);
        progress.set(Some(0));
        let on_progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    progress.set(Some((e.loaded() / e.total() * 100.0) as u32));
                }
            });
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        }
        on_progress.forget();
        let done = xhr.clone();
        let on_load = Closure::<dyn FnMut()>::new(move || {
            let url = done.response_url();
            let status = done.status().unwrap_or(0);
            if status < 400 && status > 0 && !url.is_empty() {
                let _ = window().location().assign(&url);
            } else {
                progress.set(None);
                // Past the route's limit the server refused it whole (413).
                failed.set(Some(if status == 413 {
                    Key::FileTooLarge
                } else {
                    Key::ErrTransport
                }));
            }
        });
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        on_load.forget();
        let on_error = Closure::<dyn FnMut()>::new(move || {
            progress.set(None);
            failed.set(Some(Key::ErrTransport));
        });
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        if xhr.send_with_opt_form_data(Some(&data)).is_err() {
            progress.set(None);
            failed.set(Some(Key::ErrTransport));
        }
    }
}

pub fn kind_key(kind: &str) -> Key {
    match kind {
        "attendance" => Key::ImportKindAttendance,
        _ => Key::ImportKindRoster,
    }
}

pub fn state_key(state: &str) -> Key {
    match state {
        "committed" => Key::ImportStateCommitted,
        "failed" => Key::ImportStateFailed,
        _ => Key::ImportStatePreviewed,
    }
}

pub fn state_class(state: &str) -> &'static str {
    match state {
        "committed" => "badge badge--ok",
        "failed" => "badge badge--danger",
        _ => "badge badge--warn",
    }
}

#[component]
fn History(lines: Vec<ImportLine>) -> impl IntoView {
    view! {
        <section class="section">
            <h2>{t(Key::ImportHistory)}</h2>
            {if lines.is_empty() {
                view! { <p class="empty">{t(Key::ImportNoHistory)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t(Key::ImportWhen)}</th>
                                    <th scope="col">{t(Key::ImportKind)}</th>
                                    <th scope="col">{t(Key::ImportFileName)}</th>
                                    <th scope="col">{t(Key::Base)}</th>
                                    <th scope="col">{t(Key::ImportBy)}</th>
                                    <th scope="col">{t(Key::Status)}</th>
                                    <th scope="col" class="num">{t(Key::ImportNew)}</th>
                                    <th scope="col" class="num">{t(Key::ImportUpdated)}</th>
                                    <th scope="col" class="num">{t(Key::ImportErrors)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {lines.into_iter().map(|l| view! {
                                    <tr>
                                        <td data-label=t(Key::ImportWhen) class="nowrap"><Moment at=l.created_at /></td>
                                        <td data-label=t(Key::ImportKind)>{t(kind_key(&l.kind))}</td>
                                        <td data-label=t(Key::ImportFileName)>
                                            <a href=format!("/admin/imports/{}", l.id)>{l.file_name.clone()}</a>
                                        </td>
                                        <td data-label=t(Key::Base)>{l.base_code.clone()}</td>
                                        <td data-label=t(Key::ImportBy)>{l.created_by.clone()}</td>
                                        <td data-label=t(Key::Status)><span class=state_class(&l.state)>{t(state_key(&l.state))}</span></td>
                                        <td data-label=t(Key::ImportNew) class="num">{l.counts.new}</td>
                                        <td data-label=t(Key::ImportUpdated) class="num">{l.counts.updated}</td>
                                        <td data-label=t(Key::ImportErrors) class="num">{l.counts.error}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
