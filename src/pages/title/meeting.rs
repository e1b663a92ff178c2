//! The committee's meeting, on the session page: the secretariat ticks the members present
//! and opens the meeting (the committee's composition and the quorum are checked); each
//! candidate's ballot then shows how many of the attending members have voted; once all have,
//! the chair certifies the result — only then are the candidate's encrypted sums decrypted and
//! the tally shown. The secretariat may instead record a candidate's paper count (before any
//! online ballot), or void the ballot when its key is lost. Once every candidate is counted
//! the bulletin board opens.

use super::StateBadge;
use super::sheet::AggregateLine;
use crate::api::meeting::{
    BallotView, CertifyResult, HeldView, MeetingView, OpenMeeting, RecordPaperBallot, VoidBallot,
};
use crate::components::form::{FormMessage, action_error};
use crate::domain::review::ballot::Verdict;
use crate::domain::review::meeting::Composition;
use crate::i18n::{Key, Lang, t, use_lang};
use leptos::prelude::*;

fn composition_text(c: &Composition, lang: Lang) -> String {
    match c {
        Composition::EvenSize { members } => lang
            .text(Key::CompositionEven)
            .replace("{members}", &members.to_string()),
        Composition::TooSmall { members, min } => lang
            .text(Key::CompositionSmall)
            .replace("{members}", &members.to_string())
            .replace("{min}", &min.to_string()),
        Composition::TermTooLong { name, max_years } => lang
            .text(Key::CompositionTerm)
            .replace("{name}", name)
            .replace("{years}", &max_years.to_string()),
    }
}

pub fn verdict_key(v: Verdict) -> Key {
    match v {
        Verdict::Passed => Key::VerdictPassed,
        Verdict::Failed => Key::VerdictFailed,
    }
}

/// The meeting section's actions (the page reloads its data when one completes).
#[derive(Clone, Copy)]
pub struct MeetingActions {
    pub open: ServerAction<OpenMeeting>,
    pub certify: ServerAction<CertifyResult>,
    pub paper: ServerAction<RecordPaperBallot>,
    pub void: ServerAction<VoidBallot>,
}

impl Default for MeetingActions {
    fn default() -> Self {
        MeetingActions {
            open: ServerAction::new(),
            certify: ServerAction::new(),
            paper: ServerAction::new(),
            void: ServerAction::new(),
        }
    }
}

impl MeetingActions {
    pub fn version(&self) -> (usize, usize, usize, usize) {
        (
            self.open.version().get(),
            self.certify.version().get(),
            self.paper.version().get(),
            self.void.version().get(),
        )
    }
}

/// The section, from the session page's data (`data`).
#[component]
pub fn MeetingSection(
    actions: MeetingActions,
    data: Result<MeetingView, crate::api::AppError>,
) -> impl IntoView {
    let open_error = action_error(actions.open);
    let certify_error = action_error(actions.certify);
    let paper_error = action_error(actions.paper);
    let void_error = action_error(actions.void);
    match data {
        // A meeting voided with no one waiting shows nothing more to do but its record.
        Ok(v) if v.meeting.is_none() && v.waiting.is_empty() => ().into_any(),
        Ok(v) => {
            // After a voided ballot the candidates wait again: attendance for a new meeting.
            let reopen = v
                .meeting
                .as_ref()
                .is_some_and(|m| m.voided.is_some() && !v.waiting.is_empty());
            view! {
                <section class="panel meeting">
                    <h2>{t(Key::MeetingTitle)}</h2>
                    <FormMessage error=open_error />
                    <FormMessage error=certify_error />
                    <FormMessage error=paper_error />
                    <FormMessage error=void_error />
                    {match v.meeting.clone() {
                        Some(held) => view! {
                            <Held held session_id=v.session_id can_run=v.can_run can_certify=v.can_certify actions />
                        }.into_any(),
                        None => ().into_any(),
                    }}
                    {(v.meeting.is_none() || reopen).then(|| view! { <Attendance v=v.clone() open=actions.open /> })}
                </section>
            }
            .into_any()
        }
        Err(e) => view! { <crate::pages::errors::ErrorPanel error=e /> }.into_any(),
    }
}

