//! Properties of the engine over generated evidence and rulesets (proptest).

use super::fixtures::{d, rules};
use chrono::NaiveDate;
use ladder::domain::eligibility::Education;
use ladder::domain::evidence::*;
use ladder::domain::level::Level;
use ladder::domain::profile::{Certificate, IntegrityRecord, Profile};
use ladder::domain::quantity::Points;
use ladder::domain::quantity::{Hours, Money};
use ladder::domain::rules::{Dimension, RuleSet};
use ladder::domain::rules::{Module, Slot};
use ladder::domain::score::*;
use ladder::domain::tiers::{Tier, TierTable};
use proptest::prelude::*;

fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..3200).prop_map(|n| d(2018, 1, 1) + chrono::Duration::days(n))
}

fn verification() -> impl Strategy<Value = Verification> {
    prop_oneof![
        3 => Just(Verification::BaseVerified),
        2 => Just(Verification::RegistryVerified),
        1 => Just(Verification::Unverified),
        1 => Just(Verification::Rejected),
    ]
}

fn module() -> impl Strategy<Value = Module> {
    proptest::sample::select(Module::ALL.to_vec())
}

fn mode() -> impl Strategy<Value = Mode> {
    proptest::sample::select(vec![
        Mode::Onsite,
        Mode::Online,
        Mode::Practicum,
        Mode::Conference,
        Mode::SelfStudy,
    ])
}

fn role() -> impl Strategy<Value = ManagerRole> {
    proptest::sample::select(vec![
        ManagerRole::Lead,
        ManagerRole::CoLead,
        ManagerRole::Participant,
    ])
}

fn training() -> impl Strategy<Value = TrainingRecord> {
    (module(), mode(), 0i64..4000, date(), verification()).prop_map(
        |(module, mode, h, date, verification)| TrainingRecord {
            id: String::new(),
            module,
            mode,
            hours: Hours(h),
            date,
            provider: "p".into(),
            cohort: None,
            verification,
        },
    )
}

fn ce() -> impl Strategy<Value = CeActivity> {
    (any::<bool>(), mode(), 0i64..6000, date(), verification()).prop_map(
        |(prof, mode, h, date, verification)| CeActivity {
            id: String::new(),
            category: if prof {
                CeCategory::Professional
            } else {
                CeCategory::Public
            },
            mode,
            hours: Hours(h),
            date,
            provider: "p".into(),
            verification,
        },
    )
}

fn deal() -> impl Strategy<Value = Deal> {
    (
        (
            any::<bool>(),
            any::<bool>(),
            date(),
            0i64..30_000_000_000,
            0i64..=1000,
            proptest::option::of(0i64..=1200),
        ),
        (
            role(),
            1i64..=1000,
            0i64..2000,
            any::<bool>(),
            any::<bool>(),
            verification(),
        ),
    )
        .prop_map(
            |(
                (registered, dated, sign, amount, tech_milli, received_milli),
                (role, share, extra, dispute, documented, verification),
            )| {
                let reg_date = sign + chrono::Duration::days(20);
                Deal {
                    id: String::new(),
                    contract_name: "c".into(),
                    contract_type: ContractType::License,
                    registration_no: registered.then(|| "R".to_string()),
                    registration_date: (registered && dated).then_some(reg_date),
                    sign_date: sign,
                    contract_amount: Money(amount),
                    tech_transaction_amount: registered
                        .then_some(Money(amount / 1000 * tech_milli)),
                    amount_received: received_milli.map(|m| Money(amount / 1000 * m)),
                    role,
                    share,
                    claimed_shares_total: share + extra,
                    dispute,
                    documents: if documented { vec!["f".into()] } else { vec![] },
                    verification,
                }
            },
        )
}

