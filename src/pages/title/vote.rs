//! A member's ballot paper (会议投票): each candidate of the meeting they sit on, with the
//! panel's result and the dossier, and three buttons — yes, no, abstain — used once. The
//! choice never leaves the browser: the page's own small script (`public/ballot/vote.js`, with
//! the `ladder-ballot` wasm) encrypts it under the meeting's key when a button is pressed and
//! sends only the ballot; the page then shows the receipt. After a vote the page says only
//! that the member has voted; it never shows how.

use super::StateBadge;
use super::sheet::AggregateLine;
use crate::api::meeting::{CastVote, PaperItem, my_ballot};
use crate::components::form::{FormMessage, action_error};
use crate::domain::access::Area;
use crate::domain::review::meeting::Choice;
use crate::i18n::{Key, t};
use crate::pages::errors::ErrorPanel;
use crate::pages::{Guard, PageHeader};
use leptos::prelude::*;

#[component]
pub fn VotePage() -> impl IntoView {
    view! {
        <Guard area=Area::Vote>
            <Paper />
        </Guard>
    }
}

fn choice_key(c: Choice) -> Key {
    match c {
        Choice::Yes => Key::ChoiceYes,
        Choice::No => Key::ChoiceNo,
        Choice::Abstain => Key::ChoiceAbstain,
    }
}

#[component]
fn Paper() -> impl IntoView {
    let cast = ServerAction::<CastVote>::new();
    let data = Resource::new(move || cast.version().get(), |_| my_ballot());
    let error = action_error(cast);
    view! {
        <PageHeader title=Key::VoteTitle lead=Key::VoteLead />
        // The encryption: loaded by this page only, so the rest of the app never carries it.
        // It carries the response's CSP nonce (a client-side navigation inserts it from the
        // app's own, trusted script: 'strict-dynamic').
        <script type="module" src="/ballot/vote.js" nonce=leptos::nonce::use_nonce()></script>
        <noscript>
            <p class="alert alert--error" role="alert">{t(Key::VoteNeedsScript)}</p>
        </noscript>
        <p class="alert alert--error ballot-script-missing" role="alert" hidden data-ballot-missing>
            {t(Key::VoteNeedsScript)}
        </p>
        <FormMessage error />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty">{t(Key::NoBallots)}</p>
                        <super::board::BoardLinks />
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="queue">
                            {list.into_iter().map(|item| view! { <Item item cast /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Item(item: PaperItem, cast: ServerAction<CastVote>) -> impl IntoView {
    let id = item.application_id;
    let meeting = item.meeting_id;
    // Where the script shows the receipt it computed before sending (kept in the browser).
    let receipt = view! {
        <p class="ballot__receipt muted" data-receipt-slot data-meeting=meeting.to_string() data-candidate=id.to_string() hidden>
            <span>{t(Key::VoteReceipt)} " "</span>
            <code data-receipt></code>
            <br />
            <small>{t(Key::VoteReceiptHint)}</small>
        </p>
    };
    let actions = if item.recused {
        view! { <span class="badge badge--muted">{t(Key::Recused)}</span> }.into_any()
    } else if item.voted {
        view! { <span class="badge badge--ok" data-voted="true">{t(Key::Voted)}</span> }.into_any()
    } else if item.on_paper {
        view! { <span class="badge badge--muted" data-on-paper="true">{t(Key::VoteOnPaper)}</span> }
            .into_any()
    } else if let Some(key) = item.public_key.clone() {
        view! {
            <div class="ballot" data-ballot-key=key data-ballot-meeting=meeting.to_string()
                data-ballot-candidate=id.to_string() data-ballot-voter=item.voter_tag.clone()>
                {Choice::ALL.into_iter().map(|c| view! {
                    <ActionForm action=cast attr:class="decision" attr:data-choice=c.code()>
                        <input type="hidden" name="id" value=id.to_string() />
                        // Filled by the page's script with the encrypted ballot; empty, the
                        // server refuses the vote and says that the script is needed.
                        <input type="hidden" name="ballot" value="" />
                        // Enabled by the page's script once it can encrypt: a press before
                        // that would send no ballot.
                        <button type="submit" class="button" class:button--primary=c == Choice::Yes
                            disabled data-needs-ballot-script>{t(choice_key(c))}</button>
                    </ActionForm>
                }).collect_view()}
            </div>
        }
        .into_any()
    } else {
        view! { <span class="badge badge--muted">{t(Key::VoteKeyUnavailable)}</span> }.into_any()
    };
    view! {
        <li class="queue__item panel" data-application=id.to_string()>
            <div class="queue__head">
                <strong>{item.candidate.clone()}</strong>
                <span class="muted">" · " {item.session_code.clone()}</span>
                <StateBadge state=item.state />
                {(!item.recused).then(|| view! {
                    <a class="button button--small" href=format!("/title/applications/{id}")>{t(Key::ViewDossier)}</a>
                })}
            </div>
            {item.aggregate.map(|a| view! { <AggregateLine a /> })}
            {item.defense.map(|r| view! { <super::defense::DefenseLine r /> })}
            <div class="queue__actions">{actions}</div>
            {item.key_fingerprint.map(|fp| view! {
                <p class="muted ballot__key">{t(Key::VoteKeyFingerprint)} " " <code>{fp}</code></p>
            })}
            {receipt}
        </li>
    }
}
