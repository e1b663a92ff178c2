//! What if: the trainee adds hypothetical records (training hours, continuing education, a
//! deal, an outcome event, a contribution) and sees the projected score, level and gaps at once. The rules engine runs in the
//! browser (it is the same domain code, compiled to wasm); nothing is sent or stored.

use crate::components::labels::{MANAGER_ROLES, module_key};
use crate::domain::evidence::{
    CeActivity, CeCategory, ContractType, Contribution, ContributionKind, Deal, ManagerRole, Mode,
    Outcome, OutcomeKind, PersonEvidence, TrainingRecord, Verification,
};
use crate::domain::explain;
use crate::domain::quantity::{Hours, Money};
use crate::domain::rules::{Module, RuleSet};
use crate::domain::whatif::what_if;
use crate::i18n::{Key, t, use_lang};
use chrono::NaiveDate;
use leptos::prelude::*;
use std::sync::Arc;

/// One hypothetical record, as simple as a trainee thinks of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hypothesis {
    Training {
        module: Module,
        hours: Hours,
    },
    Ce {
        professional: bool,
        hours: Hours,
    },
    Deal {
        amount: Money,
        role: ManagerRole,
        share: i64,
    },
    Outcome {
        event: OutcomeKind,
    },
    Contribution {
        item: ContributionKind,
    },
}

/// The hypotheses as verified evidence dated `as_of` (so each counts, if anything does).
pub fn as_evidence(items: &[Hypothesis], as_of: NaiveDate) -> PersonEvidence {
    let mut ev = PersonEvidence::default();
    for (i, h) in items.iter().enumerate() {
        let id = format!("W{}", i + 1);
        match h.clone() {
            Hypothesis::Training { module, hours } => ev.training.push(TrainingRecord {
                id,
                module,
                mode: Mode::Onsite,
                hours,
                date: as_of,
                provider: String::new(),
                cohort: None,
                verification: Verification::BaseVerified,
            }),
            Hypothesis::Ce {
                professional,
                hours,
            } => ev.continuing_education.push(CeActivity {
                id,
                category: if professional {
                    CeCategory::Professional
                } else {
                    CeCategory::Public
                },
                mode: Mode::Online,
                hours,
                date: as_of,
                provider: String::new(),
                verification: Verification::BaseVerified,
            }),
            Hypothesis::Deal {
                amount,
                role,
                share,
            } => ev.deals.push(Deal {
                registration_no: Some(format!("what-if-{}", i + 1)),
                contract_name: String::new(),
                contract_type: ContractType::Transfer,
                registration_date: Some(as_of),
                sign_date: as_of,
                contract_amount: amount,
                tech_transaction_amount: Some(amount),
                amount_received: Some(amount),
                role,
                share,
                claimed_shares_total: share,
                dispute: false,
                documents: vec!["contract".into()],
                verification: Verification::BaseVerified,
                id,
            }),
            Hypothesis::Outcome { event } => ev.outcomes.push(Outcome {
                id,
                kind: event,
                date: as_of,
                verification: Verification::BaseVerified,
            }),
            Hypothesis::Contribution { item } => ev.contributions.push(Contribution {
                id,
                kind: item,
                date: as_of,
                verification: Verification::BaseVerified,
            }),
        }
    }
    ev
}

const EVENTS: [(&str, OutcomeKind); 4] = [
    ("company_formed", OutcomeKind::CompanyFormed),
    ("product", OutcomeKind::Product),
    ("financing", OutcomeKind::Financing),
    ("license_income", OutcomeKind::LicenseIncome),
];

const ITEMS: [(&str, ContributionKind); 5] = [
    ("report_adopted", ContributionKind::ReportAdopted),
    ("standard_drafter", ContributionKind::StandardDrafter),
    ("paper", ContributionKind::Paper),
    ("mentoring", ContributionKind::Mentoring),
    ("award", ContributionKind::Award),
];

