//! The committee's meeting, on the session page: the secretariat ticks the members present
//! and opens the meeting (the committee's composition and the quorum are checked); each
//! candidate's ballot then shows how many of the attending members have voted, the tally once
//! all have, and the chair certifies the result.

use super::StateBadge;
use super::sheet::AggregateLine;
use crate::api::meeting::{BallotView, CertifyResult, HeldView, MeetingView, OpenMeeting};
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

/// The section, from the session page's data (`data`).
#[component]
pub fn MeetingSection(
    open: ServerAction<OpenMeeting>,
    certify: ServerAction<CertifyResult>,
    data: Result<MeetingView, crate::api::AppError>,
) -> impl IntoView {
    let open_error = action_error(open);
    let certify_error = action_error(certify);
    match data {
        Ok(v) if v.meeting.is_none() && v.waiting.is_empty() => ().into_any(),
        Ok(v) => view! {
            <section class="panel meeting">
                <h2>{t(Key::MeetingTitle)}</h2>
                <FormMessage error=open_error />
                <FormMessage error=certify_error />
                {match v.meeting.clone() {
                    None => view! { <Attendance v open /> }.into_any(),
                    Some(held) => view! { <Held held session_id=v.session_id can_certify=v.can_certify certify /> }.into_any(),
                }}
            </section>
        }
        .into_any(),
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
                                            view! { <input type="checkbox" id=id.clone() name=format!("present[{}]", s.user_id) value="on" checked=true disabled=!v.can_run /> }.into_any()
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
            {v.can_run.then(|| view! {
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
    can_certify: bool,
    certify: ServerAction<CertifyResult>,
) -> impl IntoView {
    let lang = use_lang();
    let line = move || {
        lang.get()
            .text(Key::MeetingHeld)
            .replace("{date}", &held.held_on.to_string())
            .replace("{present}", &held.present.to_string())
            .replace("{members}", &held.members.to_string())
    };
    let record = format!("/review/{}/record", session_id);
    let workbook = format!("/files/review/{}/results.xlsx", session_id);
    view! {
        <p class="meeting__line">{line}</p>
        <p class="toolbar no-print">
            <a class="button button--small" href=record>{t(Key::MeetingRecordLink)}</a>
            <a class="button button--small" href=workbook download>{t(Key::ResultsWorkbook)}</a>
        </p>
        <ul class="queue">
            {held.ballots.into_iter().map(|b| view! { <Ballot b can_certify certify /> }).collect_view()}
        </ul>
    }
}

#[component]
fn Ballot(b: BallotView, can_certify: bool, certify: ServerAction<CertifyResult>) -> impl IntoView {
    let lang = use_lang();
    let id = b.application_id;
    let open = b.state == crate::domain::review::procedure::State::Voting;
    view! {
        <li class="queue__item" data-application=id.to_string()>
            <div class="queue__head">
                <strong>{b.candidate.clone()}</strong>
                <StateBadge state=b.state />
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
                    {(open && can_certify).then(|| view! {
                        <ActionForm action=certify attr:class="decision">
                            <input type="hidden" name="id" value=id.to_string() />
                            <button type="submit" class="button button--primary button--small">{t(Key::CertifyResult)}</button>
                        </ActionForm>
                    })}
                }.into_any(),
                None => view! { <p class="muted">{t(Key::TallyHidden)}</p> }.into_any(),
            }}
        </li>
    }
}
