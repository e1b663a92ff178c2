//! One review session for its secretariat and chair: applications by state, and the formal
//! check — receive, accept (an exception with its recorded reason), not accept, ask for a
//! supplement — then the panels and the scoring progress.

use super::{Deadlines, Reasons, StateBadge};
use crate::api::title::{ApplicationView, FormalDecide, SessionDetail, review_session};
use crate::components::form::{FormMessage, action_error};
use crate::components::labels::state_key;
use crate::domain::access::Area;
use crate::domain::review::procedure::State;
use crate::i18n::{Key, t, use_lang};
use crate::pages::errors::ErrorPanel;
use crate::pages::{Guard, PageHeader};
use leptos::prelude::*;

#[component]
pub fn ReviewSessionPage() -> impl IntoView {
    view! {
        <Guard area=Area::ReviewSessions>
            <Session />
        </Guard>
    }
}

#[component]
fn Session() -> impl IntoView {
    let lang = use_lang();
    let id = crate::pages::route_id("id");
    let decide = ServerAction::<FormalDecide>::new();
    let staff = ServerAction::<crate::api::panels::StaffReview>::new();
    let run = ServerAction::<crate::api::scoring::RunScoring>::new();
    let reschedule = ServerAction::<crate::api::title::RescheduleSession>::new();
    let schedule = super::defense::ScheduleForms::new();
    let meeting_actions = super::meeting::MeetingActions::default();
    let notice = super::notice::NoticeActions::default();
    let data = Resource::new(
        move || {
            (
                lang.get(),
                id(),
                (
                    decide.version().get(),
                    staff.version().get(),
                    reschedule.version().get(),
                ),
                (
                    run.version().get(),
                    schedule.action.version().get(),
                    meeting_actions.version(),
                ),
                notice.version(),
            )
        },
        // One resource for the whole page: the sections' data arrive with the session's, so
        // no section hydrates a nested suspense of its own. The calls are joined, not awaited
        // in turn (see Cargo.toml on `futures`).
        |(_, id, _, _, _)| {
            futures::future::join5(
                review_session(id),
                crate::api::panels::session_staffing(id),
                crate::api::scoring::session_scoring(id),
                crate::api::meeting::session_meeting(id),
                crate::api::notice::session_notice(id),
            )
        },
    );
    let error = action_error(decide);
    let revoke_error = action_error(notice.revoke);
    view! {
        <PageHeader title=Key::ReviewSessionsTitle times=true />
        <p><a href="/review">{t(Key::BackToSessions)}</a></p>
        <FormMessage error />
        <FormMessage error=revoke_error />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    (Ok(detail), staffing, scoring, meeting, results) => view! {
                        <Detail detail decide staff run reschedule schedule meeting_actions notice staffing scoring meeting results />
                    }.into_any(),
                    (Err(e), ..) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Detail(
    detail: SessionDetail,
    decide: ServerAction<FormalDecide>,
    staff: ServerAction<crate::api::panels::StaffReview>,
    run: ServerAction<crate::api::scoring::RunScoring>,
    reschedule: ServerAction<crate::api::title::RescheduleSession>,
    schedule: super::defense::ScheduleForms,
    meeting_actions: super::meeting::MeetingActions,
    notice: super::notice::NoticeActions,
    staffing: Result<crate::api::panels::StaffingView, crate::api::AppError>,
    scoring: Result<crate::api::scoring::ScoringView, crate::api::AppError>,
    meeting: Result<crate::api::meeting::MeetingView, crate::api::AppError>,
    results: Result<crate::api::notice::NoticeSection, crate::api::AppError>,
) -> impl IntoView {
    let lang = use_lang();
    let s = detail.session;
    let can_run = detail.can_run;
    let staffed = detail.applications.clone();
    view! {
        <section class="panel">
            <h2>{s.name.clone()} " " <span class="muted">{s.code.clone()}</span></h2>
            <p class="muted">{s.committee.clone()}</p>
            <dl class="facts">
                <super::schedule::ScheduleFacts s=s.clone() phases=detail.phases />
                <div><dt>{t(Key::UnitNoticeDays)}</dt><dd>{s.rules.unit_notice_days}</dd></div>
                <div><dt>{t(Key::MinReviewers)}</dt><dd>{s.rules.min_reviewers}</dd></div>
                <div><dt>{t(Key::QuorumRule)}</dt><dd>{format!("{}/{}", s.rules.quorum.num, s.rules.quorum.den)}</dd></div>
                <div><dt>{t(Key::PassRule)}</dt><dd>{format!("{}/{}", s.rules.pass.num, s.rules.pass.den)}</dd></div>
                {s.rules.defense.then(|| {
                    let (max, mark) = (s.rules.defense_scale.to_string(), s.rules.defense_pass_mark.to_string());
                    view! {
                        <div>
                            <dt>{t(Key::DefenseHeld)}</dt>
                            <dd data-defense="on">{move || lang.get().text(Key::DefenseScaleLine).replace("{max}", &max).replace("{m}", &mark)}</dd>
                        </div>
                    }
                })}
            </dl>
            <Overview o=detail.overview />
            <ul class="state-counts">
                {detail.counts.into_iter().map(|(st, n)| view! {
                    <li><span>{move || lang.get().text(state_key(st))}</span> " " <strong>{n}</strong></li>
                }).collect_view()}
            </ul>
        </section>
        {(!detail.calendar_missing.is_empty()).then(|| {
            let years = detail.calendar_missing.iter().map(i32::to_string).collect::<Vec<_>>().join("、");
            view! {
                <p class="alert alert--error" role="alert" data-calendar-missing=years.clone()>
                    {
                        let years = years.clone();
                        move || lang.get().text(Key::CalendarMissingAlert).replace("{years}", &years)
                    }
                </p>
            }
        })}
        <super::schedule::ScheduleChanges s=s.clone() changes=detail.schedule_changes can_run action=reschedule />
        <super::staffing::Staffing session_id=s.id applications=staffed can_run staff data=staffing />
        <super::scoring::Scoring can_run run forms=schedule data=scoring />
        <super::meeting::MeetingSection actions=meeting_actions data=meeting />
        <super::notice::NoticeSectionView actions=notice data=results />
        <h2>{t(Key::SessionApplications)}</h2>
        {if detail.applications.is_empty() {
            view! { <p class="empty">{t(Key::NoApplicationsInSession)}</p> }.into_any()
        } else {
            view! {
                <ul class="queue session-applications">
                    {detail.applications.into_iter().map(|app| view! { <Entry app decide revoke=notice.revoke can_run /> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn Entry(
    app: ApplicationView,
    decide: ServerAction<FormalDecide>,
    revoke: ServerAction<crate::api::notice::RevokeForMisconduct>,
    can_run: bool,
) -> impl IntoView {
    let id = app.id;
    let state = app.state;
    let eligible = app.ineligible.is_empty();
    view! {
        <li class="queue__item panel" data-application=id.to_string()>
            <div class="queue__head">
                <strong>{app.person_name.clone()}</strong>
                <span class="muted">" · " {app.unit_name.clone().unwrap_or_default()}</span>
                <StateBadge state />
                <a class="button button--small" href=format!("/title/applications/{id}")>{t(Key::ViewDossier)}</a>
            </div>
            <div class="queue__body">
                <div class="eligibility-line">
                    <span class="muted">{t(Key::EligibilityCheck)} {t(Key::Colon)}</span>
                    <Reasons reasons=app.ineligible.clone() />
                </div>
                {(!app.exception_request.is_empty()).then(|| view! {
                    <p class="record-note">{t(Key::ExceptionStatement)} {t(Key::Colon)} {app.exception_request.clone()}</p>
                })}
                {app.exception_reason.clone().map(|r| view! {
                    <p class="record-note"><span class="badge badge--warn">{t(Key::ExceptionGranted)}</span> " " {r}</p>
                })}
                <Deadlines app=app.clone() />
            </div>
            {can_run.then(|| view! {
                <div class="queue__actions">
                    {match state {
                        State::Recommended => view! {
                            <Decision decide id decision="receive" label=Key::ReceiveApplication primary=true />
                        }.into_any(),
                        State::FormalCheck => view! {
                            {if eligible {
                                view! { <Decision decide id decision="accept" label=Key::AcceptApplication primary=true /> }.into_any()
                            } else {
                                view! { <Decision decide id decision="accept" label=Key::AcceptException with_reason=true /> }.into_any()
                            }}
                            <Decision decide id decision="supplement" label=Key::RequestSupplement with_reason=true />
                            <Decision decide id decision="reject" label=Key::NotAcceptApplication with_reason=true
                                prefill=app.ineligible.join("；") />
                        }.into_any(),
                        _ => ().into_any(),
                    }}
                    {(!matches!(state, State::Revoked | State::Withdrawn)).then(|| view! { <super::RevokeForm id action=revoke /> })}
                </div>
            })}
        </li>
    }
}

#[component]
fn Decision(
    decide: ServerAction<FormalDecide>,
    id: i64,
    decision: &'static str,
    label: Key,
    #[prop(optional)] with_reason: bool,
    #[prop(optional)] primary: bool,
    #[prop(optional, into)] prefill: String,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ActionForm action=decide attr:class="decision">
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="decision" value=decision />
            {if with_reason {
                view! {
                    <input type="text" name="reason" required=true maxlength="2000" value=prefill
                        aria-label=move || lang.get().text(Key::ReviewReason)
                        placeholder=move || lang.get().text(Key::ReviewReason) />
                }.into_any()
            } else {
                view! { <input type="hidden" name="reason" value="" /> }.into_any()
            }}
            <button type="submit" class="button button--small" class:button--primary=primary>{t(label)}</button>
        </ActionForm>
    }
}

/// The secretariat's dashboard: applications, scoring progress, conflicts, objections,
/// appeals — each a number with what it counts.
#[component]
fn Overview(o: crate::api::title::SessionOverview) -> impl IntoView {
    let lang = use_lang();
    let (objections, appeals) = (o.open_objections > 0, o.appeals > 0);
    let conflicts = move || {
        lang.get()
            .text(Key::ConflictsOnRecord)
            .replace("{reviewers}", &o.conflicted_reviewers.to_string())
    };
    view! {
        <dl class="session-overview">
            <div><dt>{t(Key::OverviewApplications)}</dt><dd data-count="applications">{o.applications}</dd></div>
            <div>
                <dt>{t(Key::OverviewSheets)}</dt>
                <dd data-count="sheets">{format!("{} / {}", o.sheets_in, o.sheets_expected)}</dd>
            </div>
            <div><dt>{conflicts}</dt><dd data-count="conflicts">{o.conflicts}</dd></div>
            <div class:attention=objections>
                <dt>{t(Key::OverviewObjections)}</dt><dd data-count="objections">{o.open_objections}</dd>
            </div>
            <div class:attention=appeals>
                <dt>{t(Key::OverviewAppeals)}</dt><dd data-count="appeals">{o.appeals}</dd>
            </div>
        </dl>
    }
}