#[component]
pub fn WhatIfPanel(evidence: PersonEvidence, rules: RuleSet, as_of: NaiveDate) -> impl IntoView {
    let lang = use_lang();
    let base = Arc::new((evidence, rules));
    let items = RwSignal::new(Vec::<Hypothesis>::new());
    let kind = RwSignal::new("training".to_string());
    let module = RwSignal::new(Module::PracticeSkills.code().to_string());
    let amount = RwSignal::new(String::new());
    let role = RwSignal::new("lead".to_string());
    let share = RwSignal::new("100".to_string());
    let professional = RwSignal::new(true);
    let bad_input = RwSignal::new(false);
    let event = RwSignal::new("company_formed".to_string());
    let item = RwSignal::new("award".to_string());
    let projected = Memo::new({
        let base = base.clone();
        move |_| {
            let added = as_evidence(&items.get(), as_of);
            what_if(&base.0, &added, &base.1, as_of)
        }
    });
    let add = move |_| {
        let parsed = match kind.get_untracked().as_str() {
            "outcome" => EVENTS
                .iter()
                .find(|(c, _)| *c == event.get_untracked())
                .map(|(_, e)| Hypothesis::Outcome { event: *e }),
            "contribution" => ITEMS
                .iter()
                .find(|(c, _)| *c == item.get_untracked())
                .map(|(_, k)| Hypothesis::Contribution { item: k.clone() }),
            "deal" => {
                let money = Money::parse_wan(&amount.get_untracked())
                    .ok()
                    .filter(|m| m.0 > 0);
                let pct = crate::domain::quantity::parse_decimal(share.get_untracked().trim(), 1)
                    .ok()
                    .filter(|s| (1..=1000).contains(s));
                let r = match role.get_untracked().as_str() {
                    "co_lead" => ManagerRole::CoLead,
                    "participant" => ManagerRole::Participant,
                    _ => ManagerRole::Lead,
                };
                money.zip(pct).map(|(amount, share)| Hypothesis::Deal {
                    amount,
                    role: r,
                    share,
                })
            }
            other => {
                let hours = Hours::parse(&amount.get_untracked())
                    .ok()
                    .filter(|h| h.0 > 0 && h.0 <= 100_000);
                hours.map(|hours| match other {
                    "ce" => Hypothesis::Ce {
                        professional: professional.get_untracked(),
                        hours,
                    },
                    _ => Hypothesis::Training {
                        module: Module::parse(&module.get_untracked())
                            .unwrap_or(Module::PracticeSkills),
                        hours,
                    },
                })
            }
        };
        bad_input.set(parsed.is_none());
        if let Some(h) = parsed {
            items.update(|v| v.push(h));
            amount.set(String::new());
        }
    };
    let describe = move |h: &Hypothesis| -> String {
        let l = lang.get();
        match h {
            Hypothesis::Training { module, hours } => {
                format!(
                    "{} {}",
                    l.text(module_key(*module)),
                    explain::hours(*hours, l)
                )
            }
            Hypothesis::Ce {
                professional,
                hours,
            } => format!(
                "{} {}",
                l.text(if *professional {
                    Key::CeProfessional
                } else {
                    Key::CePublic
                }),
                explain::hours(*hours, l)
            ),
            Hypothesis::Outcome { event } => explain::outcome_kind(*event, l).to_string(),
            Hypothesis::Contribution { item } => explain::contribution_kind(item, l),
            Hypothesis::Deal {
                amount,
                role,
                share,
            } => format!(
                "{} {} · {} {}%",
                l.text(Key::KindDeal),
                explain::money(*amount, l),
                explain::role(*role, l),
                crate::domain::records::percent(*share)
            ),
        }
    };
    view! {
        <section class="panel whatif">
            <h2>{t(Key::WhatIfTitle)}</h2>
            <p class="muted">{t(Key::WhatIfLead)}</p>
            <div class="whatif__form">
                <label class="field">
                    <span>{t(Key::RecordKind)}</span>
                    <select on:change=move |ev| kind.set(event_target_value(&ev)) prop:value=move || kind.get()>
                        <option value="training">{t(Key::KindTraining)}</option>
                        <option value="ce">{t(Key::KindCe)}</option>
                        <option value="deal">{t(Key::KindDeal)}</option>
                        <option value="outcome">{t(Key::KindOutcome)}</option>
                        <option value="contribution">{t(Key::KindContribution)}</option>
                    </select>
                </label>
                <Show when=move || kind.get() == "outcome">
                    <label class="field">
                        <span>{t(Key::OutcomeEvent)}</span>
                        <select on:change=move |ev| event.set(event_target_value(&ev))>
                            {EVENTS.into_iter().map(|(code, e)| view! {
                                <option value=code>{move || explain::outcome_kind(e, lang.get())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <Show when=move || kind.get() == "contribution">
                    <label class="field">
                        <span>{t(Key::ContributionItem)}</span>
                        <select on:change=move |ev| item.set(event_target_value(&ev)) prop:value=move || item.get()>
                            {ITEMS.into_iter().map(|(code, k)| view! {
                                <option value=code>{move || explain::contribution_kind(&k, lang.get())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <Show when=move || kind.get() == "training">
                    <label class="field">
                        <span>{t(Key::Module)}</span>
                        <select on:change=move |ev| module.set(event_target_value(&ev)) prop:value=move || module.get()>
                            {Module::ALL.into_iter().map(|m| view! {
                                <option value=m.code()>{move || lang.get().text(module_key(m))}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <Show when=move || kind.get() == "ce">
                    <label class="field">
                        <span>{t(Key::CeCategory)}</span>
                        <select on:change=move |ev| professional.set(event_target_value(&ev) == "professional")>
                            <option value="professional">{t(Key::CeProfessional)}</option>
                            <option value="public">{t(Key::CePublic)}</option>
                        </select>
                    </label>
                </Show>
                <Show when=move || !matches!(kind.get().as_str(), "outcome" | "contribution")>
                    <label class="field">
                        <span>{move || lang.get().text(if kind.get() == "deal" { Key::TechTransactionAmount } else { Key::ClassHours })}</span>
                        <input type="text" inputmode="decimal" prop:value=move || amount.get()
                            on:input=move |ev| amount.set(event_target_value(&ev)) />
                    </label>
                </Show>
                <Show when=move || kind.get() == "deal">
                    <label class="field">
                        <span>{t(Key::MyRole)}</span>
                        <select on:change=move |ev| role.set(event_target_value(&ev))>
                            {MANAGER_ROLES.into_iter().map(|(code, key)| view! {
                                <option value=code>{move || lang.get().text(key)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span>{t(Key::MyShare)}</span>
                        <input type="text" inputmode="decimal" prop:value=move || share.get()
                            on:input=move |ev| share.set(event_target_value(&ev)) />
                    </label>
                </Show>
                <button type="button" class="button" on:click=add>{t(Key::WhatIfAdd)}</button>
            </div>
            <Show when=move || bad_input.get()>
                <p class="field__error" role="alert">{t(Key::WhatIfBadInput)}</p>
            </Show>
            <ul class="whatif__items">
                {move || items.get().iter().enumerate().map(|(i, h)| view! {
                    <li>
                        {describe(h)}
                        <button type="button" class="button button--small button--ghost"
                            on:click=move |_| items.update(|v| { v.remove(i); })>{t(Key::Remove)}</button>
                    </li>
                }).collect_view()}
            </ul>
            <div class="whatif__result" aria-live="polite">
                {move || {
                    let w = projected.get();
                    let l = lang.get();
                    let delta = w.delta();
                    let sign = if delta >= 0 { "+" } else { "−" };
                    let gaps: Vec<String> = w.after.position.gaps.iter().map(|g| explain::requirement(g, l)).collect();
                    view! {
                        <p class="whatif__score">
                            {t(Key::WhatIfProjected)} " "
                            <strong>{w.after.total.display()}</strong>
                            <span class="muted">{format!(" ({sign}{})", crate::domain::quantity::Points(delta.abs()).display())}</span>
                        </p>
                        <p>
                            {t(Key::LevelReached)} {t(Key::Colon)}
                            <strong class="whatif__level">{explain::level(w.after.position.reached, l).to_string()}</strong>
                        </p>
                        {(!gaps.is_empty()).then(|| view! {
                            <ul class="gaps">{gaps.into_iter().map(|g| view! { <li>{g}</li> }).collect_view()}</ul>
                        })}
                    }
                }}
            </div>
        </section>
    }
}
