//! The result of previewing a ruleset version on the stored population: how many would move up
//! or down a level, who, and the comparison in words.

use super::errors::ErrorPanel;
use crate::api::rulesets::{ImpactView, RulesetImpact};
use crate::i18n::{Key, t};
use leptos::prelude::*;

#[component]
pub fn ImpactResult(action: ServerAction<RulesetImpact>) -> impl IntoView {
    move || {
        if action.pending().get() {
            return Some(view! { <p class="loading">{t(Key::Loading)}</p> }.into_any());
        }
        action.value().get().map(|r| match r {
            Ok(v) => view! { <Impact v /> }.into_any(),
            Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
        })
    }
}

#[component]
fn Impact(v: ImpactView) -> impl IntoView {
    view! {
        <section class="panel impact" aria-live="polite">
            <h2>{t(Key::ImpactTitle)} " " <code>{format!("{} v{}", v.code, v.version)}</code></h2>
            <div class="score-summary">
                <div class="score-card">
                    <span class="score-card__label">{t(Key::ImpactPeople)}</span>
                    <span class="score-card__value">{v.people}</span>
                </div>
                <div class="score-card">
                    <span class="score-card__label">{t(Key::ImpactUp)}</span>
                    <span class="score-card__value">{v.up}</span>
                </div>
                <div class="score-card">
                    <span class="score-card__label">{t(Key::ImpactDown)}</span>
                    <span class="score-card__value">{v.down}</span>
                </div>
                <div class="score-card">
                    <span class="score-card__label">{t(Key::ImpactSame)}</span>
                    <span class="score-card__value">{v.same}</span>
                </div>
            </div>
            {(!v.movers.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="table table--dense">
                        <thead>
                            <tr>
                                <th scope="col">{t(Key::FullName)}</th>
                                <th scope="col">{t(Key::LevelReached)}</th>
                                <th scope="col" class="num">{t(Key::TotalScore)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {v.movers.into_iter().map(|m| view! {
                                <tr>
                                    <td data-label=t(Key::FullName)>{if m.up { "↑ " } else { "↓ " }} {m.name}</td>
                                    <td data-label=t(Key::LevelReached)>{format!("{} → {}", m.from_level, m.to_level)}</td>
                                    <td data-label=t(Key::TotalScore) class="num">{format!("{} → {}", m.from_total.display(), m.to_total.display())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            <details class="ruleset-details">
                <summary>{t(Key::ImpactDetails)}</summary>
                <pre class="ruleset-summary">{v.text}</pre>
            </details>
        </section>
    }
}
