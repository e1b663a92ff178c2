//! The meeting record sheet (会议记录表, domain.md §6.3), to print on A4 and sign: the
//! meeting, the committee and its panels, who sat and who was present, the recusals with
//! their reasons, each candidate's tally and result, and the seal over the ballot digests.

use super::meeting::verdict_key;
use super::staffing::conflict_key;
use super::when;
use crate::api::record::{RecordSheet, meeting_record};
use crate::domain::access::Area;
use crate::i18n::{Key, t, use_lang};
use crate::pages::errors::ErrorPanel;
use crate::pages::{Guard, PageHeader};
use leptos::prelude::*;

#[component]
pub fn MeetingRecordPage() -> impl IntoView {
    view! {
        <Guard area=Area::ReviewSessions>
            <RecordLoader />
        </Guard>
    }
}

#[component]
fn RecordLoader() -> impl IntoView {
    let id = crate::pages::route_id("id");
    let data = Resource::new(id, meeting_record);
    view! {
        <PageHeader title=Key::MeetingRecordTitle times=true />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => view! { <Record r /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Record(r: RecordSheet) -> impl IntoView {
    let lang = use_lang();
    let session = r.session_id;
    let present_count = r.present.len();
    let members_total = r.members_total;
    let with_defense = r.candidates.iter().any(|c| c.defense.is_some());
    view! {
        <div class="record">
            <div class="no-print toolbar">
                <a class="button" href=format!("/review/{session}")>{t(Key::BackToSession)}</a>
                <a class="button" href=format!("/files/review/{session}/results.xlsx") download>{t(Key::ResultsWorkbook)}</a>
                <button type="button" class="button button--primary" on:click=move |_| { let _ = window().print(); }>{t(Key::PrintPage)}</button>
            </div>
            <section class="panel">
                <h2>{r.session_name.clone()} " " <span class="muted">{r.session_code.clone()}</span></h2>
                <dl class="facts">
                    <div><dt>{t(Key::MeetingNumber)}</dt><dd>{r.meeting_id}</dd></div>
                    <div><dt>{t(Key::IssuingCommittee)}</dt><dd>{r.committee.clone()}</dd></div>
                    <div><dt>{t(Key::SubPanels)}</dt><dd>{r.panels.join("；")}</dd></div>
                    <div><dt>{t(Key::MeetingHeldOn)}</dt><dd>{r.held_on.to_string()}</dd></div>
                    <div><dt>{t(Key::RoleChairShort)}</dt><dd>{r.chair.clone()}</dd></div>
                    <div>
                        <dt>{t(Key::PresentLabel)}</dt>
                        <dd data-present=present_count.to_string()>
                            {move || lang.get().text(Key::PresentOfMembers)
                                .replace("{present}", &present_count.to_string())
                                .replace("{members}", &members_total.to_string())}
                        </dd>
                    </div>
                    <div><dt>{t(Key::QuorumRule)}</dt><dd>{r.quorum.clone()}</dd></div>
                    <div><dt>{t(Key::PassRule)}</dt><dd>{r.pass.clone()}</dd></div>
                </dl>
                <p><strong>{t(Key::MembersPresent)} {t(Key::Colon)}</strong> {r.present.join("、")}</p>
                {(!r.absent.is_empty()).then(|| view! {
                    <p><strong>{t(Key::MembersAbsent)} {t(Key::Colon)}</strong> {r.absent.join("、")}</p>
                })}
            </section>
            <section class="panel">
                <h2>{t(Key::RecusalsTitle)}</h2>
                {if r.recusals.is_empty() {
                    view! { <p class="empty">{t(Key::NoRecusals)}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap">
                            <table class="table table--dense recusals">
                                <thead><tr>
                                    <th scope="col">{t(Key::MeetingMember)}</th>
                                    <th scope="col">{t(Key::Candidate)}</th>
                                    <th scope="col">{t(Key::ConflictReason)}</th>
                                </tr></thead>
                                <tbody>
                                    {r.recusals.iter().map(|x| {
                                        let kind = conflict_key(&x.kind);
                                        view! {
                                            <tr>
                                                <td data-label=t(Key::MeetingMember)>{x.member.clone()}</td>
                                                <td data-label=t(Key::Candidate)>{x.candidate.clone()}</td>
                                                <td data-label=t(Key::ConflictReason)>{t(kind)} {(!x.detail.is_empty()).then(|| format!("：{}", x.detail))}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            </section>
            <section class="panel">
                <h2>{t(Key::BallotResults)}</h2>
                <div class="table-wrap">
                    <table class="table table--dense ballots">
                        <thead><tr>
                            <th scope="col">{t(Key::Candidate)}</th>
                            <th scope="col">{t(Key::UnitName)}</th>
                            <th scope="col">{t(Key::SubPanels)}</th>
                            <th scope="col" class="num">{t(Key::PanelMeanShort)}</th>
                            {with_defense.then(|| view! { <th scope="col" class="num">{t(Key::DefenseMeanShort)}</th> })}
                            <th scope="col" class="num">{t(Key::Attending)}</th>
                            <th scope="col" class="num">{t(Key::ChoiceYes)}</th>
                            <th scope="col" class="num">{t(Key::ChoiceNo)}</th>
                            <th scope="col" class="num">{t(Key::ChoiceAbstain)}</th>
                            <th scope="col">{t(Key::BoardMethod)}</th>
                            <th scope="col">{t(Key::BallotResult)}</th>
                        </tr></thead>
                        <tbody>
                            {r.candidates.iter().map(|c| {
                                let verdict = c.verdict.map(verdict_key);
                                let certified = c.certified;
                                view! {
                                    <tr data-application=c.application_id.to_string()
                                        data-tally=format!("{}-{}-{}", c.yes, c.no, c.abstain)>
                                        <td data-label=t(Key::Candidate)><strong>{c.name.clone()}</strong></td>
                                        <td data-label=t(Key::UnitName)>{c.unit.clone()}</td>
                                        <td data-label=t(Key::SubPanels)>{c.panel.clone()}</td>
                                        <td data-label=t(Key::PanelMeanShort) class="num">{c.panel_mean.map(|m| m.display()).unwrap_or_default()}</td>
                                        {with_defense.then(|| view! {
                                            <td data-label=t(Key::DefenseMeanShort) class="num" data-defense-mean=c.defense.map(|d| d.mean.display()).unwrap_or_default()>
                                                {c.defense.map(|d| d.mean.display()).unwrap_or_default()}
                                            </td>
                                        })}
                                        <td data-label=t(Key::Attending) class="num">{c.attending}</td>
                                        <td data-label=t(Key::ChoiceYes) class="num">{c.yes}</td>
                                        <td data-label=t(Key::ChoiceNo) class="num">{c.no}</td>
                                        <td data-label=t(Key::ChoiceAbstain) class="num">{c.abstain}</td>
                                        <td data-label=t(Key::BoardMethod)>{t(super::meeting::method_key(&c.method))}</td>
                                        <td data-label=t(Key::BallotResult)>
                                            {match verdict {
                                                Some(k) => view! { {t(k)} {(!certified).then(|| view! { " " <span class="muted">{t(Key::NotYetCertified)}</span> })} }.into_any(),
                                                None => view! { <span class="muted">{t(Key::TallyHidden)}</span> }.into_any(),
                                            }}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <dl class="digests">
                    {r.candidates.iter().map(|c| view! {
                        <div><dt>{c.name.clone()}</dt><dd><code>{c.digest.clone()}</code></dd></div>
                    }).collect_view()}
                </dl>
                <p class="digest">
                    <strong>{t(Key::SealedBallotHash)} {t(Key::Colon)}</strong> " "
                    <code data-seal=r.sealed_ballot_hash.clone()>{r.sealed_ballot_hash.clone()}</code>
                </p>
                <p class="field__hint">{t(Key::SealedBallotHint)}</p>
                {r.key_fingerprint.clone().map(|fp| view! {
                    <p class="digest"><strong>{t(Key::RecordKeyFingerprint)} {t(Key::Colon)}</strong> " " <code>{fp}</code></p>
                })}
                {r.checkpoint.clone().map(|cp| {
                    let shown = cp.clone();
                    view! {
                        <p class="digest"><strong>{t(Key::RecordCheckpoint)} {t(Key::Colon)}</strong> " " <code data-checkpoint=cp>{shown}</code></p>
                    }
                })}
            </section>
            <section class="panel signatures">
                <div class="signature"><span>{t(Key::ChairSignature)}</span><span class="signature__line"></span></div>
                <div class="signature"><span>{t(Key::SecretarySignature)}</span><span class="signature__line"></span></div>
                <div class="signature"><span>{t(Key::SignedOn)}</span><span class="signature__line"></span></div>
            </section>
            <p class="muted record__printed">{t(Key::PrintedAt)} " " {when(r.printed_at)}</p>
        </div>
    }
}
