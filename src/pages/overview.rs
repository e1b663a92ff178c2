//! The base overview: pick a cohort; see how many reached its level, the level distribution,
//! and every trainee with their score and what they still miss; export the list.

use super::errors::ErrorPanel;
use super::{Guard, PageHeader};
use crate::api::overview::{OverviewView, base_overview};
use crate::domain::access::Area;
use crate::domain::explain;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <Guard area=Area::Overview>
            <Overview />
        </Guard>
    }
}

#[component]
fn Overview() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.read().get(k).unwrap_or_default();
    let data = Resource::new(
        move || {
            (
                param("cohort"),
                param("sort"),
                param("page").parse::<usize>().unwrap_or(1),
            )
        },
        |(cohort, sort, page)| base_overview(cohort, sort, page),
    );
    view! {
        <PageHeader title=Key::OverviewTitle lead=Key::OverviewLead />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Cohort v sort=param("sort") /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Cohort(v: OverviewView, sort: String) -> impl IntoView {
    let lang = use_lang();
    let Some(cohort) = v.cohort.clone() else {
        return view! { <p class="empty">{t(Key::NoCohortsYet)}</p> }.into_any();
    };
    let code = cohort.code.clone();
    let link = {
        let (code, sort) = (code.clone(), sort.clone());
        move |page: usize| format!("?cohort={code}&sort={sort}&page={page}")
    };
    let level = cohort.level;
    view! {
        <form method="get" class="filters panel" role="search">
            <div class="field">
                <label for="q-cohort">{t(Key::Cohort)}</label>
                <select id="q-cohort" name="cohort">
                    {v.cohorts.iter().map(|k| {
                        let selected = k.code == code;
                        view! { <option value=k.code.clone() selected=selected>{format!("{} {}", k.code, k.name)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="q-sort">{t(Key::SortBy)}</label>
                <select id="q-sort" name="sort">
                    <option value="">{t(Key::SortByName)}</option>
                    <option value="score" selected=sort == "score">{t(Key::SortByScore)}</option>
                </select>
            </div>
            <button type="submit" class="button">{t(Key::Filter)}</button>
            <span class="filters__end">
                <a class="button" href=format!("/files/export/{code}/xlsx") rel="external">{t(Key::ExportXlsx)}</a>
                " "
                <a class="button" href=format!("/files/export/{code}/csv") rel="external">{t(Key::ExportCsv)}</a>
            </span>
        </form>
        <ul class="export-links">
            {[(Key::ExportRoster, "roster"), (Key::ExportHours, "hours"), (Key::ExportScores, "scores")].into_iter().map(|(key, kind)| {
                let code = code.clone();
                view! {
                    <li>
                        {t(key)} ": "
                        <a href=format!("/files/export/{code}/{kind}.xlsx") rel="external" aria-label=move || format!("{} Excel", lang.get().text(key))>"Excel"</a>
                        " · "
                        <a href=format!("/files/export/{code}/{kind}.csv") rel="external" aria-label=move || format!("{} CSV", lang.get().text(key))>"CSV"</a>
                    </li>
                }
            }).collect_view()}
            {v.can_unmask.then(|| view! {
                <li>
                    <a href=format!("/files/export/{code}/roster.xlsx?full=1") rel="external">{t(Key::ExportRosterFull)}</a>
                </li>
            })}
        </ul>
        <div class="score-summary">
            <div class="score-card">
                <span class="score-card__label">{t(Key::Members)}</span>
                <span class="score-card__value">{v.total}</span>
            </div>
            <div class="score-card score-card--total">
                <span class="score-card__label">{t(Key::Completed)}</span>
                <span class="score-card__value">{v.completed}</span>
                <span class="score-card__note">{move || explain::level(Some(level), lang.get()).to_string()}</span>
            </div>
            <div class="score-card score-card--wide">
                <span class="score-card__label">{t(Key::Distribution)}</span>
                <ul class="distribution">
                    {v.distribution.iter().map(|(l, n)| {
                        let l = *l;
                        view! { <li>{move || explain::level(l, lang.get()).to_string()} <strong>{*n}</strong></li> }
                    }).collect_view()}
                </ul>
            </div>
        </div>
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{t(Key::FullName)}</th>
                        <th scope="col">{t(Key::IdNumber)}</th>
                        <th scope="col">{t(Key::Unit)}</th>
                        <th scope="col" class="num">{t(Key::TotalScore)}</th>
                        <th scope="col">{t(Key::LevelReached)}</th>
                        <th scope="col">{t(Key::GapList)}</th>
                    </tr>
                </thead>
                <tbody>
                    {v.lines.into_iter().map(|l| {
                        let reached = l.reached;
                        let scored = l.total.is_some() || l.blocked.is_some();
                        let gaps = l.gaps.clone();
                        view! {
                            <tr>
                                <td data-label=t(Key::FullName)>{l.name.clone()}</td>
                                <td data-label=t(Key::IdNumber) class="mono nowrap">{l.id_number.clone()}</td>
                                <td data-label=t(Key::Unit)>{l.unit.clone()}</td>
                                <td data-label=t(Key::TotalScore) class="num" title=l.blocked.clone()>
                                    {match (l.total, l.blocked.is_some()) {
                                        (Some(t), _) => t.display().into_any(),
                                        (None, true) => view! { <span class="badge badge--danger">{t(Key::NotScored)}</span> }.into_any(),
                                        (None, false) => "—".into_any(),
                                    }}
                                </td>
                                <td data-label=t(Key::LevelReached)>
                                    {move || if scored { explain::level(reached, lang.get()).to_string() } else { lang.get().text(Key::NotScoredYet).to_string() }}
                                </td>
                                <td data-label=t(Key::GapList)>
                                    {(!gaps.is_empty()).then(|| view! {
                                        <details class="gap-details">
                                            <summary>{move || lang.get().text(Key::GapCount).replace("{n}", &gaps.len().to_string())}</summary>
                                            <ul>{l.gaps.iter().map(|g| view! { <li>{g.clone()}</li> }).collect_view()}</ul>
                                        </details>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <crate::components::pager::Pager page=v.page pages=v.pages total=v.total href=link />
    }
    .into_any()
}
