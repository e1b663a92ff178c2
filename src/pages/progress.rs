//! My progress: the score under the ruleset in force and where every point comes from, the
//! level reached, a bar for each requirement of the next level with the gap list in plain
//! words, and hours by module and by year as server-rendered SVG charts.

use super::errors::ErrorPanel;
use super::whatif::WhatIfPanel;
use super::{Guard, PageHeader};
use crate::api::progress::{ModuleBar, ProgressView, YearBar, my_progress};
use crate::components::labels::module_key;
use crate::domain::access::Area;
use crate::domain::explain::{LedgerLine, ProgressLine};
use crate::domain::quantity::Hours;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

#[component]
pub fn ProgressPage() -> impl IntoView {
    view! {
        <Guard area=Area::Progress>
            <Progress />
        </Guard>
    }
}

#[component]
fn Progress() -> impl IntoView {
    let lang = use_lang();
    // The explanation is worded on the server in the reader's language: reload on a switch.
    let data = Resource::new(move || lang.get(), |_| my_progress());
    view! {
        <PageHeader title=Key::ProgressTitle lead=Key::ProgressLead />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(p)) => view! { <Report p /> }.into_any(),
                    Ok(None) => view! { <p class="empty">{t(Key::NoRulesetInForce)}</p> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Report(p: ProgressView) -> impl IntoView {
    let d = p.dashboard;
    let next = d.next.clone();
    view! {
        <div class="score-summary">
            <div class="score-card score-card--total" data-blocked=p.blocked.is_some().to_string()>
                <span class="score-card__label">{t(Key::TotalScore)}</span>
                {match p.blocked.clone() {
                    // A gate blocks the score: no number, the reason.
                    Some(_) => view! {
                        <span class="score-card__value score-card__value--text">{t(Key::NotScored)}</span>
                    }.into_any(),
                    None => view! {
                        <span class="score-card__value">{p.total.display()}</span>
                        <span class="score-card__note">"/ 100"</span>
                    }.into_any(),
                }}
            </div>
            <div class="score-card">
                <span class="score-card__label">{t(Key::LevelReached)}</span>
                <span class="score-card__value score-card__value--text">{d.reached.clone()}</span>
            </div>
            <div class="score-card">
                <span class="score-card__label">{t(Key::NextLevel)}</span>
                <span class="score-card__value score-card__value--text">{next.clone().unwrap_or_else(|| "—".into())}</span>
            </div>
            <div class="score-card">
                <span class="score-card__label">{t(Key::RulesetUsed)}</span>
                <span class="score-card__value score-card__value--small">
                    {format!("{} v{}", p.ruleset_code, p.ruleset_version)}
                </span>
                <span class="score-card__note">
                    {format!("{} – {}", p.window_from, p.window_to)}
                </span>
            </div>
        </div>
        {p.blocked.clone().map(|why| view! { <p class="alert alert--error" role="status">{why}</p> })}
        {p.provisional.then(|| view! { <p class="alert alert--info">{t(Key::ProvisionalScore)}</p> })}
        {(!d.problems.is_empty()).then(|| view! {
            <div class="alert alert--error">
                <p>{t(Key::BrokenRecords)}</p>
                <ul>{d.problems.iter().map(|x| view! { <li>{x.clone()}</li> }).collect_view()}</ul>
            </div>
        })}
        <div class="progress-grid">
            <section class="panel">
                <h2>{t(Key::NextLevelRequirements)} {next.map(|n| format!(" · {n}"))}</h2>
                <ul class="requirements">
                    {d.progress.into_iter().map(|line| view! { <Requirement line /> }).collect_view()}
                </ul>
                {(!d.gaps.is_empty()).then(|| view! {
                    <h3>{t(Key::GapList)}</h3>
                    <ul class="gaps">{d.gaps.iter().map(|g| view! { <li>{g.clone()}</li> }).collect_view()}</ul>
                })}
                {(!d.hints.is_empty()).then(|| view! {
                    <ul class="hints">{d.hints.iter().map(|h| view! { <li>{h.clone()}</li> }).collect_view()}</ul>
                })}
            </section>
            <section class="panel">
                <h2>{t(Key::Dimensions)}</h2>
                <ul class="dims">
                    {d.dimensions.into_iter().map(|x| view! {
                        <li>
                            <div class="dims__head">
                                <span>{x.name.clone()}</span>
                                <span class="dims__calc">
                                    {format!("{} × {}% = ", x.subscore.display(), x.weight)}
                                    <strong>{x.points.display()}</strong>
                                </span>
                            </div>
                            <Bar pct=(x.subscore.0 / 1000).clamp(0, 100) />
                        </li>
                    }).collect_view()}
                </ul>
                <p class="muted">{t(Key::DimensionsLead)}</p>
            </section>
        </div>
        <WhatIfPanel evidence=p.evidence rules=p.rules as_of=p.as_of />
        <div class="progress-grid">
            <section class="panel">
                <h2>{t(Key::HoursByModule)}</h2>
                <ModuleChart bars=p.modules />
            </section>
            <section class="panel">
                <h2>{t(Key::HoursByYear)}</h2>
                <YearChart bars=p.years />
            </section>
        </div>
        <section class="panel">
            <h2>{t(Key::Ledger)}</h2>
            <p class="muted">{t(Key::LedgerLead)}</p>
            {d.ledger.into_iter().map(|l| view! { <Entry l /> }).collect_view()}
        </section>
    }
}

#[component]
fn Requirement(line: ProgressLine) -> impl IntoView {
    let pct = line.permille.map(|p| p / 10);
    view! {
        <li class="requirement" class:requirement--met=line.met>
            <span class="requirement__mark" aria-hidden="true">{if line.met { "✓" } else { "○" }}</span>
            <span class="requirement__text">{line.text}</span>
            {pct.map(|pct| view! { <Bar pct /> })}
        </li>
    }
}

/// A horizontal bar filled to `pct` percent. Drawn as SVG: the content security policy
/// allows no inline styles, and attributes are not styles.
#[component]
fn Bar(pct: i64) -> impl IntoView {
    let pct = pct.clamp(0, 100);
    view! {
        <svg class="bar" viewBox="0 0 100 8" preserveAspectRatio="none" role="progressbar"
            aria-valuemin="0" aria-valuemax="100" aria-valuenow=pct>
            <rect class="bar__track" width="100" height="8" />
            <rect class="bar__fill" width=pct height="8" />
        </svg>
    }
}

/// One sub-indicator: its points, the rule, and every record it looked at.
#[component]
fn Entry(l: LedgerLine) -> impl IntoView {
    let open = l.points.0 > 0;
    view! {
        <details class="ledger" open=open>
            <summary>
                <code>{l.code.clone()}</code> " " <strong>{l.name.clone()}</strong>
                <span class="muted">" · " {l.dimension.clone()}</span>
                <span class="ledger__points">{format!("{} × {}% × {}% = {}", l.raw.display(), l.share, l.weight, l.points.display())}</span>
            </summary>
            <p class="ledger__rule">{l.rule.clone()}</p>
            {if l.items.is_empty() {
                view! { <p class="muted">{t(Key::NoRecordsConsidered)}</p> }.into_any()
            } else {
                view! {
                    <ul class="ledger__items">
                        {l.items.into_iter().map(|i| view! {
                            <li class:is-excluded=!i.counted>
                                <code>{i.record}</code> " " {i.label} " — " {i.effect}
                                {i.notes.into_iter().map(|n| view! { <span class="muted">" (" {n} ")"</span> }).collect_view()}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </details>
    }
}

const CHART_W: i64 = 480;
const ROW_H: i64 = 34;
const LABEL_W: i64 = 140;

/// Horizontal bars: hours done per module against the next level's requirement (a tick).
#[component]
fn ModuleChart(bars: Vec<ModuleBar>) -> impl IntoView {
    let lang = use_lang();
    let max = bars
        .iter()
        .map(|b| b.done.0.max(b.required.map_or(0, |r| r.0)))
        .max()
        .unwrap_or(0)
        .max(100);
    let scale = move |h: Hours| h.0 * (CHART_W - LABEL_W - 60) / max;
    let height = ROW_H * bars.len() as i64 + 8;
    view! {
        <svg class="chart" viewBox=format!("0 0 {CHART_W} {height}") role="img" aria-label=t(Key::HoursByModule)>
            {bars.into_iter().enumerate().map(|(i, b)| {
                let y = 4 + ROW_H * i as i64;
                let w = scale(b.done);
                let tick = b.required.map(|r| LABEL_W + scale(r));
                let text = match b.required {
                    Some(r) => format!("{} / {}", b.done, r),
                    None => b.done.to_string(),
                };
                view! {
                    <text x="0" y=y + 20 class="chart__label">{move || lang.get().text(module_key(b.module))}</text>
                    <rect x=LABEL_W y=y + 6 width=CHART_W - LABEL_W - 60 height="18" class="chart__track" rx="3" />
                    <rect x=LABEL_W y=y + 6 width=w height="18" class="chart__bar" rx="3" />
                    {tick.map(|x| view! { <line x1=x x2=x y1=y + 2 y2=y + 28 class="chart__tick" /> })}
                    <text x=CHART_W - 2 y=y + 20 class="chart__value" text-anchor="end">{text}</text>
                }
            }).collect_view()}
        </svg>
    }
}

/// Vertical stacked bars per year: training hours and continuing education.
#[component]
fn YearChart(bars: Vec<YearBar>) -> impl IntoView {
    if bars.is_empty() {
        return view! { <p class="empty">{t(Key::NothingYet)}</p> }.into_any();
    }
    let max = bars
        .iter()
        .map(|b| b.training.0 + b.ce.0)
        .max()
        .unwrap_or(0)
        .max(100);
    let (top, base) = (20_i64, 170_i64);
    let h = move |x: Hours| x.0 * (base - top) / max;
    let slot = CHART_W / bars.len().max(4) as i64;
    view! {
        <svg class="chart" viewBox=format!("0 0 {CHART_W} 200") role="img" aria-label=t(Key::HoursByYear)>
            <line x1="0" x2=CHART_W y1=base y2=base class="chart__axis" />
            {bars.into_iter().enumerate().map(|(i, b)| {
                let x = slot * i as i64 + slot / 4;
                let w = slot / 2;
                let (ht, hc) = (h(b.training), h(b.ce));
                view! {
                    <rect x=x y=base - ht width=w height=ht class="chart__bar" />
                    <rect x=x y=base - ht - hc width=w height=hc class="chart__bar chart__bar--alt" />
                    <text x=x + w / 2 y=base - ht - hc - 4 text-anchor="middle" class="chart__value">{(b.training + b.ce).to_string()}</text>
                    <text x=x + w / 2 y=base + 18 text-anchor="middle" class="chart__label">{b.year}</text>
                }
            }).collect_view()}
        </svg>
        <p class="chart__legend">
            <span class="swatch"></span> {t(Key::KindTraining)}
            <span class="swatch swatch--alt"></span> {t(Key::KindCe)}
        </p>
    }
    .into_any()
}
