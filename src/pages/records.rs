//! My records: the trainee's training hours, continuing education and deal claims, filtered,
//! sorted and paged by the URL; add forms for each kind; edit, withdraw or ask for a
//! correction per record; the base's rejection reason and pending corrections in place.

use super::errors::ErrorPanel;
use super::record_forms::{Forms, Saves};
use super::{Guard, PageHeader};
use crate::api::records::{
    FileView, RecordView, RecordsPage, RemoveEvidence, WithdrawRecord, my_records, record_options,
};
use crate::components::form::{FormMessage, action_error};
use crate::components::labels::{module_key, record_kind_key, record_status_key};
use crate::domain::explain;
use crate::domain::records::{Entry, RecordKind, Status};
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RecordsPage() -> impl IntoView {
    view! {
        <Guard area=crate::domain::access::Area::Records>
            <Records />
        </Guard>
    }
}

#[component]
fn Records() -> impl IntoView {
    let saves = Saves::new();
    let withdraw = ServerAction::<WithdrawRecord>::new();
    let remove = ServerAction::<RemoveEvidence>::new();
    // The record being edited (its form opens above the list).
    let editing = RwSignal::new(None::<RecordView>);
    let guard = crate::components::leave::LeaveGuard::new(use_lang());
    let query = use_query_map();
    let param = move |k: &str| query.read().get(k).unwrap_or_default();
    let data = Resource::new(
        move || {
            (
                saves.versions(),
                withdraw.version().get(),
                remove.version().get(),
                param("kind"),
                param("status"),
                param("sort"),
                param("page").parse::<usize>().unwrap_or(1),
            )
        },
        |(_, _, _, kind, status, sort, page)| my_records(kind, status, sort, page),
    );
    let withdraw_error = action_error(withdraw);
    // The forms load once: reloading the list after a save must not rebuild them.
    let options = OnceResource::new(record_options());
    view! {
        <PageHeader title=Key::RecordsTitle lead=Key::RecordsLead />
        <Suspense fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(o) => view! {
                        <UploadOutcome max_mib=o.max_evidence_mib />
                        <Forms courses=o.courses cohorts=o.cohorts nonce=o.form_nonce saves editing guard />
                    }
                    .into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <FormMessage error=withdraw_error />
        <FormMessage error=action_error(remove) />
        <Filters />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <RecordList p withdraw remove editing guard /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Kind, state and order, as a GET form: the URL is the filter, so it can be bookmarked.
#[component]
fn Filters() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let param = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let (kind, status, sort) = (param("kind"), param("status"), param("sort"));
    view! {
        <form method="get" class="filters panel" role="search">
            <div class="field">
                <label for="q-kind">{t(Key::RecordKind)}</label>
                <select id="q-kind" name="kind">
                    <option value="">{t(Key::Any)}</option>
                    {RecordKind::ALL.into_iter().map(|k| view! {
                        <option value=k.code() selected=kind == k.code()>{move || lang.get().text(record_kind_key(k))}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="q-status">{t(Key::Status)}</label>
                <select id="q-status" name="status">
                    <option value="">{t(Key::Any)}</option>
                    {Status::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=status == s.code()>{move || lang.get().text(record_status_key(s))}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="q-sort">{t(Key::SortBy)}</label>
                <select id="q-sort" name="sort">
                    <option value="">{t(Key::SortNewest)}</option>
                    <option value="oldest" selected=sort == "oldest">{t(Key::SortOldest)}</option>
                </select>
            </div>
            <button type="submit" class="button">{t(Key::Filter)}</button>
        </form>
    }
}

/// The record's main line and its amount column, in the reader's language.
pub fn describe(entry: &Entry) -> (AnyView, AnyView) {
    let lang = use_lang();
    match entry.clone() {
        Entry::Training(x) => (
            view! {
                <strong>{x.title.clone()}</strong>
                <span class="muted">
                    " · " {move || lang.get().text(module_key(x.module))}
                    {x.course_code.clone().map(|c| format!(" · {c}"))}
                    " · " {x.provider.clone()}
                </span>
            }
            .into_any(),
            view! { {x.hours.to_string()} " " {move || lang.get().text(Key::Hours)} }.into_any(),
        ),
        Entry::Ce(x) => (
            view! {
                <strong>{x.title.clone()}</strong>
                <span class="muted">
                    " · " {move || lang.get().text(crate::components::labels::ce_label(x.category).1)}
                    " · " {x.provider.clone()}
                </span>
            }
            .into_any(),
            view! { {x.hours.to_string()} " " {move || lang.get().text(Key::Hours)} }.into_any(),
        ),
        Entry::Case(x) => (
            view! {
                <strong>{x.title.clone()}</strong>
                <span class="muted">
                    " · " {move || explain::role(x.role, lang.get())}
                    {x.stages.iter().map(|code| {
                        let key = crate::components::labels::stage_key(code);
                        view! { " · " {move || lang.get().text(key)} }
                    }).collect_view()}
                </span>
            }
            .into_any(),
            "".into_any(),
        ),
        Entry::Outcome(x) => (
            view! {
                <strong>{move || explain::outcome_kind(x.event, lang.get())}</strong>
                <span class="muted">" · " {x.description.clone()}</span>
            }
            .into_any(),
            view! { {x.amount.map(|m| format!("{} ", m.wan_display()))} {move || x.amount.map(|_| lang.get().text(Key::Wan))} }
                .into_any(),
        ),
        Entry::Contribution(x) => {
            let item = x.item.clone();
            (
                view! {
                    <strong>{x.title.clone()}</strong>
                    <span class="muted">" · " {move || explain::contribution_kind(&item, lang.get())}</span>
                }
                .into_any(),
                "".into_any(),
            )
        }
        Entry::Deal(x) => {
            let f = x.facts.clone();
            (
                view! {
                    <strong>{f.contract_name.clone()}</strong>
                    <span class="muted">
                        " · " {move || lang.get().text(crate::components::labels::contract_type_label(f.contract_type).1)}
                        " · " {f.registration_no.clone().unwrap_or_else(|| "—".into())}
                        " · " {move || lang.get().text(crate::components::labels::manager_role_label(x.role).1)}
                        {format!(" {}%", crate::domain::records::percent(x.share))}
                    </span>
                }
                .into_any(),
                view! {
                    {f.tech_transaction_amount.unwrap_or(f.contract_amount).wan_display()}
                    " " {move || lang.get().text(Key::Wan)}
                }
                .into_any(),
            )
        }
    }
}

fn status_badge(s: Status) -> &'static str {
    match s {
        Status::BaseVerified | Status::RegistryVerified => "badge badge--ok",
        Status::Rejected => "badge badge--danger",
        Status::Unverified => "badge badge--warn",
        Status::Withdrawn => "badge badge--muted",
    }
}

#[component]
fn RecordList(
    p: RecordsPage,
    withdraw: ServerAction<WithdrawRecord>,
    remove: ServerAction<RemoveEvidence>,
    editing: RwSignal<Option<RecordView>>,
    guard: crate::components::leave::LeaveGuard,
) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let link = move |page: usize| {
        let q = query.read_untracked();
        let get = |k: &str| q.get(k).unwrap_or_default();
        format!(
            "?kind={}&status={}&sort={}&page={page}",
            get("kind"),
            get("status"),
            get("sort")
        )
    };
    if p.records.is_empty() {
        return view! { <p class="empty">{t(Key::NoRecords)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table records">
                <thead>
                    <tr>
                        <th scope="col">{t(Key::RecordNo)}</th>
                        <th scope="col">{t(Key::RecordKind)}</th>
                        <th scope="col">{t(Key::RecordContent)}</th>
                        <th scope="col">{t(Key::RecordDate)}</th>
                        <th scope="col" class="num">{t(Key::RecordAmount)}</th>
                        <th scope="col">{t(Key::Status)}</th>
                        <th scope="col"><span class="visually-hidden">{t(Key::Actions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {p.records.into_iter().map(|r| {
                        let (line, amount) = describe(&r.entry);
                        let open = matches!(r.status, Status::Unverified | Status::Rejected);
                        let correctable = r.status.verified() && r.pending.is_none();
                        let edit_label = if open { Key::Edit } else { Key::RequestCorrection };
                        let for_edit = r.clone();
                        let (kind, status) = (r.kind, r.status);
                        view! {
                            <tr id=format!("r{}", r.id) class:is-inactive=status == Status::Withdrawn>
                                <td data-label=t(Key::RecordNo)><code>{r.ledger_id.clone()}</code></td>
                                <td data-label=t(Key::RecordKind)>{move || lang.get().text(record_kind_key(kind))}</td>
                                <td data-label=t(Key::RecordContent)>
                                    {line}
                                    <Attachments id=r.id kind files=r.files.clone() open remove />
                                    {r.reason.clone().filter(|_| status == Status::Rejected || r.status.verified()).map(|why| view! {
                                        <p class="record-note record-note--danger">{t(Key::RejectedBecause)} {t(Key::Colon)} {why}</p>
                                    })}
                                    {r.pending.clone().map(|(_, why)| view! {
                                        <p class="record-note">{t(Key::CorrectionPending)} {t(Key::Colon)} {why}</p>
                                    })}
                                </td>
                                <td data-label=t(Key::RecordDate) class="nowrap">{r.date.to_string()}</td>
                                <td data-label=t(Key::RecordAmount) class="num nowrap">{amount}</td>
                                <td data-label=t(Key::Status)>
                                    <span class=status_badge(status)>{move || lang.get().text(record_status_key(status))}</span>
                                </td>
                                <td class="actions">
                                    {(open || correctable).then(|| view! {
                                        <button type="button" class="button button--small"
                                            on:click=move |_| {
                                                // Editing replaces what the kind's form holds.
                                                if guard.may_drop(super::record_forms::slot(kind)) {
                                                    editing.set(Some(for_edit.clone()));
                                                }
                                            }>{t(edit_label)}</button>
                                    })}
                                    {open.then(|| view! {
                                        <ActionForm action=withdraw attr:class="form-inline">
                                            <input type="hidden" name="record_id" value=r.id.to_string() />
                                            <button type="submit" class="button button--small button--ghost">{t(Key::Withdraw)}</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <crate::components::pager::Pager page=p.page pages=p.pages total=p.total href=link />
    }
    .into_any()
}

/// The result of the last upload (the upload route redirects here with `?file=…`).
#[component]
fn UploadOutcome(max_mib: usize) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    move || {
        let code = query.read().get("file").unwrap_or_default();
        let (ok, key) = match code.as_str() {
            "" => return None,
            "ok" => (true, Key::FileAttached),
            "type" => (false, Key::FileWrongType),
            "too_large" => (false, Key::FileTooLarge),
            "state" => (false, Key::FileRecordLocked),
            "missing" => (false, Key::FileMissing),
            _ => (false, Key::ErrNotFound),
        };
        let text = lang.get().text(key).replace("{mib}", &max_mib.to_string());
        Some(if ok {
            view! { <p class="alert alert--ok" role="status">{text}</p> }.into_any()
        } else {
            view! { <p class="alert alert--error" role="alert">{text}</p> }.into_any()
        })
    }
}

/// A record's evidence files; while the record may change, an upload form and remove buttons.
#[component]
fn Attachments(
    id: i64,
    kind: RecordKind,
    files: Vec<FileView>,
    open: bool,
    remove: ServerAction<RemoveEvidence>,
) -> impl IntoView {
    let lang = use_lang();
    let count = files.len();
    view! {
        {(!files.is_empty()).then(|| view! {
            <ul class="files">
                {files.into_iter().map(|f| {
                    let kind = file_kind_key(&f.kind);
                    view! {
                        <li>
                            <a href=format!("/files/{}", f.id) target="_blank" rel="noopener">
                                {move || lang.get().text(kind)} " · " {f.name.clone()}
                            </a>
                            <span class="muted">{format!(" {} KB", (f.size + 1023) / 1024)}</span>
                            {open.then(|| view! {
                                <ActionForm action=remove attr:class="form-inline">
                                    <input type="hidden" name="file_id" value=f.id.to_string() />
                                    <button type="submit" class="button button--small button--ghost">{t(Key::Remove)}</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
        {open.then(|| view! {
            <details class="attach">
                <summary>{t(Key::AttachFile)} {(count > 0).then(|| format!(" ({count})"))}</summary>
                <form method="post" action="/files/upload" enctype="multipart/form-data" class="attach__form">
                    <input type="hidden" name="record_id" value=id.to_string() />
                    <label>
                        <span class="visually-hidden">{t(Key::FileKind)}</span>
                        <select name="kind" aria-label=move || lang.get().text(Key::FileKind)>
                            {FILE_KINDS.into_iter().map(|(code, key)| view! {
                                <option value=code selected=code == default_file_kind(kind)>{move || lang.get().text(key)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <input type="file" name="file" required=true
                        accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                        aria-label=move || lang.get().text(Key::AttachFile) />
                    <button type="submit" class="button button--small">{t(Key::Upload)}</button>
                </form>
            </details>
        })}
    }
}

const FILE_KINDS: [(&str, Key); 5] = [
    ("contract", Key::FileContract),
    ("registration", Key::FileRegistration),
    ("payment", Key::FilePayment),
    ("certificate", Key::FileCertificate),
    ("other", Key::FileOther),
];

/// The evidence a record of this kind most often has: a training or continuing-education
/// record (or a contribution: teaching, an award) its certificate, a deal its contract.
pub fn default_file_kind(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Training | RecordKind::Ce | RecordKind::Contribution => "certificate",
        RecordKind::Deal => "contract",
        RecordKind::Case | RecordKind::Outcome => "other",
    }
}

pub fn file_kind_key(code: &str) -> Key {
    FILE_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(Key::FileOther, |(_, k)| *k)
}
