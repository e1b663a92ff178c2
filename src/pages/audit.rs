//! The audit log: filter, page through, and see whether the hash chain is intact.

use super::errors::ErrorPanel;
use super::{Guard, PageHeader};
use crate::api::audit::{AuditEntry, ChainStatus, VerifyAuditChain, list_audit};
use crate::components::audit_words::{action_key, change_words, entity_key, system_actor_key};
use crate::components::time::Moment;
use crate::domain::access::Area;
use crate::domain::audit::AuditProblem;
use crate::i18n::{Key, Lang, t, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <Guard area=Area::Audit>
            <Audit />
        </Guard>
    }
}

#[component]
fn Audit() -> impl IntoView {
    let lang = use_lang();
    let verify = ServerAction::<VerifyAuditChain>::new();
    let query = use_query_map();
    let param = move |k: &str| query.read().get(k).unwrap_or_default();
    let data = Resource::new(
        move || {
            (
                param("action"),
                param("entity_type"),
                param("actor"),
                param("page").parse::<i64>().unwrap_or(1),
            )
        },
        |(action, entity_type, actor, page)| list_audit(action, entity_type, actor, page),
    );
    view! {
        <PageHeader title=Key::AuditTitle times=true lead=Key::AuditLead />
        <crate::pages::title::board::BoardLinks />
        <div class="chain-check">
            <ActionForm action=verify>
                <button type="submit" class="button">{t(Key::VerifyChain)}</button>
            </ActionForm>
            {move || match verify.value().get() {
                Some(Ok(s)) if s.problems.is_empty() => Some(view! {
                    <p class="alert alert--ok" role="status">{move || chain_summary(lang.get(), &s)}</p>
                }.into_any()),
                Some(Ok(s)) => Some(view! {
                    <div class="alert alert--error" role="alert">
                        <p>{t(Key::AuditProblemsFound)}</p>
                        <ul>
                            {s.problems.iter().map(|p| { let p = p.clone(); view! { <li>{move || problem_line(lang.get(), &p)}</li> } }).collect_view()}
                        </ul>
                    </div>
                }.into_any()),
                Some(Err(e)) => Some(view! { <ErrorPanel error=e /> }.into_any()),
                None => None,
            }}
        </div>
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => {
                        let current_action = param("action");
                        let current_type = param("entity_type");
                        view! {
                            <form method="get" class="filters panel" role="search">
                                <div class="field">
                                    <label for="f-action">{t(Key::AuditAction)}</label>
                                    <select id="f-action" name="action">
                                        <option value="">{t(Key::Any)}</option>
                                        {p.actions.into_iter().map(|a| { let sel = a == current_action; let label = a.clone(); view! { <option value=a selected=sel>{move || action_words(lang.get(), &label)}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="f-type">{t(Key::AuditEntity)}</label>
                                    <select id="f-type" name="entity_type">
                                        <option value="">{t(Key::Any)}</option>
                                        {p.entity_types.into_iter().map(|a| { let sel = a == current_type; let label = a.clone(); view! { <option value=a selected=sel>{move || entity_words(lang.get(), &label)}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="f-actor">{t(Key::AuditActor)}</label>
                                    <input id="f-actor" name="actor" type="search" value=param("actor") />
                                </div>
                                <button type="submit" class="button">{t(Key::Filter)}</button>
                            </form>
                            <div class="table-wrap">
                                <table class="table table--dense">
                                    <thead>
                                        <tr>
                                            <th scope="col">"#"</th>
                                            <th scope="col">{t(Key::AuditTime)}</th>
                                            <th scope="col">{t(Key::AuditActor)}</th>
                                            <th scope="col">{t(Key::AuditAction)}</th>
                                            <th scope="col">{t(Key::AuditEntity)}</th>
                                            <th scope="col">{t(Key::AuditChange)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {p.entries.into_iter().map(|e| view! { <AuditRow e /> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <crate::components::pager::Pager page=p.page as usize pages=p.pages as usize total=p.total as usize
                                href=move |n| format!("?action={}&entity_type={}&actor={}&page={n}", param("action"), param("entity_type"), param("actor")) />
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One row of the log: who, what and which, in the page's words (the codes as recorded are
/// kept in `title`, for those who search the log by them).
#[component]
fn AuditRow(e: AuditEntry) -> impl IntoView {
    let lang = use_lang();
    let (name, login) = (e.actor_name.clone(), e.actor.clone());
    let actor = move || actor_words(lang.get(), name.as_deref(), &login);
    let entity_ref = e.entity_ref.clone().unwrap_or_else(|| e.entity_id.clone());
    let (action, entity_type) = (e.action.clone(), e.entity_type.clone());
    let code = e.action.clone();
    let words = move |text: Option<String>| {
        let action = code.clone();
        text.map(move |t| move || change_words(lang.get(), &action, &t))
    };
    let before = words(e.before.clone());
    let after = words(e.after.clone());
    view! {
        <tr>
            <td data-label="#" class="num">{e.id}</td>
            <td data-label=t(Key::AuditTime) class="nowrap"><Moment at=e.at seconds=true /></td>
            <td data-label=t(Key::AuditActor)>{actor}</td>
            <td data-label=t(Key::AuditAction) title=e.action.clone()>{move || action_words(lang.get(), &action)}</td>
            <td data-label=t(Key::AuditEntity) title=format!("{} {}", e.entity_type, e.entity_id)>
                {move || entity_words(lang.get(), &entity_type)} " " {entity_ref}
            </td>
            <td data-label=t(Key::AuditChange) class="audit-change">
                {before.map(|b| view! { <span class="audit-before">{b}</span> })}
                {after.map(|a| view! { <span class="audit-after">{a}</span> })}
            </td>
        </tr>
    }
}

/// A user as "张伟（trainee）" / "张伟 (trainee)"; the program's own actors in words.
fn actor_words(lang: Lang, name: Option<&str>, login: &str) -> String {
    match (name, lang) {
        (Some(name), Lang::Zh) => format!("{name}（{login}）"),
        (Some(name), Lang::En) => format!("{name} ({login})"),
        (None, _) => {
            system_actor_key(login).map_or_else(|| login.to_string(), |k| lang.text(k).to_string())
        }
    }
}

fn action_words(lang: Lang, code: &str) -> String {
    action_key(code).map_or_else(|| code.to_string(), |k| lang.text(k).to_string())
}

fn entity_words(lang: Lang, code: &str) -> String {
    entity_key(code).map_or_else(|| code.to_string(), |k| lang.text(k).to_string())
}

/// "Hash chain intact: 120 rows, 118 authenticated by the server's key; 4 signed checkpoints,
/// newest #4 · 120 · 3fa9…".
fn chain_summary(lang: Lang, s: &ChainStatus) -> String {
    let mut out = format!(
        "{} ({} {}; {} {}; {} {}",
        lang.text(Key::ChainIntact),
        s.rows,
        lang.text(Key::AuditRows),
        s.macs,
        lang.text(Key::AuditMacs),
        s.checkpoints,
        lang.text(Key::AuditCheckpoints),
    );
    if let Some((fp, at)) = &s.latest {
        out.push_str(&format!(
            "; {} {fp}, {}",
            lang.text(Key::AuditLatestCheckpoint),
            crate::components::time::when(*at)
        ));
    }
    out.push(')');
    out
}

fn problem_line(lang: Lang, p: &AuditProblem) -> String {
    let (key, what) = match p {
        AuditProblem::Broken { row } => (Key::AuditProbBroken, row.to_string()),
        AuditProblem::BadMac { row } => (Key::AuditProbBadMac, row.to_string()),
        AuditProblem::MissingMac { row } => (Key::AuditProbMissingMac, row.to_string()),
        AuditProblem::UnknownKey { row, key } => {
            (Key::AuditProbUnknownKey, format!("{row} ({key})"))
        }
        AuditProblem::CheckpointMismatch { seq, row } => {
            (Key::AuditProbCheckpointMismatch, format!("#{seq} ({row})"))
        }
        AuditProblem::UnsignedCheckpoint { seq, key } => {
            (Key::AuditProbUnsigned, format!("#{seq} ({key})"))
        }
        AuditProblem::CheckpointDiffers { seq } => (Key::AuditProbDiffers, format!("#{seq}")),
        AuditProblem::CheckpointMissing { seq } => (Key::AuditProbMissing, format!("#{seq}")),
        AuditProblem::Unanchored => (Key::AuditProbUnanchored, String::new()),
    };
    format!("{} {what}", lang.text(key)).trim_end().to_string()
}
