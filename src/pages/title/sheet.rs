//! A reviewer's score sheet for one candidate (评分表): the case-quality rubric of the
//! session, an overall recommendation and comments, submitted once. The other reviewers'
//! sheets (without names) and the panel's mean appear once the reviewer's own is in, or once
//! scoring has closed.

use super::{StateBadge, when};
use crate::api::defense::SubmitDefenseScore;
use crate::api::scoring::{ScoreSheetView, SheetView, SubmitScore, score_sheet};
use crate::components::form::{FormMessage, action_error};
use crate::components::labels::criterion_key;
use crate::domain::access::Area;
use crate::domain::review::scoring::{Aggregate, Recommendation};
use crate::i18n::{Key, Lang, t, use_lang};
use crate::pages::errors::ErrorPanel;
use crate::pages::{Guard, PageHeader};
use leptos::prelude::*;

#[component]
pub fn ScoreSheetPage() -> impl IntoView {
    view! {
        <Guard area=Area::Expert>
            <Sheet />
        </Guard>
    }
}

pub fn recommendation_key(r: Recommendation) -> Key {
    match r {
        Recommendation::Support => Key::RecSupport,
        Recommendation::Neutral => Key::RecNeutral,
        Recommendation::Oppose => Key::RecOppose,
    }
}

fn criterion_label(code: &str, lang: Lang) -> String {
    criterion_key(code).map_or_else(|| code.to_string(), |k| lang.text(k).to_string())
}