#[component]
fn Attendance(v: MeetingView, open: ServerAction<OpenMeeting>) -> impl IntoView {
    let lang = use_lang();
    let names = v.waiting.join("、");
    let problems = v.problems.clone();
    view! {
        <p>{move || lang.get().text(Key::WaitingForVote).replace("{names}", &names)}</p>
        {(!problems.is_empty()).then(|| view! {
            <div class="alert alert--warn" role="status">
                {problems.iter().map(|p| {
                    let p = p.clone();
                    view! { <p>{move || composition_text(&p, lang.get())}</p> }
                }).collect_view()}
            </div>
        })}
        <ActionForm action=open attr:class="attendance">
            <input type="hidden" name="session_id" value=v.session_id.to_string() />
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">{t(Key::PresentLabel)}</th>
                            <th scope="col">{t(Key::FullName)}</th>
                            <th scope="col">{t(Key::MeetingRole)}</th>
                            <th scope="col">{t(Key::TermLabel)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {v.seats.into_iter().map(|s| {
                            let id = format!("present-{}", s.user_id);
                            let role = if s.role == "chair" { Key::RoleChairShort } else { Key::RoleMemberShort };
                            let term = match (s.term_from, s.term_to) {
                                (Some(f), Some(to)) => format!("{f} – {to}"),
                                _ => String::new(),
                            };
                            view! {
                                <tr data-member=s.user_id.to_string()>
                                    <td data-label=t(Key::PresentLabel)>
                                        {if s.sits {
                                            view! { <input type="checkbox" id=id.clone() name=format!("present[{}]", s.user_id) value="on" checked=true disabled=!v.can_open /> }.into_any()
                                        } else {
                                            view! { <span class="badge badge--muted">{t(Key::OutOfTerm)}</span> }.into_any()
                                        }}
                                    </td>
                                    <td data-label=t(Key::FullName)><label for=id>{s.name.clone()}</label></td>
                                    <td data-label=t(Key::MeetingRole)>{t(role)}</td>
                                    <td data-label=t(Key::TermLabel)>{term}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {v.can_open.then(|| view! {
                <p>
                    <button type="submit" class="button button--primary">{t(Key::OpenMeeting)}</button>
                    " " <span class="field__hint">{t(Key::OpenMeetingHint)}</span>
                </p>
            })}
        </ActionForm>
    }
}

#[component]
fn Held(
    held: HeldView,
    session_id: i64,
    can_run: bool,
    can_certify: bool,
    actions: MeetingActions,
) -> impl IntoView {
    let lang = use_lang();
    let (date, present, members) = (held.held_on, held.present, held.members);
    let line = move || {
        lang.get()
            .text(Key::MeetingHeld)
            .replace("{date}", &date.to_string())
            .replace("{present}", &present.to_string())
            .replace("{members}", &members.to_string())
    };
    let record = format!("/review/{}/record", session_id);
    let workbook = format!("/files/review/{}/results.xlsx", session_id);
    let board = format!("/review/meetings/{}/board", held.id);
    let voided = held.voided.clone();
    let still_open = voided.is_none() && !held.closed;
    view! {
        <p class="meeting__line">{line}</p>
        {held.key_fingerprint.clone().map(|fp| view! {
            <p class="muted">{t(Key::VoteKeyFingerprint)} " " <code data-key-fingerprint>{fp}</code></p>
        })}
        {voided.map(|why| view! {
            <p class="alert alert--warn" role="status" data-voided="true">{t(Key::MeetingVoided)} " " {why}</p>
        })}
        <p class="toolbar no-print">
            <a class="button button--small" href=record>{t(Key::MeetingRecordLink)}</a>
            <a class="button button--small" href=workbook download>{t(Key::ResultsWorkbook)}</a>
            {held.closed.then(|| view! { <a class="button button--small" href=board>{t(Key::BoardOpen)}</a> })}
        </p>
        {still_open.then(|| view! { <p class="field__hint">{t(Key::MeetingCountHint)}</p> })}
        <ul class="queue">
            {held.ballots.into_iter().map(|b| view! { <Ballot b can_run can_certify actions /> }).collect_view()}
        </ul>
        {(still_open && can_run).then(|| view! {
            <details class="meeting__void">
                <summary>{t(Key::MeetingVoid)}</summary>
                <p class="field__hint">{t(Key::MeetingVoidHint)}</p>
                <ActionForm action=actions.void attr:class="decision">
                    <input type="hidden" name="session_id" value=session_id.to_string() />
                    <label for="void-reason">{t(Key::MeetingVoidReason)}</label>
                    <input type="text" id="void-reason" name="reason" required maxlength="500" />
                    <button type="submit" class="button button--danger button--small">{t(Key::MeetingVoid)}</button>
                </ActionForm>
            </details>
        })}
    }
}

pub fn method_key(method: &str) -> Key {
    match method {
        "encrypted" => Key::MethodEncrypted,
        "paper" => Key::MethodPaper,
        _ => Key::MethodCounter,
    }
}

#[component]
fn Ballot(
    b: BallotView,
    can_run: bool,
    can_certify: bool,
    actions: MeetingActions,
) -> impl IntoView {
    let lang = use_lang();
    let id = b.application_id;
    let open = b.state == crate::domain::review::procedure::State::Voting;
    let complete = b.voted >= b.attending || b.method == "paper";
    let uncounted = b.tally.is_none();
    // A paper count only before any member has voted online.
    let paper_form = (open && can_run && uncounted && b.voted == 0 && b.method == "encrypted").then(move || {
        let f = move |name: &str| format!("paper-{name}-{id}");
        view! {
            <details class="meeting__paper">
                <summary>{t(Key::MeetingPaperBallot)}</summary>
                <p class="field__hint">{t(Key::MeetingPaperHint)}</p>
                <ActionForm action=actions.paper attr:class="paper-count">
                    <input type="hidden" name="id" value=id.to_string() />
                    <label for=f("yes")>{t(Key::ChoiceYes)}</label>
                    <input type="number" id=f("yes") name="yes" min="0" required inputmode="numeric" />
                    <label for=f("no")>{t(Key::ChoiceNo)}</label>
                    <input type="number" id=f("no") name="no" min="0" required inputmode="numeric" />
                    <label for=f("abstain")>{t(Key::ChoiceAbstain)}</label>
                    <input type="number" id=f("abstain") name="abstain" min="0" required inputmode="numeric" />
                    <button type="submit" class="button button--small">{t(Key::MeetingPaperRecord)}</button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <li class="queue__item" data-application=id.to_string()>
            <div class="queue__head">
                <strong>{b.candidate.clone()}</strong>
                <StateBadge state=b.state />
                <span class="badge badge--muted" data-method=b.method.clone()>{t(method_key(&b.method))}</span>
            </div>
            <dl class="facts">
                <div><dt>{t(Key::Attending)}</dt><dd>{b.attending}</dd></div>
                <div><dt>{t(Key::VotedCount)}</dt><dd data-voted=b.voted.to_string()>{format!("{} / {}", b.voted, b.attending)}</dd></div>
                {(!b.recused.is_empty()).then(|| view! {
                    <div><dt>{t(Key::RecusedMembers)}</dt><dd>{b.recused.join("、")}</dd></div>
                })}
            </dl>
            {b.aggregate.map(|a| view! { <AggregateLine a /> })}
            {b.defense.map(|r| view! { <super::defense::DefenseLine r /> })}
            {match b.tally {
                Some(tally) => view! {
                    <p class="tally" data-tally=format!("{}-{}-{}", tally.yes, tally.no, tally.abstain)>
                        <strong>{t(Key::TallyLabel)} {t(Key::Colon)}</strong>
                        {move || lang.get().text(Key::TallyCounts)
                            .replace("{yes}", &tally.yes.to_string())
                            .replace("{no}", &tally.no.to_string())
                            .replace("{abstain}", &tally.abstain.to_string())}
                        {b.verdict.map(|v| {
                            let key = verdict_key(v);
                            view! { " · " <span class=if v == Verdict::Passed { "badge badge--ok" } else { "badge badge--danger" }>{t(key)}</span> }
                        })}
                    </p>
                    {b.digest.clone().map(|d| view! {
                        <p class="digest muted">{t(Key::BallotDigest)} {t(Key::Colon)} <code>{d}</code></p>
                    })}
                }.into_any(),
                None => view! { <p class="muted">{t(Key::TallyHidden)}</p> }.into_any(),
            }}
            {(open && can_certify && complete).then(|| view! {
                <ActionForm action=actions.certify attr:class="decision">
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit" class="button button--primary button--small">{t(Key::CertifyResult)}</button>
                </ActionForm>
            })}
            {paper_form}
        </li>
    }
}
