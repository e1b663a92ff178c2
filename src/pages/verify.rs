//! The verification queue of a training base: each waiting record with the trainee, what was
//! entered (and, for a correction, what it replaces), every other claim on the same contract,
//! and the decisions: verify, reject with a reason, accept or refuse a correction; verify the
//! ticked records in one step.

use super::errors::ErrorPanel;
use super::records::describe;
use super::{Guard, PageHeader};
use crate::api::verify::{DecideRecord, QueueItem, VerifyRecords, verification_queue};
use crate::components::form::{FormMessage, action_error};
use crate::components::labels::{record_kind_key, record_status_key};
use crate::domain::access::Area;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;
use std::collections::BTreeSet;

#[component]
pub fn VerifyPage() -> impl IntoView {
    view! {
        <Guard area=Area::Verify>
            <Verify />
        </Guard>
    }
}

#[component]
fn Verify() -> impl IntoView {
    let decide = ServerAction::<DecideRecord>::new();
    let bulk = ServerAction::<VerifyRecords>::new();
    let data = Resource::new(
        move || (decide.version().get(), bulk.version().get()),
        |_| verification_queue(),
    );
    view! {
        <PageHeader title=Key::VerifyTitle lead=Key::VerifyLead />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(items) => view! { <Queue items decide bulk /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Queue(
    items: Vec<QueueItem>,
    decide: ServerAction<DecideRecord>,
    bulk: ServerAction<VerifyRecords>,
) -> impl IntoView {
    let lang = use_lang();
    let picked = RwSignal::new(BTreeSet::<i64>::new());
    let ids = move || {
        picked
            .get()
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let decide_error = action_error(decide);
    let bulk_error = action_error(bulk);
    let bulk_done = Signal::derive(move || {
        bulk.value().get().and_then(Result::ok).map(|n| {
            lang.get()
                .text(Key::VerifiedCount)
                .replace("{n}", &n.to_string())
        })
    });
    if items.is_empty() {
        return view! {
            <FormMessage error=bulk_error success=bulk_done />
            <p class="empty">{t(Key::QueueEmpty)}</p>
        }
        .into_any();
    }
    let all: Vec<i64> = items
        .iter()
        .filter(|i| i.record.pending.is_none())
        .map(|i| i.record.id)
        .collect();
    let total = all.len();
    view! {
        <FormMessage error=decide_error />
        <FormMessage error=bulk_error success=bulk_done />
        <ActionForm action=bulk attr:class="bulk-bar panel">
            <input type="hidden" name="ids" prop:value=ids />
            <label class="check-inline">
                <input type="checkbox"
                    prop:checked=move || total != 0 && picked.get().len() == total
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        picked.set(if on { all.iter().copied().collect() } else { BTreeSet::new() });
                    } />
                {t(Key::SelectAll)}
            </label>
            <button type="submit" class="button button--primary" disabled=move || picked.get().is_empty()>
                {move || lang.get().text(Key::VerifySelected).replace("{n}", &picked.get().len().to_string())}
            </button>
        </ActionForm>
        <ul class="queue">
            {items.into_iter().map(|item| view! { <QueueEntry item decide picked /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn QueueEntry(
    item: QueueItem,
    decide: ServerAction<DecideRecord>,
    picked: RwSignal<BTreeSet<i64>>,
) -> impl IntoView {
    let lang = use_lang();
    let r = item.record;
    let id = r.id;
    let correction = r.pending.clone();
    let (line, amount) = describe(&r.entry);
    let kind = r.kind;
    view! {
        <li class="queue__item panel">
            <div class="queue__head">
                {correction.is_none().then(|| view! {
                    <input type="checkbox" aria-label=t(Key::SelectRecord)
                        prop:checked=move || picked.get().contains(&id)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            picked.update(|p| { if on { p.insert(id); } else { p.remove(&id); } });
                        } />
                })}
                <strong>{r.person_name.clone()}</strong>
                <span class="muted">
                    " · " {move || lang.get().text(record_kind_key(kind))}
                    " · " <code>{r.ledger_id.clone()}</code> " · " {r.date.to_string()}
                </span>
                <span class="queue__amount">{amount}</span>
            </div>
            <div class="queue__body">{line}</div>
            {(!r.files.is_empty()).then(|| view! {
                <ul class="evidence">
                    {r.files.iter().map(|f| {
                        let href = format!("/files/{}", f.id);
                        let kind = super::records::file_kind_key(&f.kind);
                        let name = f.name.clone();
                        view! {
                            <li>
                                <a href=href.clone() target="_blank" rel="noopener">
                                    {f.image.then(|| view! { <img src=href.clone() alt=name.clone() loading="lazy" /> })}
                                    <span>{move || lang.get().text(kind)} " · " {name.clone()}</span>
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {correction.map(|(entry, why)| {
                let (new_line, new_amount) = describe(&entry);
                view! {
                    <div class="queue__correction">
                        <p class="record-note">{t(Key::CorrectionPending)} {t(Key::Colon)} {why}</p>
                        <p><span class="badge badge--warn">{t(Key::ProposedVersion)}</span> " " {new_line} " · " {new_amount}</p>
                    </div>
                }
            })}
            {(!item.other_claims.is_empty()).then(|| view! {
                <div class="queue__claims">
                    <p class="record-note record-note--danger">{t(Key::OtherClaims)}</p>
                    <ul>
                        {item.other_claims.into_iter().map(|c| {
                            let (claim_line, _) = describe(&c.record.entry);
                            let status = c.record.status;
                            view! {
                                <li>
                                    <strong>{c.person_name}</strong> " · " {claim_line} " "
                                    <span class="badge badge--muted">{move || lang.get().text(record_status_key(status))}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            })}
            <div class="queue__actions">
                {if r.pending.is_some() {
                    view! {
                        <DecisionForm decide id decision="accept" label=Key::AcceptCorrection />
                        <DecisionForm decide id decision="refuse" label=Key::RefuseCorrection with_reason=true />
                    }.into_any()
                } else {
                    view! {
                        <DecisionForm decide id decision="verify" label=Key::VerifyRecord />
                        <DecisionForm decide id decision="reject" label=Key::RejectRecord with_reason=true />
                    }.into_any()
                }}
            </div>
        </li>
    }
}

/// One decision on one record; a rejection or refusal carries the reason the trainee sees.
#[component]
fn DecisionForm(
    decide: ServerAction<DecideRecord>,
    id: i64,
    decision: &'static str,
    label: Key,
    #[prop(optional)] with_reason: bool,
) -> impl IntoView {
    let lang = use_lang();
    let primary = !with_reason;
    view! {
        <ActionForm action=decide attr:class="decision">
            <input type="hidden" name="record_id" value=id.to_string() />
            <input type="hidden" name="decision" value=decision />
            {if with_reason {
                view! {
                    <input type="text" name="reason" required=true maxlength="200"
                        aria-label=move || lang.get().text(Key::ReasonForTrainee)
                        placeholder=move || lang.get().text(Key::ReasonForTrainee) />
                }.into_any()
            } else {
                view! { <input type="hidden" name="reason" value="" /> }.into_any()
            }}
            <button type="submit" class="button button--small" class:button--primary=primary>{t(label)}</button>
        </ActionForm>
    }
}