#[component]
fn Sheet() -> impl IntoView {
    let id = crate::pages::route_id("id");
    let submit = ServerAction::<SubmitScore>::new();
    let defense = ServerAction::<SubmitDefenseScore>::new();
    let data = Resource::new(
        move || (id(), submit.version().get(), defense.version().get()),
        |(id, _, _)| score_sheet(id),
    );
    let error = action_error(submit);
    let defense_error = action_error(defense);
    view! {
        <PageHeader title=Key::ScoreSheet times=true lead=Key::ScoreSheetLead />
        <p><a href="/expert">{t(Key::ExpertTitle)}</a></p>
        <FormMessage error />
        <FormMessage error=defense_error />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Body v submit defense /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Body(
    v: ScoreSheetView,
    submit: ServerAction<SubmitScore>,
    defense: ServerAction<SubmitDefenseScore>,
) -> impl IntoView {
    let lang = use_lang();
    let id = v.application_id;
    // A reminder stands while the sheet, or the defense score, is still to come.
    let owes = v.own.is_none() || v.defense.as_ref().is_some_and(|d| d.own.is_none());
    view! {
        <section class="panel">
            <div class="queue__head">
                <strong>{v.candidate.clone()}</strong>
                <span class="muted">" · " {v.session_code.clone()}</span>
                <StateBadge state=v.state />
                <a class="button button--small" href=format!("/title/applications/{id}")>{t(Key::ViewDossier)}</a>
            </div>
            <dl class="facts">
                <div><dt>{t(Key::ScoringPeriod)}</dt><dd>{format!("{} – {}", v.scoring_from, v.scoring_to)}</dd></div>
            </dl>
            {v.closed.then(|| view! { <p class="record-note">{t(Key::ScoringClosedNote)}</p> })}
            {v.reminded_at.filter(|_| owes).map(|at| {
                let at = when(at);
                view! { <p class="notice notice--warn" role="status">{move || lang.get().text(Key::RemindedAt).replace("{at}", &at)}</p> }
            })}
        </section>
        {match (&v.own, v.may_score) {
            (Some(own), _) => view! {
                <section class="panel">
                    <h2>{t(Key::YourSheet)}</h2>
                    <Sheets sheets=vec![own.clone()] rubric=v.rubric.clone() own=true />
                </section>
            }.into_any(),
            (None, true) => view! { <Form id rubric=v.rubric.clone() submit /> }.into_any(),
            (None, false) => ().into_any(),
        }}
        <section class="panel">
            <h2>{t(Key::OtherSheets)}</h2>
            {match v.others.clone() {
                None => view! { <p class="muted">{t(Key::OthersHidden)}</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="empty">{t(Key::NoSheetsYet)}</p> }.into_any(),
                Some(list) => view! { <Sheets sheets=list rubric=v.rubric.clone() own=false /> }.into_any(),
            }}
            {v.aggregate.map(|a| view! { <AggregateLine a /> })}
        </section>
        {v.defense.clone().map(|d| view! { <super::defense::DefensePanel id d submit=defense /> })}
    }
}

#[component]
fn Form(id: i64, rubric: Vec<(String, u32)>, submit: ServerAction<SubmitScore>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel">
            <h2>{t(Key::ScoreSheet)}</h2>
            <ActionForm action=submit attr:class="rubric score-form">
                <input type="hidden" name="id" value=id.to_string() />
                {rubric.into_iter().map(|(criterion, max)| {
                    let name = format!("points[{criterion}]");
                    let field = format!("s-{criterion}");
                    let code = criterion.clone();
                    view! {
                        <div class="field">
                            <label for=field.clone()>{move || format!("{} (0–{max})", criterion_label(&code, lang.get()))}</label>
                            <input id=field type="number" name=name min="0" max=max.to_string() step="1" required=true inputmode="numeric" />
                        </div>
                    }
                }).collect_view()}
                <fieldset class="field field--wide choice">
                    <legend>{t(Key::RecommendationLabel)}</legend>
                    {Recommendation::ALL.into_iter().map(|r| {
                        let key = recommendation_key(r);
                        view! {
                            <label class="choice__option">
                                <input type="radio" name="recommendation" value=r.code() required=true />
                                " " {move || lang.get().text(key)}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field field--wide">
                    <label for="s-comment">{t(Key::ScoreComment)}</label>
                    <textarea id="s-comment" name="comment" maxlength="2000" rows="4"></textarea>
                </div>
                <div class="field field--wide">
                    <button type="submit" class="button button--primary">{t(Key::SubmitScore)}</button>
                    <span class="field__hint">{t(Key::SubmitScoreHint)}</span>
                </div>
            </ActionForm>
        </section>
    }
}

/// Sheets side by side: one column per sheet, one row per criterion.
#[component]
fn Sheets(sheets: Vec<SheetView>, rubric: Vec<(String, u32)>, own: bool) -> impl IntoView {
    let lang = use_lang();
    let heads = sheets.clone();
    let totals = sheets.clone();
    let recs = sheets.clone();
    let comments = sheets.clone();
    view! {
        <div class="table-wrap">
            <table class="table sheets">
                <thead>
                    <tr>
                        <th scope="col">{t(Key::CriterionLabel)}</th>
                        {heads.into_iter().map(|s| {
                            let label = s.label.to_string();
                            view! {
                                <th scope="col" class="num">
                                    {move || if own { lang.get().text(Key::YourSheet).to_string() } else { lang.get().text(Key::ReviewerN).replace("{n}", &label) }}
                                </th>
                            }
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rubric.into_iter().enumerate().map(|(i, (code, max))| {
                        let values = sheets.iter().map(|s| s.points.get(i).map_or(0, |p| p.1)).collect::<Vec<_>>();
                        view! {
                            <tr>
                                <th scope="row">{move || format!("{} (0–{max})", criterion_label(&code, lang.get()))}</th>
                                {values.into_iter().map(|p| view! { <td class="num">{p}</td> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                    <tr class="sheets__total">
                        <th scope="row">{t(Key::SheetTotal)}</th>
                        {totals.into_iter().map(|s| view! { <td class="num" data-total=s.total.to_string()><strong>{s.total}</strong></td> }).collect_view()}
                    </tr>
                    <tr>
                        <th scope="row">{t(Key::RecommendationLabel)}</th>
                        {recs.into_iter().map(|s| {
                            let key = recommendation_key(s.recommendation);
                            view! { <td class="num">{move || lang.get().text(key)}</td> }
                        }).collect_view()}
                    </tr>
                </tbody>
            </table>
        </div>
        {comments.into_iter().filter(|s| !s.comment.is_empty()).map(|s| {
            let label = s.label.to_string();
            view! {
                <p class="record-note">
                    {move || if own { lang.get().text(Key::ScoreComment).to_string() } else { lang.get().text(Key::ReviewerN).replace("{n}", &label) }}
                    {t(Key::Colon)} {s.comment.clone()}
                </p>
            }
        }).collect_view()}
    }
}

/// The panel's mean and recommendations in one line.
#[component]
pub fn AggregateLine(a: Aggregate) -> impl IntoView {
    let lang = use_lang();
    let label = if a.trimmed {
        Key::PanelMeanTrimmed
    } else {
        Key::PanelMean
    };
    view! {
        <p class="aggregate" data-mean=a.mean.display()>
            <strong>{t(label)} {t(Key::Colon)} {a.mean.display()}</strong>
            " · " {move || lang.get().text(Key::SheetsCount).replace("{n}", &a.sheets.to_string())}
            " · " {move || lang.get().text(Key::RecCounts)
                .replace("{s}", &a.support.to_string())
                .replace("{n}", &a.neutral.to_string())
                .replace("{o}", &a.oppose.to_string())}
        </p>
    }
}