fn case() -> impl Strategy<Value = Case> {
    let review = (
        0i64..=20,
        0i64..=25,
        0i64..=20,
        0i64..=25,
        0i64..=10,
        any::<bool>(),
    )
        .prop_map(|(a, b, c, d, e, odd)| {
            let mut m: std::collections::BTreeMap<String, i64> = [
                ("complexity", a),
                ("personal_contribution", b),
                ("professional_method", c),
                ("outcome", d),
                ("reflection", e),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
            if odd {
                m.insert("extra".into(), 1);
            }
            m
        });
    (
        proptest::collection::vec(review, 0..7),
        date(),
        verification(),
        role(),
    )
        .prop_map(|(reviews, date, verification, role)| Case {
            id: String::new(),
            title: "t".into(),
            role,
            date,
            reviews,
            verification,
        })
}

fn outcome() -> impl Strategy<Value = Outcome> {
    (date(), verification()).prop_map(|(date, verification)| Outcome {
        id: String::new(),
        kind: OutcomeKind::Financing,
        date,
        verification,
    })
}

fn contribution() -> impl Strategy<Value = Contribution> {
    let kind = prop_oneof![
        Just(ContributionKind::ReportAdopted),
        Just(ContributionKind::StandardDrafter),
        Just(ContributionKind::Paper),
        Just(ContributionKind::Mentoring),
        Just(ContributionKind::Award),
        (0i64..5000).prop_map(|h| ContributionKind::Teaching { hours: Hours(h) }),
    ];
    (kind, date(), verification()).prop_map(|(kind, date, verification)| Contribution {
        id: String::new(),
        kind,
        date,
        verification,
    })
}

fn profile() -> impl Strategy<Value = Profile> {
    (
        proptest::option::of(proptest::sample::select(Education::ALL.to_vec())),
        proptest::option::of(date()),
        proptest::collection::vec(
            (proptest::sample::select(Level::ALL.to_vec()), date()),
            0..3,
        ),
        proptest::option::of(date()),
        proptest::option::of(date()),
    )
        .prop_map(
            |(education, practice_since, certs, title, integrity)| Profile {
                education,
                practice_since,
                certificates: certs
                    .into_iter()
                    .map(|(level, date)| Certificate {
                        level,
                        date,
                        number: None,
                    })
                    .collect(),
                intermediate_title_on: title,
                integrity_records: integrity
                    .map(|date| IntegrityRecord {
                        date,
                        note: "x".into(),
                    })
                    .into_iter()
                    .collect(),
                ..Profile::default()
            },
        )
}

/// Unique ids per list, as a valid evidence file has.
fn number(mut ev: PersonEvidence) -> PersonEvidence {
    for (i, r) in ev.training.iter_mut().enumerate() {
        r.id = format!("t{i}");
    }
    for (i, r) in ev.continuing_education.iter_mut().enumerate() {
        r.id = format!("e{i}");
    }
    for (i, r) in ev.deals.iter_mut().enumerate() {
        r.id = format!("d{i}");
    }
    for (i, r) in ev.cases.iter_mut().enumerate() {
        r.id = format!("c{i}");
    }
    for (i, r) in ev.outcomes.iter_mut().enumerate() {
        r.id = format!("o{i}");
    }
    for (i, r) in ev.contributions.iter_mut().enumerate() {
        r.id = format!("k{i}");
    }
    ev
}

fn evidence() -> impl Strategy<Value = PersonEvidence> {
    use proptest::collection::vec;
    (
        profile(),
        vec(training(), 0..8),
        vec(ce(), 0..6),
        vec(deal(), 0..6),
        vec(case(), 0..3),
        vec(outcome(), 0..6),
        vec(contribution(), 0..6),
    )
        .prop_map(
            |(profile, training, continuing_education, deals, cases, outcomes, contributions)| {
                number(PersonEvidence {
                    profile,
                    training,
                    continuing_education,
                    deals,
                    cases,
                    outcomes,
                    contributions,
                })
            },
        )
}

fn as_of() -> impl Strategy<Value = NaiveDate> {
    (0i64..1200).prop_map(|n| d(2024, 1, 1) + chrono::Duration::days(n))
}

/// Valid rulesets unlike the default: other weights, tiers, caps, slots and gates.
fn ruleset() -> impl Strategy<Value = RuleSet> {
    let split = |n: usize| {
        proptest::collection::vec(0i64..=100, n)
            .prop_filter("non-zero", |v| v.iter().sum::<i64>() > 0)
            .prop_map(|v| {
                let sum: i64 = v.iter().sum();
                let mut parts: Vec<i64> = v.iter().map(|x| x * 100 / sum).collect();
                let rest = 100 - parts.iter().sum::<i64>();
                parts[0] += rest;
                parts
            })
    };
    let tiers = |scale: i64| {
        proptest::collection::vec((1i64..50, 0i64..=30), 1..6).prop_map(move |steps| {
            let (mut bound, mut points) = (0i64, 0i64);
            steps
                .into_iter()
                .map(|(db, dp)| {
                    bound += db * scale;
                    points = (points + dp).min(100);
                    (bound, points)
                })
                .collect::<Vec<_>>()
        })
    };
    let hours_slot = prop_oneof![
        Just(Slot::NotConfigured),
        (0i64..20000).prop_map(|h| Slot::Set(Hours(h))),
        (0i64..20000).prop_map(|h| Slot::Placeholder(Hours(h))),
    ];
    (
        (split(5), split(2), split(2), split(2)),
        (
            tiers(500),
            tiers(5_000_000),
            (1i64..=1000, 1i64..=1000, 1i64..=1000),
        ),
        (
            0i64..=100,
            0i64..=100,
            1u32..5,
            0u32..4,
            1u32..30,
            proptest::option::of(0i64..=100),
        ),
        (
            hours_slot.clone(),
            hours_slot,
            any::<bool>(),
            any::<bool>(),
            1i64..20000,
        ),
    )
        .prop_map(
            |(
                (w, d1, d2, d3),
                (count, amount, (a, b, c)),
                (event, penalty, min_rev, extra_trim, years, online),
                (hours, practicum, g1, g2, ce),
            )| {
                let mut r = rules();
                for (dim, weight) in Dimension::ALL.into_iter().zip(w) {
                    r.weights.insert(dim, weight);
                }
                (r.d1_curriculum, r.d1_ce) = (d1[0], d1[1]);
                (r.d2_count, r.d2_amount) = (d2[0], d2[1]);
                (r.d3_events, r.d3_performance) = (d3[0], d3[1]);
                let table = |rows: Vec<(i64, i64)>| {
                    rows.into_iter()
                        .map(|(from, p)| (from, Points::whole(p)))
                        .collect::<Vec<_>>()
                };
                r.count_tiers = TierTable::new(
                    table(count)
                        .into_iter()
                        .map(|(from, points)| Tier { from, points })
                        .collect(),
                )
                .expect("ascending");
                r.amount_tiers = TierTable::new(
                    table(amount)
                        .into_iter()
                        .map(|(from, points)| Tier {
                            from: Money(from),
                            points,
                        })
                        .collect(),
                )
                .expect("ascending");
                let mut roles = [a, b, c];
                roles.sort_unstable_by(|x, y| y.cmp(x));
                r.roles = ladder::domain::rules::RoleWeights {
                    lead: roles[0],
                    co_lead: roles[1],
                    participant: roles[2],
                };
                r.points_per_event = event;
                r.dispute_penalty = penalty;
                r.min_reviewers = min_rev;
                r.trim_from_reviewers = min_rev + 2 + extra_trim;
                r.window_years = years;
                r.max_online_share = online;
                r.gates.integrity = g1;
                r.gates.deal_documents = g2;
                r.ce_annual = Hours(ce);
                r.ce_professional = Hours(ce / 2);
                for c in r.curricula.values_mut() {
                    c.hours = hours;
                    c.practicum_hours = match (hours.value(), practicum.value()) {
                        (Some(h), Some(p)) if p > h => Slot::Set(h),
                        _ => practicum,
                    };
                }
                r
            },
        )
}

fn invariants(r: &ScoreReport) -> Result<(), TestCaseError> {
    let sum: Points = r.ledger.iter().map(|e| e.points).sum();
    prop_assert_eq!(r.total, sum);
    prop_assert!(r.total >= Points(0) && r.total <= Points::whole(100));
    for e in &r.ledger {
        prop_assert!(e.raw >= Points(0) && e.raw <= Points::whole(100), "{:?}", e);
    }
    for dim in &r.dimensions {
        prop_assert!(dim.subscore >= Points(0) && dim.subscore <= Points::whole(100));
    }
    Ok(())
}

fn raw(r: &ScoreReport, i: Indicator) -> Points {
    r.entry(i).raw
}

proptest! {
    #[test]
    fn the_total_is_the_sum_of_the_ledger(ev in evidence(), as_of in as_of()) {
        invariants(&score(&ev, &rules(), as_of))?;
    }

    #[test]
    fn every_valid_ruleset_scores_any_evidence(r in ruleset(), ev in evidence(), as_of in as_of()) {
        prop_assert_eq!(r.problems(), vec![]);
        invariants(&score(&ev, &r, as_of))?;
    }

    #[test]
    fn record_order_does_not_matter(ev in evidence(), as_of in as_of()) {
        let mut reversed = ev.clone();
        reversed.training.reverse();
        reversed.continuing_education.reverse();
        reversed.deals.reverse();
        reversed.cases.reverse();
        reversed.outcomes.reverse();
        reversed.contributions.rotate_left(ev.contributions.len() / 2);
        prop_assert_eq!(score(&ev, &rules(), as_of), score(&reversed, &rules(), as_of));
    }

    #[test]
    fn verified_training_never_lowers_training_or_the_level(ev in evidence(), t in training(), as_of in as_of()) {
        let rules = rules();
        let before = score(&ev, &rules, as_of);
        let mut more = ev.clone();
        more.training.push(TrainingRecord { id: "new".into(), verification: Verification::BaseVerified, ..t });
        let after = score(&more, &rules, as_of);
        prop_assert!(after.dimension(Dimension::Training) >= before.dimension(Dimension::Training));
        prop_assert!(after.level() >= before.level());
        prop_assert!(after.total >= before.total);
    }

    #[test]
    fn verified_deals_never_lower_deal_performance(ev in evidence(), deal in deal(), as_of in as_of()) {
        let rules = rules();
        let before = score(&ev, &rules, as_of);
        let mut more = ev.clone();
        more.deals.push(Deal { id: "new".into(), verification: Verification::RegistryVerified, ..deal });
        let after = score(&more, &rules, as_of);
        prop_assert!(after.dimension(Dimension::Deals) >= before.dimension(Dimension::Deals));
        prop_assert_eq!(after.dimension(Dimension::Training), before.dimension(Dimension::Training));
        prop_assert_eq!(raw(&after, Indicator::OutcomeEvents), raw(&before, Indicator::OutcomeEvents));
        if raw(&after, Indicator::ContractPerformance) == raw(&before, Indicator::ContractPerformance) {
            prop_assert!(after.level() >= before.level());
        }
    }

    #[test]
    fn verified_outcomes_and_contributions_never_lower_their_scores(ev in evidence(), o in outcome(), c in contribution(), as_of in as_of()) {
        let rules = rules();
        let before = score(&ev, &rules, as_of);
        let mut more = ev.clone();
        more.outcomes.push(Outcome { id: "new-o".into(), verification: Verification::BaseVerified, ..o });
        more.contributions.push(Contribution { id: "new-c".into(), verification: Verification::BaseVerified, ..c });
        let after = score(&more, &rules, as_of);
        prop_assert!(raw(&after, Indicator::OutcomeEvents) >= raw(&before, Indicator::OutcomeEvents));
        prop_assert!(after.dimension(Dimension::Contribution) >= before.dimension(Dimension::Contribution));
        prop_assert!(after.total >= before.total);
        prop_assert!(after.level() >= before.level());
    }

    #[test]
    fn counted_shares_never_exceed_the_claim_or_one_hundred_percent(ev in evidence(), as_of in as_of()) {
        let r = score(&ev, &rules(), as_of);
        for item in &r.entry(Indicator::DealAmount).items {
            if let Effect::Counted(Input::WeightedAmount { amount, weight, share, weighted, .. }) = &item.effect {
                let deal = ev.deals.iter().find(|d| d.id == item.record).expect("a deal");
                prop_assert!(*share <= deal.share);
                prop_assert!(i128::from(*share) * i128::from(deal.claimed_shares_total.max(1000)) <= i128::from(deal.share) * 1000);
                prop_assert!(weighted.0 <= amount.0 * weight / 1000 + 1);
            }
        }
    }
}
