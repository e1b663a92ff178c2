//! A session's scoring progress, on the session page: for each candidate in (or past) the
//! expert review, who has submitted and who has not (with the last reminder), the panel's
//! mean and what it makes of the case-quality dimension; the secretariat reminds reviewers
//! and ends the expert review.

use super::defense::{ScheduleForms, ScheduleLine};
use super::sheet::{AggregateLine, recommendation_key};
use super::{StateBadge, when};
use crate::api::scoring::{Progress, RunScoring, ScoringView};
use crate::components::form::{FormMessage, action_error};
use crate::domain::review::procedure::State;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

/// The section, from the session page's data (`data`).
#[component]
pub fn Scoring(
    can_run: bool,
    run: ServerAction<RunScoring>,
    forms: ScheduleForms,
    data: Result<ScoringView, crate::api::AppError>,
) -> impl IntoView {
    let error = action_error(run);
    let schedule_error = action_error(forms.action);
    match data {
        Ok(v) if v.applications.is_empty() => ().into_any(),
        Ok(v) => view! {
            <section class="panel scoring">
                <h2>{t(Key::ScoringProgress)}</h2>
                <FormMessage error />
                <FormMessage error=schedule_error />
                <Body v can_run run forms />
            </section>
        }
        .into_any(),
        Err(e) => view! { <crate::pages::errors::ErrorPanel error=e /> }.into_any(),
    }
}

#[component]
fn Body(
    v: ScoringView,
    can_run: bool,
    run: ServerAction<RunScoring>,
    forms: ScheduleForms,
) -> impl IntoView {
    view! {
        <dl class="facts">
            <div><dt>{t(Key::ScoringPeriod)}</dt><dd>{format!("{} – {}", v.scoring_from, v.scoring_to)}</dd></div>
            <div><dt>{t(Key::MinReviewers)}</dt><dd>{v.required}</dd></div>
        </dl>
        {v.closed.then(|| view! { <p class="record-note">{t(Key::ScoringClosedNote)}</p> })}
        <ul class="queue">
            {v.applications.into_iter().map(|p| view! { <Candidate p can_run run forms /> }).collect_view()}
        </ul>
    }
}

#[component]
fn Candidate(
    p: Progress,
    can_run: bool,
    run: ServerAction<RunScoring>,
    forms: ScheduleForms,
) -> impl IntoView {
    let lang = use_lang();
    let id = p.application_id;
    let open = p.state == State::ExpertReview && can_run;
    let with_defense = p.defense.is_some();
    view! {
        <li class="queue__item" data-application=id.to_string()>
            <div class="queue__head">
                <strong>{p.candidate.clone()}</strong>
                <StateBadge state=p.state />
            </div>
            <ul class="progress-list">
                {p.reviewers.into_iter().map(|r| {
                    let reminded = r.reminded_at.map(when);
                    let done = r.submitted_at.is_some();
                    let defense_line = with_defense.then(|| match r.defense_score {
                        Some(score) => view! {
                            " · " <span data-defense-score=score.to_string()>
                                {move || lang.get().text(Key::DefenseScoreShort).replace("{score}", &score.to_string())}
                            </span>
                        }.into_any(),
                        None => view! { " " <span class="badge badge--warn">{t(Key::DefenseNotScored)}</span> }.into_any(),
                    });
                    view! {
                        <li data-reviewer=r.user_id.to_string() data-submitted=done.to_string()>
                            {r.name.clone()} " · "
                            {match (r.total, r.recommendation) {
                                (Some(total), Some(rec)) => {
                                    let key = recommendation_key(rec);
                                    view! {
                                        <span class="badge badge--ok">{t(Key::SubmittedLabel)}</span>
                                        " " {total} " · " {move || lang.get().text(key)}
                                    }.into_any()
                                }
                                _ => view! {
                                    <span class="badge badge--warn">{t(Key::NotSubmitted)}</span>
                                    {reminded.clone().map(|at| view! {
                                        " " <span class="muted">{move || lang.get().text(Key::RemindedShort).replace("{at}", &at)}</span>
                                    })}
                                    {open.then(|| view! {
                                        <ActionForm action=run>
                                            <input type="hidden" name="id" value=id.to_string() />
                                            <input type="hidden" name="step" value="remind" />
                                            <input type="hidden" name="reviewer_id" value=r.user_id.to_string() />
                                            <button type="submit" class="button button--small">{t(Key::Remind)}</button>
                                        </ActionForm>
                                    })}
                                }.into_any(),
                            }}
                            {defense_line}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {p.aggregate.map(|a| view! { <AggregateLine a /> })}
            {p.defense.clone().map(|d| view! { <ScheduleLine id d can_run forms /> })}
            <dl class="facts">
                <div><dt>{t(Key::CaseQualityDossier)}</dt><dd>{p.dossier_case_quality.display()}</dd></div>
                {p.case_quality.map(|q| view! {
                    <div><dt>{t(Key::CaseQualityPanel)}</dt><dd data-case-quality=q.display()>{q.display()}</dd></div>
                })}
                <div><dt>{t(Key::TotalAtSubmission)}</dt><dd>{p.dossier_total.display()}</dd></div>
                {p.total_with_panel.map(|total| view! {
                    <div><dt>{t(Key::TotalWithPanel)}</dt><dd>{total.display()}</dd></div>
                })}
            </dl>
            {open.then(|| view! {
                <div class="queue__actions">
                    <ActionForm action=run attr:class="decision">
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="step" value="complete" />
                        <button type="submit" class="button button--primary button--small">{t(Key::CompleteReview)}</button>
                    </ActionForm>
                </div>
            })}
        </li>
    }
}
