//! The defense (答辩) wherever it shows: the secretariat's schedule form in the scoring
//! progress, the reviewer's defense score beside their sheet, and the defense's mean beside
//! the panel's on the ballot paper and the meeting's ballots.

use super::when;
use crate::api::AppError;
use crate::api::defense::{
    DefenseProgress, DefenseScoreView, DefenseSheet, ScheduleDefense, SubmitDefenseScore,
};
use crate::domain::review::defense::DefenseResult;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

/// The message for `field` in `error`, below its input (empty when there is none).
#[component]
fn FieldNote(
    id: String,
    field: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="field__error" id=id role="alert">
            {move || error.get().and_then(|e| e.field_key(field)).map(|k| lang.get().text(k))}
        </p>
    }
}

/// The defense's mean, how many scores it rests on, and whether it reaches the pass mark.
#[component]
pub fn DefenseLine(r: DefenseResult) -> impl IntoView {
    let lang = use_lang();
    let label = if r.trimmed {
        Key::DefenseMeanTrimmed
    } else {
        Key::DefenseMean
    };
    let passes = r.passes();
    let mark = r.pass_mark.to_string();
    view! {
        <p class="defense-line" data-defense-mean=r.mean.display() data-passes=passes.to_string()>
            <strong>{t(label)} {t(Key::Colon)} {r.mean.display()}</strong>
            " · " {move || lang.get().text(Key::DefenseScoresCount).replace("{n}", &r.scores.to_string())}
            " · "
            <span class=if passes { "badge badge--ok" } else { "badge badge--warn" }>
                {move || lang.get().text(if passes { Key::DefensePasses } else { Key::DefenseFails }).replace("{m}", &mark)}
            </span>
        </p>
    }
}

/// The session page's defense forms: one action serves every candidate's form, and `last`
/// remembers whose form was sent, so a refusal shows beside that form's fields only. Both
/// live above the page's data, so they outlast the refetch an answer causes.
#[derive(Clone, Copy)]
pub struct ScheduleForms {
    pub action: ServerAction<ScheduleDefense>,
    pub last: RwSignal<i64>,
}

impl ScheduleForms {
    pub fn new() -> Self {
        ScheduleForms {
            action: ServerAction::new(),
            last: RwSignal::new(0),
        }
    }
}

impl Default for ScheduleForms {
    fn default() -> Self {
        Self::new()
    }
}

/// The schedule, and for the secretariat while it can still move, the form that sets it.
#[component]
pub fn ScheduleLine(
    id: i64,
    d: DefenseProgress,
    can_run: bool,
    forms: ScheduleForms,
) -> impl IntoView {
    let lang = use_lang();
    let ScheduleForms {
        action: schedule,
        last,
    } = forms;
    let error = Signal::derive(move || {
        (last.get() == id)
            .then(|| schedule.value().get().and_then(Result::err))
            .flatten()
    });
    let invalid = move |field: &'static str| {
        move || error.get().and_then(|e| e.field_key(field)).map(|_| "true")
    };
    let latest = d.latest.to_string();
    let field = |name: &str| format!("defense-{name}-{id}");
    let (at_id, place_id) = (field("at"), field("place"));
    let current = d
        .schedule
        .as_ref()
        .map(|s| s.starts_at.format("%Y-%m-%dT%H:%M").to_string());
    let place = d.schedule.as_ref().map(|s| s.place.clone());
    let button = if d.schedule.is_some() {
        Key::DefenseReschedule
    } else {
        Key::DefenseSchedule
    };
    view! {
        <dl class="facts">
            <div>
                <dt>{t(Key::DefenseWhen)}</dt>
                <dd data-defense-at=d.schedule.as_ref().map(|s| s.line()).unwrap_or_default()>
                    {match d.schedule.as_ref() {
                        Some(s) => s.line().into_any(),
                        None => view! { <span class="badge badge--warn">{t(Key::DefenseNotScheduled)}</span> }.into_any(),
                    }}
                </dd>
            </div>
        </dl>
        {(can_run && d.movable).then(|| view! {
            <ActionForm action=schedule attr:class="inline-form defense-form" on:submit=move |_| last.set(id)>
                <input type="hidden" name="id" value=id.to_string() />
                <span class="defense-form__field">
                    <label for=at_id.clone()>{t(Key::DefenseStartsAt)}</label>
                    <input id=at_id.clone() type="datetime-local" name="starts_at" required=true value=current
                        aria-invalid=invalid("starts_at") aria-describedby=format!("{at_id}-error") />
                </span>
                <span class="defense-form__field">
                    <label for=place_id.clone()>{t(Key::DefensePlace)}</label>
                    <input id=place_id.clone() type="text" name="place" required=true maxlength="200" value=place
                        aria-invalid=invalid("place") aria-describedby=format!("{place_id}-error") />
                </span>
                <button type="submit" class="button button--small">{t(button)}</button>
                <span class="field__hint">{move || lang.get().text(Key::DefenseLatest).replace("{date}", &latest)}</span>
                <FieldNote id=format!("{at_id}-error") field="starts_at" error />
                <FieldNote id=format!("{place_id}-error") field="place" error />
            </ActionForm>
        })}
        {d.result.map(|r| view! { <DefenseLine r /> })}
    }
}

