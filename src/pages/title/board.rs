//! A meeting's bulletin board (投票公告板), once every candidate is counted: each candidate's
//! encrypted ballots (receipts, no names), how they were counted, the counts and digest, and
//! whether every proof rechecks from the board alone. A member checks their receipt here; the
//! board downloads as JSON for `ladder ballot verify --board` on any machine.

use super::meeting::method_key;
use crate::api::meeting::{BoardCandidate, BoardView, FindReceipt, ballot_board, my_ballot_boards};
use crate::components::form::{FormMessage, action_error};
use crate::i18n::{Key, t, use_lang};
use crate::pages::PageHeader;
use crate::pages::errors::ErrorPanel;
use leptos::prelude::*;

#[component]
pub fn BallotBoardPage() -> impl IntoView {
    let id = crate::pages::route_id("id");
    let data = Resource::new(id, ballot_board);
    view! {
        <PageHeader title=Key::BoardTitle lead=Key::BoardLead />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(b) => view! { <Board b /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Board(b: BoardView) -> impl IntoView {
    let check = ServerAction::<FindReceipt>::new();
    let error = action_error(check);
    let meeting = b.meeting_id;
    view! {
        <section class="panel board">
            <h2>{b.session_code.clone()} " · " {b.held_on.to_string()}</h2>
            <p class="muted">{t(Key::VoteKeyFingerprint)} " " <code data-key-fingerprint>{b.key_fingerprint.clone()}</code></p>
            {if b.verified {
                view! { <p class="alert alert--ok" role="status" data-board-verified="true">{t(Key::BoardVerified)}</p> }.into_any()
            } else {
                view! { <p class="alert alert--error" role="alert" data-board-verified="false">{t(Key::BoardProblems)}</p> }.into_any()
            }}
            <p class="toolbar">
                <a class="button button--small" href=format!("/files/ballots/{meeting}/board.json") download>{t(Key::BoardDownload)}</a>
                " " <span class="field__hint">{t(Key::BoardVerifyHint)}</span>
            </p>
        </section>
        <section class="panel">
            <h2>{t(Key::BoardCheckReceipt)}</h2>
            <FormMessage error />
            <ActionForm action=check attr:class="receipt-check">
                <input type="hidden" name="meeting_id" value=meeting.to_string() />
                <label for="receipt">{t(Key::VoteReceipt)}</label>
                <input type="text" id="receipt" name="receipt" required maxlength="64" minlength="64"
                    spellcheck="false" autocomplete="off" class="mono" />
                <button type="submit" class="button">{t(Key::BoardCheckReceipt)}</button>
            </ActionForm>
            {move || check.value().get().and_then(|r| r.ok()).map(|found| if found {
                view! { <p class="alert alert--ok" role="status" data-receipt-found="true">{t(Key::BoardReceiptFound)}</p> }.into_any()
            } else {
                view! { <p class="alert alert--error" role="alert" data-receipt-found="false">{t(Key::BoardReceiptMissing)}</p> }.into_any()
            })}
        </section>
        {b.candidates.into_iter().map(|c| view! { <Candidate c /> }).collect_view()}
    }
}

#[component]
fn Candidate(c: BoardCandidate) -> impl IntoView {
    let lang = use_lang();
    let receipts = c.receipts.clone();
    view! {
        <section class="panel board__candidate" data-application=c.application_id.to_string()>
            <h2>{c.candidate.clone()}</h2>
            <dl class="facts">
                <div><dt>{t(Key::BoardMethod)}</dt><dd>{t(method_key(&c.method))}</dd></div>
                <div><dt>{t(Key::Attending)}</dt><dd>{c.attending}</dd></div>
                <div><dt>{t(Key::BoardBallots)}</dt><dd>{c.ballots}</dd></div>
                {c.tally.map(|k| view! {
                    <div>
                        <dt>{t(Key::TallyLabel)}</dt>
                        <dd data-tally=format!("{}-{}-{}", k.yes, k.no, k.abstain)>
                            {move || lang.get().text(Key::TallyCounts)
                                .replace("{yes}", &k.yes.to_string())
                                .replace("{no}", &k.no.to_string())
                                .replace("{abstain}", &k.abstain.to_string())}
                        </dd>
                    </div>
                })}
            </dl>
            {c.digest.clone().map(|d| view! {
                <p class="digest muted">{t(Key::BallotDigest)} {t(Key::Colon)} <code>{d}</code></p>
            })}
            {(!c.problems.is_empty()).then(|| view! {
                <ul class="alert alert--error">
                    {c.problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}
                </ul>
            })}
            {(!receipts.is_empty()).then(|| view! {
                <details>
                    <summary>{t(Key::BoardReceipts)} " (" {receipts.len()} ")"</summary>
                    <ol class="receipts mono">
                        {receipts.into_iter().map(|r| view! { <li><code>{r}</code></li> }).collect_view()}
                    </ol>
                </details>
            })}
        </section>
    }
}

/// The boards the caller may open (closed meetings), as links; nothing when there are none.
#[component]
pub fn BoardLinks() -> impl IntoView {
    // Asked only of those whose roles may see a board (the audit page is also a system
    // admin's, who may not): a refused call would answer the whole page with 403.
    let session = crate::app::use_session();
    let data = Resource::new(
        || (),
        move |_| async move {
            let may = matches!(
                session.info.await,
                Ok(crate::api::auth::SessionState { user: Some(u), .. })
                    if crate::domain::access::allows(&u.grants, crate::domain::access::Action::ViewAnyBallotBoards)
            );
            if may {
                my_ballot_boards().await
            } else {
                Ok(Vec::new())
            }
        },
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if !list.is_empty() => view! {
                        <section class="panel board-links">
                            <h2>{t(Key::BoardTitle)}</h2>
                            <ul>
                                {list.into_iter().map(|b| view! {
                                    <li>
                                        <a href=format!("/review/meetings/{}/board", b.meeting_id)>
                                            {b.session_code.clone()} " · " {b.held_on.to_string()}
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}
