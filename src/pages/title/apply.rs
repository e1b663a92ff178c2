//! The candidate's page (职称申报): sessions open for applications with what the automatic
//! check says today, and their own applications with state, deadlines and history.

use super::{Deadlines, Reasons, StateBadge, Timeline};
use crate::api::title::{ApplicationView, ApplyForTitle, CandidateStep, SessionView, title_home};
use crate::components::form::{FormMessage, action_error};
use crate::domain::access::Area;
use crate::domain::review::procedure::State;
use crate::i18n::{Key, t, use_lang};
use crate::pages::errors::ErrorPanel;
use crate::pages::{Guard, PageHeader};
use leptos::prelude::*;

#[component]
pub fn TitlePage() -> impl IntoView {
    view! {
        <Guard area=Area::Title>
            <Title />
        </Guard>
    }
}

#[component]
fn Title() -> impl IntoView {
    let lang = use_lang();
    let apply = ServerAction::<ApplyForTitle>::new();
    let step = ServerAction::<CandidateStep>::new();
    let appeal = ServerAction::<crate::api::notice::AppealDecision>::new();
    let data = Resource::new(
        move || {
            (
                lang.get(),
                apply.version().get(),
                step.version().get(),
                appeal.version().get(),
            )
        },
        |_| title_home(),
    );
    let apply_error = action_error(apply);
    let step_error = action_error(step);
    let appeal_error = action_error(appeal);
    view! {
        <PageHeader title=Key::TitleTitle times=true lead=Key::TitleLead />
        <FormMessage error=apply_error />
        <FormMessage error=step_error />
        <FormMessage error=appeal_error />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(home) => {
                        let mine = home.applications.clone();
                        view! {
                            <section class="panel">
                                <h2>{t(Key::MyApplicationsHeading)}</h2>
                                {if mine.is_empty() {
                                    view! { <p class="empty">{t(Key::NoApplications)}</p> }.into_any()
                                } else {
                                    mine.into_iter().map(|a| view! { <Mine app=a step appeal /> }).collect_view().into_any()
                                }}
                            </section>
                            <section class="panel">
                                <h2>{t(Key::OpenSessions)}</h2>
                                {if home.open.is_empty() {
                                    view! { <p class="empty">{t(Key::NoOpenSessions)}</p> }.into_any()
                                } else {
                                    home.open.into_iter().map(|(s, reasons)| {
                                        let existing = home.applications.iter().find(|a| a.session_id == s.id).map(|a| a.state);
                                        view! { <OpenSession s reasons existing apply /> }
                                    }).collect_view().into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SessionDates(s: SessionView) -> impl IntoView {
    view! {
        <dl class="facts">
            <div><dt>{t(Key::ApplicationWindow)}</dt><dd>{format!("{} – {}", s.applies_from, s.applies_to)}</dd></div>
            <div><dt>{t(Key::ScoringPeriod)}</dt><dd>{format!("{} – {}", s.scoring_from, s.scoring_to)}</dd></div>
            <div><dt>{t(Key::MeetingDate)}</dt><dd>{s.meeting_on.to_string()}</dd></div>
        </dl>
    }
}

/// A session open for applications: the check's verdict now, and the application form (also
/// to submit again after the unit returned it).
#[component]
fn OpenSession(
    s: SessionView,
    reasons: Vec<String>,
    existing: Option<State>,
    apply: ServerAction<ApplyForTitle>,
) -> impl IntoView {
    let lang = use_lang();
    let eligible = reasons.is_empty();
    let can_apply = matches!(existing, None | Some(State::Draft));
    let label = if existing.is_some() {
        Key::SubmitAgain
    } else {
        Key::SubmitApplication
    };
    view! {
        <article class="session-card" data-session=s.code.clone()>
            <h3>{s.name.clone()} " " <span class="muted">{s.code.clone()}</span></h3>
            <p class="muted">{s.committee.clone()}</p>
            <SessionDates s=s.clone() />
            {if eligible {
                view! { <p class="alert alert--ok">{t(Key::EligibleNow)}</p> }.into_any()
            } else {
                view! {
                    <div class="alert alert--warn">
                        <p>{t(Key::IneligibleNow)}</p>
                        <Reasons reasons />
                    </div>
                }.into_any()
            }}
            {existing.filter(|st| *st == State::Draft).map(|_| view! { <p class="record-note">{t(Key::ReturnedHint)}</p> })}
            {can_apply.then(|| view! {
                <ActionForm action=apply attr:class="form-stack">
                    <input type="hidden" name="session_id" value=s.id.to_string() />
                    <div class="field">
                        <label for=format!("exception-{}", s.id)>{t(Key::ExceptionRequest)}</label>
                        <textarea id=format!("exception-{}", s.id) name="exception_request" rows="3" maxlength="2000"></textarea>
                        <p class="field__hint">{move || lang.get().text(Key::ExceptionRequestHint)}</p>
                    </div>
                    <button type="submit" class="button button--primary">{t(label)}</button>
                </ActionForm>
            })}
        </article>
    }
}

/// One of the candidate's applications.
#[component]
fn Mine(
    app: ApplicationView,
    step: ServerAction<CandidateStep>,
    appeal: ServerAction<crate::api::notice::AppealDecision>,
) -> impl IntoView {
    let lang = use_lang();
    let id = app.id;
    let state = app.state;
    let may_withdraw = matches!(
        state,
        State::Draft
            | State::Submitted
            | State::UnitPublicNotice
            | State::UnitObjectionReview
            | State::Recommended
            | State::FormalCheck
            | State::SupplementRequested
            | State::PanelAssigned
            | State::ExpertReview
            | State::AwaitingVote
    );
    let events = app.events.clone();
    let has_dossier = app.dossier_version > 0;
    view! {
        <article class="application" data-application=id.to_string()>
            <div class="application__head">
                <strong>{app.session_code.clone()}</strong>
                <StateBadge state />
                {has_dossier.then(|| view! { <a class="button button--small" href=format!("/title/applications/{id}")>{t(Key::ViewDossier)}</a> })}
            </div>
            <Deadlines app=app.clone() />
            {app.certificate.clone().map(|n| view! {
                <p class="alert alert--ok certificate-line">
                    {t(Key::CertificateNumber)} {t(Key::Colon)} " "
                    <a href=format!("/notices?number={n}#certificate")><code data-certificate=n.clone()>{n.clone()}</code></a>
                </p>
            })}
            {(!app.ineligible.is_empty()).then(|| view! {
                <div class="record-note"><Reasons reasons=app.ineligible.clone() /></div>
            })}
            <details>
                <summary>{t(Key::History)}</summary>
                <Timeline events />
            </details>
            <div class="queue__actions">
                {(state == State::SupplementRequested).then(|| view! {
                    <ActionForm action=step>
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="step" value="supplement" />
                        <button type="submit" class="button button--primary button--small">{t(Key::SubmitSupplement)}</button>
                    </ActionForm>
                })}
                {app.appeal_until.map(|until| view! {
                    <details class="appeal">
                        <summary>{t(Key::AppealTitle)}</summary>
                        <p class="field__hint">{move || lang.get().text(Key::AppealHint).replace("{date}", &until.to_string())}</p>
                        <ActionForm action=appeal attr:class="form-stack">
                            <input type="hidden" name="id" value=id.to_string() />
                            <label for=format!("appeal-{id}")>{t(Key::AppealReason)}</label>
                            <textarea id=format!("appeal-{id}") name="reason" rows="3" maxlength="2000" required=true></textarea>
                            <button type="submit" class="button button--small button--primary">{t(Key::SubmitAppeal)}</button>
                        </ActionForm>
                    </details>
                })}
                {may_withdraw.then(|| view! {
                    <details class="danger-zone">
                        <summary>{t(Key::WithdrawApplication)}</summary>
                        <ActionForm action=step attr:class="form-stack">
                            <input type="hidden" name="id" value=id.to_string() />
                            <input type="hidden" name="step" value="withdraw" />
                            <label><input type="checkbox" required /> " " {t(Key::ConfirmWithdraw)}</label>
                            <button type="submit" class="button button--small button--danger">{t(Key::WithdrawApplication)}</button>
                        </ActionForm>
                    </details>
                })}
            </div>
        </article>
    }
}
