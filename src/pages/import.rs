//! One import's preview: what every row would do (new, update with its changes, unchanged,
//! error with its cell and reason, skipped), filtered and paged in the URL; the downloads (JSON
//! report, error workbook); and the commit, all valid rows or nothing, or the valid rows only.

use super::errors::ErrorPanel;
use super::imports::{kind_key, state_class, state_key};
use super::{Guard, PageHeader};
use crate::api::corrections::RequestCorrection;
use crate::api::imports::{
    CommitImport, CorrectionOffer, ImportAddCohort, ImportView, MissingCohort, PreviewRow,
    ReplanImport, import_preview,
};
use crate::components::form::{Choice, Field, FormMessage, action_error};
use crate::components::labels::level_options;
use crate::domain::access::Area;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ImportPage() -> impl IntoView {
    view! {
        <Guard area=Area::Imports>
            <Import />
        </Guard>
    }
}

#[component]
fn Import() -> impl IntoView {
    let query = use_query_map();
    let id = super::route_id("id");
    let commit = ServerAction::<CommitImport>::new();
    let add_cohort = ServerAction::<ImportAddCohort>::new();
    let replan = ServerAction::<ReplanImport>::new();
    let lang = use_lang();
    // The messages come from the server in the reader's language: switching refetches.
    let data = Resource::new(
        move || {
            (
                lang.get(),
                id(),
                query.read().get("show").unwrap_or_default(),
                query
                    .read()
                    .get("page")
                    .and_then(|p| p.parse::<usize>().ok())
                    .unwrap_or(1),
                commit.version().get(),
                add_cohort.version().get(),
                replan.version().get(),
            )
        },
        |(_, id, show, page, ..)| import_preview(id, show, page),
    );
    view! {
        <PageHeader title=Key::ImportTitle times=true />
        <p><a href="/admin/imports">{t(Key::ImportBack)}</a></p>
        {move || commit.value().get().and_then(Result::ok).map(|r| {
            let class = if r.committed { "alert alert--ok" } else { "alert alert--error" };
            view! { <p class=class role="status">{r.message}</p> }
        })}
        <FormMessage error=action_error(commit) />
        <Transition fallback=move || view! { <p class="loading">{move || lang.get().text(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Preview v commit add_cohort replan /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Preview(
    v: ImportView,
    commit: ServerAction<CommitImport>,
    add_cohort: ServerAction<ImportAddCohort>,
    replan: ServerAction<ReplanImport>,
) -> impl IntoView {
    let lang = use_lang();
    let l = v.line.clone();
    let id = l.id;
    let head = view! {
        <div class="import-meta panel">
            <h2 class="import-meta__file">{l.file_name.clone()}</h2>
            <p>
                <span class=state_class(&l.state)>{t(state_key(&l.state))}</span>
                " " {t(kind_key(&l.kind))} " · " {format!("{} · {} · {} · {} KiB", l.base_code, l.created_by, crate::components::time::when(l.created_at), l.size_kib)}
                {l.cohort_code.clone().map(|c| format!(" · {c}"))}
            </p>
            {(!v.sheet.is_empty()).then(|| {
                let (sheet, row) = (v.sheet.clone(), v.header_row);
                view! { <p class="muted">{move || lang.get().text(Key::ImportSheetInfo).replace("{sheet}", &sheet).replace("{row}", &row.to_string())}</p> }
            })}
            {(!v.ignored.is_empty()).then(|| view! {
                <p class="muted">{t(Key::ImportIgnoredColumns)} ": " {v.ignored.join("、")}</p>
            })}
        </div>
    };
    if let Some(msg) = v.failed.clone() {
        return view! {
            {head}
            <div class="alert alert--error" role="alert">
                <strong>{t(Key::ImportFailedTitle)}</strong> " " {msg}
            </div>
        }
        .into_any();
    }
    let c = v.counts;
    let committed = l.state == "committed";
    // Attendance adds records, and updates only the trainees' own records it verifies: the
    // updates are shown when there are some.
    let roster = l.kind != "attendance" || c.updated > 0;
    let show = v.show.clone();
    let tab = move |value: &'static str, key: Key, n: Option<u64>| {
        let current = show == value || (value == "all" && show.is_empty());
        let label = move || match n {
            Some(n) => format!("{} ({n})", lang.get().text(key)),
            None => lang.get().text(key).to_string(),
        };
        view! {
            <a class="tabs__tab" href=format!("?show={value}") aria-current=current.then_some("page")>{label}</a>
        }
    };
    let page_link = {
        let show = v.show.clone();
        move |page: usize| format!("?show={show}&page={page}")
    };
    view! {
        {head}
        <div class="score-summary import-counts">
            <Count key=Key::ImportRowsTotal n=c.total />
            <Count key=Key::ImportNew n=c.new />
            {roster.then(|| view! { <Count key=Key::ImportUpdated n=c.updated /> })}
            <Count key=Key::ImportUnchanged n=c.unchanged />
            <Count key=Key::ImportSkipped n=c.skipped />
            <Count key=Key::ImportErrors n=c.error />
        </div>
        {(v.changed && !committed).then(|| view! {
            <div class="alert alert--info import-changed">
                <p>{t(Key::ImportChanged)}</p>
                <FormMessage error=action_error(replan) />
                <ActionForm action=replan>
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit" class="button" disabled=move || replan.pending().get()>{t(Key::ImportReplan)}</button>
                </ActionForm>
            </div>
        })}
        {(!committed && !v.missing_cohorts.is_empty()).then(|| view! {
            <MissingCohorts id missing=v.missing_cohorts.clone() can_add=v.can_add_cohort add=add_cohort />
        })}
        <div class="import-actions">
            <a class="button" href=format!("/files/imports/{id}/report.json") rel="external" download="">{t(Key::ImportDownloadReport)}</a>
            {(c.error > 0).then(|| view! {
                <a class="button" href=format!("/files/imports/{id}/errors.xlsx") rel="external" download="">{t(Key::ImportDownloadErrors)}</a>
            })}
        </div>
        {(!committed && v.can_commit).then(|| view! { <CommitForm id errors=c.error shares=v.needs_confirmation.clone() commit /> })}
        <nav class="tabs" aria-label=t(Key::Filter)>
            {(!committed).then(|| view! {
                {tab("all", Key::ImportShowAll, Some(c.total))}
                {tab("new", Key::ImportNew, Some(c.new))}
                {roster.then(|| tab("updates", Key::ImportShowUpdates, Some(c.updated)))}
            })}
            {tab("errors", Key::ImportShowErrors, Some(c.error))}
            {tab("skipped", Key::ImportSkipped, Some(c.skipped))}
        </nav>
        <Rows rows=v.rows.clone() import_id=id />
        <crate::components::pager::Pager page=v.page pages=v.pages total=v.shown href=page_link />
    }
    .into_any()
}

/// The cohorts the roster names that do not exist yet, and (for the base's admin) the form
/// that makes one; the preview is planned again once it exists.
#[component]
fn MissingCohorts(
    id: i64,
    missing: Vec<MissingCohort>,
    can_add: bool,
    add: ServerAction<ImportAddCohort>,
) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(add);
    let field_error = move |f: &'static str| {
        error
            .get()
            .and_then(|e| e.field_key(f))
            .map(|k| lang.get().text(k))
    };
    let codes: Vec<String> = missing.iter().map(|m| m.code.clone()).collect();
    view! {
        <section class="panel import-missing" aria-labelledby="import-missing-title">
            <h2 id="import-missing-title">{t(Key::ImportMissingCohortsTitle)}</h2>
            <p class="muted">{t(Key::ImportMissingCohortsLead)}</p>
            <ul class="import-missing__list">
                {missing.into_iter().map(|m| {
                    let rows = m.rows.to_string();
                    view! {
                        <li><code>{m.code}</code> " · " {move || lang.get().text(Key::ImportMissingCohortRows).replace("{n}", &rows)}</li>
                    }
                }).collect_view()}
            </ul>
            {if can_add {
                view! {
                    <FormMessage error />
                    <ActionForm action=add attr:class="form-grid">
                        <input type="hidden" name="id" value=id.to_string() />
                        <div class="field" class:field--invalid=move || field_error("code").is_some()>
                            <label for="missing-code">{t(Key::CohortCode)}</label>
                            <select id="missing-code" name="code">
                                {codes.into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                            </select>
                            <p class="field__error" role="alert">{move || field_error("code")}</p>
                        </div>
                        <Field name="name" label=Key::CohortName required=true error />
                        <Choice name="level" label=Key::Level options=level_options() error />
                        <Field name="starts_on" label=Key::StartsOn kind="date" required=true error />
                        <Field name="ends_on" label=Key::EndsOn kind="date" required=true error />
                        <div class="form-grid__actions">
                            <button type="submit" class="button button--primary" disabled=move || add.pending().get()>
                                {t(Key::ImportCreateCohort)}
                            </button>
                        </div>
                    </ActionForm>
                }
                .into_any()
            } else {
                view! { <p>{t(Key::ImportMissingCohortsAsk)}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Count(key: Key, n: u64) -> impl IntoView {
    view! {
        <div class="score-card">
            <span class="score-card__label">{t(key)}</span>
            <span class="score-card__value">{n}</span>
        </div>
    }
}

#[component]
fn CommitForm(
    id: i64,
    errors: u64,
    shares: Vec<String>,
    commit: ServerAction<CommitImport>,
) -> impl IntoView {
    let lang = use_lang();
    let confirm_needed = !shares.is_empty();
    view! {
        <ActionForm action=commit attr:class="panel form-stack import-commit">
            <input type="hidden" name="id" value=id.to_string() />
            {confirm_needed.then(|| view! {
                <p class="alert alert--info">{t(Key::ImportNeedsConfirm)} " " {shares.join("；")}</p>
            })}
            {(confirm_needed || errors > 0).then(|| view! {
                <div class="field field--check">
                    {confirm_needed.then(|| view! {
                        <label><input type="checkbox" name="confirm" required /> " " {t(Key::ImportConfirm)}</label>
                    })}
                    {(errors > 0).then(|| view! {
                        <label>
                            <input type="checkbox" name="valid_only" />
                            " " {move || lang.get().text(Key::ImportValidOnly).replace("{n}", &errors.to_string())}
                        </label>
                    })}
                </div>
            })}
            <div>
                <button type="submit" class="button button--primary" disabled=move || commit.pending().get()>
                    {t(Key::ImportCommit)}
                </button>
            </div>
        </ActionForm>
    }
}

fn outcome_key(o: &str) -> (Key, &'static str) {
    match o {
        "new" => (Key::ImportNew, "badge badge--ok"),
        "update" => (Key::ImportUpdated, "badge badge--warn"),
        "unchanged" => (Key::ImportUnchanged, "badge badge--muted"),
        "error" => (Key::ImportErrors, "badge badge--danger"),
        _ => (Key::ImportSkipped, "badge badge--muted"),
    }
}

#[component]
fn Rows(rows: Vec<PreviewRow>, import_id: i64) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">{t(Key::ImportNothingToShow)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table import-rows">
                <thead>
                    <tr>
                        <th scope="col" class="num">{t(Key::ImportRow)}</th>
                        <th scope="col">{t(Key::ImportOutcome)}</th>
                        <th scope="col">{t(Key::ImportPerson)}</th>
                        <th scope="col">{t(Key::ImportDetails)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let (key, class) = outcome_key(&r.outcome);
                        view! {
                            <tr class=format!("import-row import-row--{}", r.outcome)>
                                <td data-label=t(Key::ImportRow) class="num">{r.row}</td>
                                <td data-label=t(Key::ImportOutcome)><span class=class>{t(key)}</span></td>
                                <td data-label=t(Key::ImportPerson) class="nowrap">{r.who.clone()}</td>
                                <td data-label=t(Key::ImportDetails)>
                                    <ul class="plain-list">
                                        {r.details.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}
                                        {r.warnings.iter().map(|w| view! { <li class="warning">{w.clone()}</li> }).collect_view()}
                                    </ul>
                                    {r.correction.clone().map(|offer| view! { <CorrectionForm import_id row=r.row offer /> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A row whose identity is kept as it is: the clerk asks the person (when they have an
/// account) or the system admins to correct it, with a note.
#[component]
fn CorrectionForm(import_id: i64, row: u32, offer: CorrectionOffer) -> impl IntoView {
    let action = ServerAction::<RequestCorrection>::new();
    let error = action_error(action);
    let sent = move || offer.sent || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Show
            when=move || !sent()
            fallback=|| view! { <p class="muted correction-sent" role="status">{t(Key::CorrectionSent)}</p> }
        >
            <ActionForm action=action attr:class="correction-form">
                <input type="hidden" name="import_id" value=import_id.to_string() />
                <input type="hidden" name="row" value=row.to_string() />
                <label class="correction-form__to">
                    <span>{t(Key::CorrectionTo)}</span>
                    <select name="to">
                        {offer.to_person.then(|| view! { <option value="person">{t(Key::CorrectionToPerson)}</option> })}
                        <option value="admin">{t(Key::CorrectionToAdmin)}</option>
                    </select>
                </label>
                <label class="correction-form__note">
                    <span>{t(Key::CorrectionNote)}</span>
                    <input type="text" name="note" maxlength="500" />
                </label>
                <button type="submit" class="button button--small" disabled=move || action.pending().get()>
                    {t(Key::CorrectionSend)}
                </button>
                <FormMessage error />
            </ActionForm>
        </Show>
    }
}