/// The reviewer's defense section on their sheet page.
#[component]
pub fn DefensePanel(
    id: i64,
    d: DefenseSheet,
    submit: ServerAction<SubmitDefenseScore>,
) -> impl IntoView {
    let lang = use_lang();
    let error = Signal::derive(move || submit.value().get().and_then(Result::err));
    let max = d.scale.to_string();
    let mark = d.pass_mark.to_string();
    let waiting = d.own.is_none() && !d.may_score && d.schedule.is_some();
    view! {
        <section class="panel defense">
            <h2>{t(Key::DefenseTitle)}</h2>
            <dl class="facts">
                <div>
                    <dt>{t(Key::DefenseWhen)}</dt>
                    <dd>{match d.schedule.as_ref() {
                        Some(s) => s.line().into_any(),
                        None => t(Key::DefenseNotScheduled).into_any(),
                    }}</dd>
                </div>
                <div>
                    <dt>{t(Key::DefenseScaleLabel)}</dt>
                    <dd>{
                        let max = max.clone();
                        move || lang.get().text(Key::DefenseScaleLine).replace("{max}", &max).replace("{m}", &mark)
                    }</dd>
                </div>
            </dl>
            {waiting.then(|| view! { <p class="muted">{t(Key::DefenseScoreFromDay)}</p> })}
            {d.own.clone().map(|own| view! {
                <h3>{t(Key::YourDefenseScore)}</h3>
                <Scores list=vec![own] own=true />
            })}
            {d.may_score.then(|| view! {
                <ActionForm action=submit attr:class="form-grid defense-score-form">
                    <input type="hidden" name="id" value=id.to_string() />
                    <div class="field">
                        <label for="defense-score">{
                            let max = max.clone();
                            move || lang.get().text(Key::DefenseScoreLabel).replace("{max}", &max)
                        }</label>
                        <input id="defense-score" type="number" name="score" min="0" max=max.clone() step="1" required=true inputmode="numeric"
                            aria-describedby="defense-score-error" />
                        <FieldNote id="defense-score-error".to_string() field="score" error />
                    </div>
                    <div class="field form-grid__wide">
                        <label for="defense-comment">{t(Key::DefenseComment)}</label>
                        <textarea id="defense-comment" name="comment" maxlength="2000" rows="3" aria-describedby="defense-comment-error"></textarea>
                        <FieldNote id="defense-comment-error".to_string() field="comment" error />
                    </div>
                    <div class="form-grid__actions">
                        <button type="submit" class="button button--primary">{t(Key::SubmitDefenseScore)}</button>
                        <span class="field__hint">{t(Key::DefenseScoreHint)}</span>
                    </div>
                </ActionForm>
            })}
            <h3>{t(Key::OtherDefenseScores)}</h3>
            {match d.others.clone() {
                None => view! { <p class="muted">{t(Key::DefenseOthersHidden)}</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="empty">{t(Key::NoDefenseScoresYet)}</p> }.into_any(),
                Some(list) => view! { <Scores list own=false /> }.into_any(),
            }}
            {d.result.map(|r| view! { <DefenseLine r /> })}
        </section>
    }
}

/// Defense scores in a small table: who (one's own, or 专家 n), the score, the remarks, when.
#[component]
fn Scores(list: Vec<DefenseScoreView>, own: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="table-wrap">
            <table class="table defense-scores">
                <thead>
                    <tr>
                        <th scope="col">{t(Key::AssignedReviewers)}</th>
                        <th scope="col" class="num">{t(Key::DefenseScoreCol)}</th>
                        <th scope="col">{t(Key::DefenseComment)}</th>
                        <th scope="col">{t(Key::SubmittedAtCol)}</th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|s| {
                        let label = s.label.to_string();
                        let at = when(s.submitted_at);
                        view! {
                            <tr>
                                <td data-label=t(Key::AssignedReviewers)>{move || if own {
                                    lang.get().text(Key::YourDefenseScore).to_string()
                                } else {
                                    lang.get().text(Key::ReviewerN).replace("{n}", &label)
                                }}</td>
                                <td data-label=t(Key::DefenseScoreCol) class="num" data-defense-score=s.score.to_string()><strong>{s.score}</strong></td>
                                <td data-label=t(Key::DefenseComment)>{s.comment.clone()}</td>
                                <td data-label=t(Key::SubmittedAtCol) class="muted">{at}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
