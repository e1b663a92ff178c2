//! The result's public notice (公示): a page anyone can open without signing in, listing the
//! results on notice, with a form to object and a certificate lookup; and, on the session
//! page, the secretariat's part: publish, resolve objections (contacts masked until revealed,
//! which is audited), decide appeals.

use super::StateBadge;
use crate::api::notice::{
    AppealView, DecideAppeal, FileObjection, NoticeGroup, NoticeSection, ObjectionView,
    PublishResults, ResolveObjection, RevealObjectionContact, public_notices, verify_certificate,
};
use crate::components::form::{FormMessage, action_error};
use crate::i18n::{Key, t, use_lang};
use crate::pages::PageHeader;
use crate::pages::errors::ErrorPanel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PublicNoticePage() -> impl IntoView {
    let file = ServerAction::<FileObjection>::new();
    let data = Resource::new(move || file.version().get(), |_| public_notices());
    view! {
        <PageHeader title=Key::PublicNoticesTitle times=true lead=Key::PublicNoticesLead />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(groups) if groups.is_empty() => view! { <p class="empty">{t(Key::NoNotices)}</p> }.into_any(),
                    Ok(groups) => view! {
                        {groups.iter().cloned().map(|g| view! { <Group g /> }).collect_view()}
                        <ObjectionForm groups file />
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
        <CertificateLookup />
    }
}

#[component]
fn Group(g: NoticeGroup) -> impl IntoView {
    let lang = use_lang();
    let days = g.notice_days;
    view! {
        <section class="panel notice" data-session=g.session_code.clone()>
            <h2>{g.session_name.clone()} " " <span class="muted">{g.session_code.clone()}</span></h2>
            <p class="muted">
                {g.committee.clone()} " · "
                {move || lang.get().text(Key::NoticeDaysLine).replace("{days}", &days.to_string())}
            </p>
            <div class="table-wrap">
                <table class="table notice__table">
                    <thead>
                        <tr>
                            <th scope="col">{t(Key::FullName)}</th>
                            <th scope="col">{t(Key::UnitName)}</th>
                            <th scope="col">{t(Key::NoticePeriod)}</th>
                            <th scope="col">{t(Key::NoticeStatus)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {g.items.into_iter().map(|i| {
                            let period = match (i.notice_from, i.notice_ends) {
                                (Some(f), Some(e)) => format!("{f} – {e}"),
                                (Some(f), None) => f.to_string(),
                                _ => String::new(),
                            };
                            let status = if i.under_review { Key::NoticeUnderReview } else { Key::NoticeRunning };
                            view! {
                                <tr data-application=i.application_id.to_string()>
                                    <td data-label=t(Key::FullName)><strong>{i.name.clone()}</strong></td>
                                    <td data-label=t(Key::UnitName)>{i.unit.clone()}</td>
                                    <td data-label=t(Key::NoticePeriod)>{period}</td>
                                    <td data-label=t(Key::NoticeStatus)>
                                        <span class=if i.under_review { "badge badge--warn" } else { "badge badge--ok" }>{t(status)}</span>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn ObjectionForm(groups: Vec<NoticeGroup>, file: ServerAction<FileObjection>) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(file);
    let done = Signal::derive(move || {
        matches!(file.value().get(), Some(Ok(_)))
            .then(|| lang.get().text(Key::ObjectionReceived).to_string())
    });
    let body_error = move || error.get().and_then(|e| e.field_key("body"));
    view! {
        <section class="panel objection-form" id="objection">
            <h2>{t(Key::FileObjection)}</h2>
            <p class="muted">{t(Key::ObjectionHint)}</p>
            <FormMessage error success=done />
            <ActionForm action=file attr:class="form">
                <div class="field">
                    <label for="f-application_id">{t(Key::ObjectionAbout)}</label>
                    <select id="f-application_id" name="application_id">
                        {groups.into_iter().flat_map(|g| {
                            let code = g.session_code.clone();
                            g.items.into_iter().map(move |i| {
                                let label = format!("{} · {} · {}", i.name, i.unit, code);
                                view! { <option value=i.application_id.to_string()>{label}</option> }
                            })
                        }).collect_view()}
                    </select>
                </div>
                <crate::components::form::Field name="name" label=Key::ObjectorName required=true autocomplete="name" error />
                <crate::components::form::Field name="contact" label=Key::ObjectorContact required=true hint=Key::ObjectorContactHint error />
                <div class="field" class:field--invalid=move || body_error().is_some()>
                    <label for="f-body">{t(Key::ObjectionBody)}</label>
                    <textarea id="f-body" name="body" rows="5" maxlength="2000" required=true
                        aria-invalid=move || body_error().is_some().then_some("true")
                        aria-describedby="f-body-error"></textarea>
                    <p class="field__error" id="f-body-error" role="alert">{move || body_error().map(|k| lang.get().text(k))}</p>
                </div>
                <p><button type="submit" class="button button--primary">{t(Key::SubmitObjection)}</button></p>
            </ActionForm>
        </section>
    }
}

/// What the lookup found.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
enum Lookup {
    NotAsked,
    NotFound,
    Found(crate::api::notice::CertificateView),
}

/// The certificate lookup: a plain GET form, so a link with `?number=` opens the answer.
#[component]
fn CertificateLookup() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let number = move || query.read().get("number").unwrap_or_default();
    // Not `Option<Option<_>>`: JSON cannot tell `Some(None)` from `None`, and the page would
    // hydrate a different branch than the server rendered.
    let found = Resource::new(number, |n| async move {
        if n.trim().is_empty() {
            Ok(Lookup::NotAsked)
        } else {
            verify_certificate(n).await.map(|c| match c {
                Some(c) => Lookup::Found(c),
                None => Lookup::NotFound,
            })
        }
    });
    view! {
        <section class="panel certificate-lookup" id="certificate">
            <h2>{t(Key::CertificateLookup)}</h2>
            <p class="muted">{t(Key::CertificateLookupLead)}</p>
            <form method="get" action="/notices" class="inline-form">
                <label for="f-number" class="visually-hidden">{t(Key::CertificateNumber)}</label>
                <input id="f-number" name="number" type="text" maxlength="64" required=true
                    value=number placeholder=move || lang.get().text(Key::CertificateNumber) />
                <button type="submit" class="button">{t(Key::LookUp)}</button>
            </form>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(Lookup::NotAsked) => ().into_any(),
                        Ok(Lookup::NotFound) => {
                            let n = number();
                            view! {
                                <p class="alert alert--error" role="status" data-certificate="none">
                                    {move || lang.get().text(Key::CertificateNotFound).replace("{number}", &n)}
                                </p>
                            }.into_any()
                        }
                        Ok(Lookup::Found(c)) => view! {
                            <div class=if c.valid { "alert alert--ok certificate" } else { "alert alert--error certificate" }
                                role="status" data-certificate=if c.valid { "valid" } else { "revoked" }>
                                <p><strong>{t(if c.valid { Key::CertificateValid } else { Key::CertificateRevoked })}</strong></p>
                                <dl class="facts">
                                    <div><dt>{t(Key::CertificateNumber)}</dt><dd><code>{c.number.clone()}</code></dd></div>
                                    <div><dt>{t(Key::FullName)}</dt><dd>{c.name.clone()}</dd></div>
                                    <div><dt>{t(Key::UnitName)}</dt><dd>{c.unit.clone()}</dd></div>
                                    <div><dt>{t(Key::IssuingCommittee)}</dt><dd>{c.committee.clone()}</dd></div>
                                    <div><dt>{t(Key::IssuedOn)}</dt><dd>{c.issued_on.to_string()}</dd></div>
                                </dl>
                            </div>
                        }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The actions of the session page's section.
#[derive(Clone, Copy)]
pub struct NoticeActions {
    pub publish: ServerAction<PublishResults>,
    pub resolve: ServerAction<ResolveObjection>,
    pub appeal: ServerAction<DecideAppeal>,
    /// Revocation for misconduct (offered on each application of the session page).
    pub revoke: ServerAction<crate::api::notice::RevokeForMisconduct>,
}

impl Default for NoticeActions {
    fn default() -> Self {
        NoticeActions {
            publish: ServerAction::new(),
            resolve: ServerAction::new(),
            appeal: ServerAction::new(),
            revoke: ServerAction::new(),
        }
    }
}

impl NoticeActions {
    /// Changes whenever one of them completes (the page reloads its data).
    pub fn version(&self) -> (usize, usize, usize, usize) {
        (
            self.publish.version().get(),
            self.resolve.version().get(),
            self.appeal.version().get(),
            self.revoke.version().get(),
        )
    }
}

/// The section on the session page, from the page's data.
#[component]
pub fn NoticeSectionView(
    actions: NoticeActions,
    data: Result<NoticeSection, crate::api::AppError>,
) -> impl IntoView {
    let lang = use_lang();
    let publish_error = action_error(actions.publish);
    let resolve_error = action_error(actions.resolve);
    let appeal_error = action_error(actions.appeal);
    let v = match data {
        Ok(v) => v,
        Err(e) => return view! { <ErrorPanel error=e /> }.into_any(),
    };
    if v.to_publish.is_empty()
        && v.on_notice.is_empty()
        && v.objections.is_empty()
        && v.appeals.is_empty()
        && v.decided.is_empty()
    {
        return ().into_any();
    }
    let can_run = v.can_run;
    let days = v.notice_days;
    let names = v.to_publish.join("、");
    let today = v.today.to_string();
    view! {
        <section class="panel result-notice">
            <h2>{t(Key::ResultNoticeTitle)}</h2>
            <FormMessage error=publish_error />
            <FormMessage error=resolve_error />
            <FormMessage error=appeal_error />
            {(!v.to_publish.is_empty()).then(|| view! {
                <p>{move || lang.get().text(Key::ToPublish).replace("{names}", &names)}</p>
                {can_run.then(|| view! {
                    <ActionForm action=actions.publish attr:class="inline-form publish">
                        <input type="hidden" name="session_id" value=v.session_id.to_string() />
                        <label for="f-notice_from">{t(Key::NoticeFrom)}</label>
                        <input id="f-notice_from" type="date" name="notice_from" value=today.clone() required=true />
                        <button type="submit" class="button button--primary">{t(Key::PublishResults)}</button>
                        <span class="field__hint">{move || lang.get().text(Key::PublishHint).replace("{days}", &days.to_string())}</span>
                    </ActionForm>
                })}
            })}
            {(!v.on_notice.is_empty()).then(|| view! {
                <p><a href="/notices" target="_blank">{t(Key::OpenPublicPage)}</a></p>
                <ul class="state-counts">
                    {v.on_notice.iter().map(|i| {
                        let period = match (i.notice_from, i.notice_ends) {
                            (Some(f), Some(e)) => format!("{f} – {e}"),
                            _ => String::new(),
                        };
                        let status = if i.under_review { Key::NoticeUnderReview } else { Key::NoticeRunning };
                        view! {
                            <li data-application=i.application_id.to_string()>
                                <strong>{i.name.clone()}</strong> " " <span class="muted">{period}</span> " "
                                <span class=if i.under_review { "badge badge--warn" } else { "badge badge--ok" }>{t(status)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <h3>{t(Key::ObjectionsTitle)}</h3>
            {if v.objections.is_empty() {
                view! { <p class="empty">{t(Key::NoObjections)}</p> }.into_any()
            } else {
                view! {
                    <ul class="queue objections">
                        {v.objections.into_iter().map(|o| view! { <Objection o can_run resolve=actions.resolve /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!v.appeals.is_empty()).then(|| view! {
                <h3>{t(Key::AppealsTitle)}</h3>
                <ul class="queue appeals">
                    {v.appeals.into_iter().map(|a| view! { <Appeal a can_run decide=actions.appeal /> }).collect_view()}
                </ul>
            })}
            {(!v.decided.is_empty()).then(|| view! {
                <h3>{t(Key::OutcomesTitle)}</h3>
                <ul class="state-counts outcomes">
                    {v.decided.into_iter().map(|(name, state, number)| view! {
                        <li>
                            <strong>{name}</strong> " " <StateBadge state />
                            {number.map(|n| view! { " " <code data-certificate=n.clone()>{n.clone()}</code> })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
    .into_any()
}

fn outcome_key(outcome: Option<&str>) -> Key {
    match outcome {
        Some("upheld") => Key::UpholdObjection,
        Some("dismissed") => Key::OutcomeDismissed,
        Some(_) => Key::OutcomeSuperseded,
        None => Key::OutcomeOpen,
    }
}

#[component]
fn Objection(
    o: ObjectionView,
    can_run: bool,
    resolve: ServerAction<ResolveObjection>,
) -> impl IntoView {
    let reveal = ServerAction::<RevealObjectionContact>::new();
    let masked = o.contact.clone();
    let contact = move || match reveal.value().get() {
        Some(Ok(full)) => full,
        _ => masked.clone(),
    };
    let id = o.id;
    let open = o.outcome.is_none();
    view! {
        <li class="queue__item" data-objection=id.to_string()>
            <div class="queue__head">
                <strong>{o.candidate.clone()}</strong>
                <span class="muted">" · " {super::when(o.filed_at)}</span>
                <span class=if open { "badge badge--warn" } else { "badge badge--muted" }>{t(outcome_key(o.outcome.as_deref()))}</span>
            </div>
            <p class="record-note">{o.body.clone()}</p>
            // A div, not a p: a <form> inside a <p> closes the paragraph in the browser's
            // parser, and the page would not hydrate.
            <div class="muted objector">
                {t(Key::Objector)} {t(Key::Colon)} {o.name.clone()} " · " <span class="contact">{contact}</span>
                {can_run.then(|| view! {
                    " "
                    <ActionForm action=reveal attr:class="inline">
                        <input type="hidden" name="id" value=id.to_string() />
                        <button type="submit" class="button button--ghost button--small">{t(Key::ShowContact)}</button>
                    </ActionForm>
                })}
            </div>
            {o.reason.clone().map(|r| view! {
                <p class="timeline__reason">{t(Key::ResolutionReason)} {t(Key::Colon)} {r}</p>
            })}
            {(open && can_run).then(|| view! {
                <div class="queue__actions">
                    {[("dismiss", Key::DismissObjection), ("uphold", Key::UpholdObjection)].into_iter().map(|(decision, label)| view! {
                        <ActionForm action=resolve attr:class="decision">
                            <super::ReasonFields id decision label />
                        </ActionForm>
                    }).collect_view()}
                </div>
            })}
        </li>
    }
}

#[component]
fn Appeal(a: AppealView, can_run: bool, decide: ServerAction<DecideAppeal>) -> impl IntoView {
    let id = a.application_id;
    let against = if a.against_not_passed {
        Key::AppealAgainstNotPassed
    } else {
        Key::AppealAgainstNotAccepted
    };
    view! {
        <li class="queue__item" data-appeal=id.to_string()>
            <div class="queue__head">
                <strong>{a.candidate.clone()}</strong>
                <span class="muted">" · " {t(against)}</span>
            </div>
            <p class="record-note">{a.reason.clone()}</p>
            {can_run.then(|| view! {
                <div class="queue__actions">
                    {[("dismiss", Key::DismissAppeal), ("uphold", Key::UpholdAppeal)].into_iter().map(|(decision, label)| view! {
                        <ActionForm action=decide attr:class="decision">
                            <super::ReasonFields id decision label />
                        </ActionForm>
                    }).collect_view()}
                </div>
            })}
        </li>
    }
}
