//! Table tests for every formula and boundary of domain.md §5.

use super::fixtures::*;
use ladder::domain::evidence::*;
use ladder::domain::level::Level;
use ladder::domain::profile::{Certificate, IntegrityRecord};
use ladder::domain::quantity::Points;
use ladder::domain::quantity::{Hours, Money};
use ladder::domain::rules::Module;
use ladder::domain::rules::{Dimension, RuleSet};
use ladder::domain::score::*;

fn entry(r: &ScoreReport, i: Indicator) -> &LedgerEntry {
    r.ledger
        .iter()
        .find(|e| e.indicator == i)
        .expect("every indicator")
}

fn raw(ev: &PersonEvidence, rules: &RuleSet, i: Indicator) -> i64 {
    entry(&score(ev, rules, as_of()), i).raw.0
}

fn effects(r: &ScoreReport, i: Indicator) -> Vec<(String, Effect)> {
    entry(r, i)
        .items
        .iter()
        .map(|it| (it.record.clone(), it.effect.clone()))
        .collect()
}

const WAN: i64 = 1_000_000;

#[test]
fn deal_count_tiers_at_their_bounds() {
    let rules = rules();
    let date = d(2026, 3, 1);
    let with_roles = |roles: &[ManagerRole]| PersonEvidence {
        deals: roles
            .iter()
            .enumerate()
            .map(|(i, r)| Deal {
                role: *r,
                ..deal(&format!("d{i}"), 10 * WAN, date)
            })
            .collect(),
        ..Default::default()
    };
    use ManagerRole::*;
    for (roles, points, row) in [
        (vec![], 0, Some(1)),
        // 0.6 + 0.3 = 0.9: one short of the first tier.
        (vec![CoLead, Participant], 0, Some(1)),
        (vec![CoLead, CoLead], 40_000, Some(2)),
        (vec![Lead], 40_000, Some(2)),
        (vec![Lead, Lead, CoLead, Participant], 40_000, Some(2)),
        (vec![Lead, Lead, Lead], 60_000, Some(3)),
        (vec![Lead; 5], 80_000, Some(4)),
        (vec![Lead; 10], 100_000, Some(5)),
    ] {
        let r = score(&with_roles(&roles), &rules, as_of());
        let e = entry(&r, Indicator::DealCount);
        assert_eq!(e.raw.0, points, "{roles:?}");
        let Rule::Tier { row: got, .. } = &e.rule else {
            panic!("a tier rule")
        };
        assert_eq!(*got, row, "{roles:?}");
    }
}

#[test]
fn deal_amount_tiers_at_exactly_ten_wan() {
    let rules = rules();
    let one = |fen: i64| PersonEvidence {
        deals: vec![deal("d1", fen, d(2026, 3, 1))],
        ..Default::default()
    };
    for (fen, points) in [
        (10 * WAN - 1, 0),
        (10 * WAN, 30_000),
        (50 * WAN - 1, 30_000),
        (50 * WAN, 50_000),
        (200 * WAN, 70_000),
        (500 * WAN, 85_000),
        (1000 * WAN, 100_000),
        (i64::MAX, 100_000),
    ] {
        assert_eq!(
            raw(&one(fen), &rules, Indicator::DealAmount),
            points,
            "{fen}"
        );
    }
}

#[test]
fn amounts_are_weighted_by_role_and_capped_share() {
    let rules = rules();
    // Co-lead (0.6) with 60% of a contract on which claims total 150%: 60% → 40%.
    let ev = PersonEvidence {
        deals: vec![Deal {
            role: ManagerRole::CoLead,
            share: 600,
            claimed_shares_total: 1500,
            ..deal("d1", 100 * WAN, d(2026, 3, 1))
        }],
        ..Default::default()
    };
    let r = score(&ev, &rules, as_of());
    let e = entry(&r, Indicator::DealAmount);
    assert_eq!(
        e.items[0].effect,
        Effect::Counted(Input::WeightedAmount {
            amount: Money(100 * WAN),
            role: ManagerRole::CoLead,
            weight: 600,
            share: 400,
            weighted: Money(24 * WAN),
        })
    );
    assert_eq!(
        e.items[0].notes,
        vec![Note::ShareScaled {
            own: 600,
            claimed_total: 1500,
            effective: 400
        }]
    );
    assert_eq!(e.raw.0, 30_000);
}

#[test]
fn deals_that_do_not_count_say_why() {
    let rules = rules();
    let date = d(2026, 3, 1);
    let ev = PersonEvidence {
        deals: vec![
            Deal {
                registration_no: None,
                registration_date: None,
                tech_transaction_amount: None,
                ..deal("a-unregistered", WAN, date)
            },
            Deal {
                verification: Verification::Unverified,
                ..deal("b-unverified", WAN, date)
            },
            Deal {
                documents: vec![],
                ..deal("c-undocumented", WAN, date)
            },
            Deal {
                verification: Verification::Rejected,
                ..deal("d-rejected", WAN, date)
            },
            Deal {
                share: 0,
                ..deal("e-broken", WAN, date)
            },
        ],
        ..Default::default()
    };
    let r = score(&ev, &rules, as_of());
    let reasons: Vec<Effect> = effects(&r, Indicator::DealCount)
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    assert_eq!(
        reasons,
        vec![
            Effect::Excluded(Exclusion::NotRegistered),
            Effect::Excluded(Exclusion::Unverified),
            Effect::Excluded(Exclusion::NoDocument),
            Effect::Excluded(Exclusion::Rejected),
            Effect::Excluded(Exclusion::Invalid),
        ]
    );
    assert_eq!(r.problems[0].record, "e-broken");
    assert_eq!(r.gates[1].records.len(), 5);
    // With the document gate off, the undocumented deal counts.
    let lenient = rules_with(&[("deal_documents = true", "deal_documents = false")]);
    assert_eq!(raw(&ev, &lenient, Indicator::DealCount), 40_000);
    let r = score(&ev, &lenient, as_of());
    assert!(matches!(
        effects(&r, Indicator::DealCount)[2].1,
        Effect::Counted(_)
    ));
}

#[test]
fn the_window_is_inclusive_at_both_ends() {
    let rules = rules();
    // Five years up to 2026-11-26: from 2021-11-27.
    let r = score(&PersonEvidence::default(), &rules, as_of());
    assert_eq!(r.window.from, d(2021, 11, 27));
    let ev = PersonEvidence {
        outcomes: vec![
            outcome("before", d(2021, 11, 26)),
            outcome("first-day", d(2021, 11, 27)),
            outcome("last-day", d(2026, 11, 26)),
            outcome("after", d(2026, 11, 27)),
        ],
        ..Default::default()
    };
    let r = score(&ev, &rules, as_of());
    assert_eq!(
        effects(&r, Indicator::OutcomeEvents),
        vec![
            ("before".into(), Effect::Excluded(Exclusion::OutsideWindow)),
            (
                "first-day".into(),
                Effect::Counted(Input::Points {
                    points: Points(25_000)
                })
            ),
            (
                "last-day".into(),
                Effect::Counted(Input::Points {
                    points: Points(25_000)
                })
            ),
            ("after".into(), Effect::Excluded(Exclusion::AfterAsOf)),
        ]
    );
}

#[test]
fn a_missing_registration_date_uses_the_signing_date_and_says_so() {
    let ev = PersonEvidence {
        deals: vec![Deal {
            registration_date: None,
            ..deal("d1", 10 * WAN, d(2026, 3, 1))
        }],
        ..Default::default()
    };
    let r = score(&ev, &rules(), as_of());
    assert_eq!(
        entry(&r, Indicator::DealCount).items[0].notes,
        vec![Note::SigningDateUsed]
    );
    assert_eq!(entry(&r, Indicator::DealCount).raw.0, 40_000);
}

#[test]
fn outcome_events_are_capped_at_one_hundred() {
    let ev = PersonEvidence {
        outcomes: (1..=5)
            .map(|i| outcome(&format!("o{i}"), d(2026, 1, i)))
            .collect(),
        ..Default::default()
    };
    let r = score(&ev, &rules(), as_of());
    let e = entry(&r, Indicator::OutcomeEvents);
    assert_eq!(e.raw.0, 100_000);
    assert_eq!(e.items[4].effect, Effect::Excluded(Exclusion::Capped));
    assert_eq!(
        e.items[4].record, "o5",
        "the latest event is the one capped"
    );
}

#[test]
fn contract_performance_averages_and_subtracts_disputes() {
    let rules = rules();
    let date = d(2026, 3, 1);
    let paid = |id: &str, received: i64, dispute: bool| Deal {
        amount_received: Some(Money(received * WAN)),
        dispute,
        ..deal(id, 100 * WAN, date)
    };
    for (deals, points) in [
        (vec![], 0),
        (vec![paid("a", 50, false)], 50_000),
        (vec![paid("a", 100, false), paid("b", 50, false)], 75_000),
        // Received more than the contract: the ratio is capped at 1.
        (vec![paid("a", 150, false)], 100_000),
        (vec![paid("a", 100, true)], 50_000),
        (vec![paid("a", 50, true)], 0),
        (vec![paid("a", 20, true), paid("b", 20, true)], 0),
    ] {
        let ev = PersonEvidence {
            deals,
            ..Default::default()
        };
        assert_eq!(raw(&ev, &rules, Indicator::ContractPerformance), points);
    }
    let none_paid = PersonEvidence {
        deals: vec![Deal {
            amount_received: None,
            ..deal("a", 100 * WAN, date)
        }],
        ..Default::default()
    };
    let r = score(&none_paid, &rules, as_of());
    assert_eq!(
        entry(&r, Indicator::ContractPerformance).items[0].notes,
        vec![Note::NoPaymentRecorded]
    );
}

#[test]
fn case_quality_needs_three_reviews_and_trims_from_five() {
    let rules = rules();
    let date = d(2026, 3, 1);
    for (totals, expected) in [
        (vec![80, 90, 70], Some(80_000)),
        (vec![60, 70, 80, 90, 100], Some(80_000)),
        (vec![70, 70, 71], Some(70_333)),
        (vec![90, 90], None),
    ] {
        let ev = PersonEvidence {
            cases: vec![case("c1", &totals, date)],
            ..Default::default()
        };
        let r = score(&ev, &rules, as_of());
        let e = entry(&r, Indicator::CaseQuality);
        match expected {
            Some(p) => assert_eq!(e.raw.0, p, "{totals:?}"),
            None => assert_eq!(
                e.items[0].effect,
                Effect::Excluded(Exclusion::TooFewReviews { have: 2, need: 3 })
            ),
        }
    }
    // A review that does not match the rubric is left out, and says so.
    let mut c = case("c1", &[80, 80, 80, 80], date);
    c.reviews[0].insert("bonus".into(), 5);
    let ev = PersonEvidence {
        cases: vec![c],
        ..Default::default()
    };
    let r = score(&ev, &rules, as_of());
    assert_eq!(
        entry(&r, Indicator::CaseQuality).items[0].notes,
        vec![Note::ReviewsOffRubric { count: 1 }]
    );
    // Two cases are averaged.
    let ev = PersonEvidence {
        cases: vec![
            case("a", &[60, 60, 60], date),
            case("b", &[90, 90, 90], date),
        ],
        ..Default::default()
    };
    assert_eq!(raw(&ev, &rules, Indicator::CaseQuality), 75_000);
}

#[test]
fn contributions_price_each_kind_and_cap_teaching_and_the_sum() {
    let rules = rules();
    let date = d(2026, 3, 1);
    let teaching = |h: i64| ContributionKind::Teaching {
        hours: Hours::whole(h),
    };
    let ev = PersonEvidence {
        contributions: vec![
            contribution("t1", teaching(12), date),
            contribution("t2", teaching(40), d(2026, 4, 1)),
        ],
        ..Default::default()
    };
    let r = score(&ev, &rules, as_of());
    let e = entry(&r, Indicator::Contribution);
    assert_eq!(e.raw.0, 30_000, "teaching is capped at 30");
    assert_eq!(
        e.items[1].notes,
        vec![Note::PartlyCapped { of: Points(40_000) }]
    );
    let ev = PersonEvidence {
        contributions: vec![
            contribution("a", ContributionKind::Award, d(2026, 1, 1)),
            contribution("b", ContributionKind::ReportAdopted, d(2026, 1, 2)),
            contribution("c", ContributionKind::Paper, d(2026, 1, 3)),
            contribution("d", ContributionKind::StandardDrafter, d(2026, 1, 4)),
            contribution("e", ContributionKind::Mentoring, d(2026, 1, 5)),
        ],
        ..Default::default()
    };
    let r = score(&ev, &rules, as_of());
    let e = entry(&r, Indicator::Contribution);
    assert_eq!(e.raw.0, 100_000);
    assert_eq!(
        e.items[2].effect,
        Effect::Counted(Input::Points {
            points: Points(15_000)
        })
    );
    // 40 + 30 + 15 = 85: the standard's 30 counts 15.
    assert_eq!(
        e.items[3].effect,
        Effect::Counted(Input::Points {
            points: Points(15_000)
        })
    );
    assert_eq!(
        e.items[3].notes,
        vec![Note::PartlyCapped { of: Points(30_000) }]
    );
    assert_eq!(e.items[4].effect, Effect::Excluded(Exclusion::Capped));
}

#[test]
fn continuing_education_follows_the_ninety_sixty_rule() {
    // One measured year: the person started practising in 2025.
    let rules = rules();
    let year = |total: i64, professional: i64| {
        let mut ev = PersonEvidence::default();
        ev.profile.practice_since = Some(d(2025, 1, 1));
        ev.continuing_education = vec![
            ce(
                "p",
                CeCategory::Professional,
                Hours(professional),
                d(2025, 5, 1),
            ),
            ce(
                "q",
                CeCategory::Public,
                Hours(total - professional),
                d(2025, 6, 1),
            ),
        ];
        raw(&ev, &rules, Indicator::ContinuingEducation)
    };
    assert_eq!(year(9000, 6000), 100_000);
    assert_eq!(year(12_000, 9000), 100_000);
    assert_eq!(year(8999, 6000), 99_988);
    assert_eq!(year(12_000, 5900), 98_333);
    assert_eq!(year(4500, 3000), 25_000);
    assert_eq!(year(0, 0), 0);
}

#[test]
fn continuing_education_averages_the_full_years_in_the_window() {
    let rules = rules();
    // No start date: the five full years 2021–2025; one compliant year is 20 points.
    let mut ev = PersonEvidence {
        continuing_education: vec![
            ce(
                "p",
                CeCategory::Professional,
                Hours::whole(90),
                d(2024, 5, 1),
            ),
            ce(
                "now",
                CeCategory::Professional,
                Hours::whole(90),
                d(2026, 5, 1),
            ),
        ],
        ..Default::default()
    };
    let r = score(&ev, &rules, as_of());
    let e = entry(&r, Indicator::ContinuingEducation);
    assert_eq!(e.raw.0, 20_000);
    assert_eq!(
        e.items[1].effect,
        Effect::Excluded(Exclusion::OutsideCeYears)
    );
    // Started practising this year: the current year alone is measured.
    ev.profile.practice_since = Some(d(2026, 2, 1));
    assert_eq!(raw(&ev, &rules, Indicator::ContinuingEducation), 100_000);
}

#[test]
fn online_hours_above_the_allowed_share_do_not_count() {
    let rules = rules_with(&[("# max_online_share = 25 ", "max_online_share = 25 ")]);
    let mut ev = PersonEvidence::default();
    ev.profile.practice_since = Some(d(2025, 1, 1));
    let online = |id: &str, h: i64, day: u32| CeActivity {
        mode: Mode::Online,
        ..ce(
            id,
            CeCategory::Professional,
            Hours::whole(h),
            d(2025, 3, day),
        )
    };
    ev.continuing_education = vec![online("a", 20, 1), online("b", 20, 2), online("c", 5, 3)];
    let r = score(&ev, &rules, as_of());
    let e = entry(&r, Indicator::ContinuingEducation);
    // 25% of 90 = 22.5 学时.
    assert_eq!(
        e.items[1].effect,
        Effect::Counted(Input::Hours { hours: Hours(250) })
    );
    assert_eq!(
        e.items[1].notes,
        vec![Note::OnlineCapped {
            of: Hours::whole(20)
        }]
    );
    assert_eq!(e.items[2].effect, Effect::Excluded(Exclusion::Capped));
}

#[test]
fn curriculum_completion_is_the_mean_over_modules() {
    let rules = rules();
    let date = d(2026, 3, 1);
    let ev = PersonEvidence {
        training: vec![
            training("a", Module::PublicKnowledge, 16, date),
            training("b", Module::PolicyLaw, 8, date),
            training("c", Module::PolicyLaw, 20, date),
            training("d", Module::Capability, 16, date),
        ],
        ..Default::default()
    };
    let r = score(&ev, &rules, as_of());
    let e = entry(&r, Indicator::Curriculum);
    // Junior: 48 学时 over three modules → 16 each; 16/16, 28/16 (capped), 0/16.
    assert_eq!(e.raw.0, 66_666);
    assert_eq!(
        e.items[3].effect,
        Effect::Excluded(Exclusion::NotInCurriculum)
    );
    assert!(r.provisional);
    assert!(r.provisional_slots().contains(&"curriculum.junior.hours"));
    // Which modules apply at the junior level is a placeholder too ([NF]).
    assert!(r.provisional_slots().contains(&"curriculum.junior.modules"));
    // Holding the junior certificate moves D1a to the intermediate curriculum.
    let mut held = ev.clone();
    held.profile.certificates.push(Certificate {
        level: Level::JuniorBroker,
        date: d(2025, 6, 1),
        number: None,
    });
    let r = score(&held, &rules, as_of());
    let Rule::Curriculum { level, .. } = &entry(&r, Indicator::Curriculum).rule else {
        panic!("curriculum rule")
    };
    assert_eq!(*level, Level::IntermediateBroker);
    // 16/16, 16/16 (capped), 0/16, 16/16 over four modules.
    assert_eq!(entry(&r, Indicator::Curriculum).raw.0, 75_000);
}

#[test]
fn the_intermediate_years_in_practice_are_provisional() {
    let rules = rules();
    let ev = PersonEvidence::default();
    let r = score(&ev, &rules, as_of());
    let check = |level: Level| {
        r.levels
            .iter()
            .find(|c| c.level == Some(level))
            .expect("a check per level")
    };
    assert!(
        check(Level::IntermediateBroker)
            .provisional
            .iter()
            .any(|p| p == "curriculum.intermediate.practice_years")
    );
    // The senior level's three years are a product default, not a placeholder.
    assert!(
        !check(Level::SeniorManager)
            .provisional
            .iter()
            .any(|p| p == "curriculum.senior.practice_years")
    );
}

#[test]
fn unconfigured_hours_compute_nothing_and_say_so() {
    let rules = rules_with(&[("hours = { placeholder = 48 }", "")]);
    let ev = PersonEvidence {
        training: vec![training("a", Module::PublicKnowledge, 16, d(2026, 3, 1))],
        ..Default::default()
    };
    let r = score(&ev, &rules, as_of());
    assert_eq!(
        entry(&r, Indicator::Curriculum).rule,
        Rule::NotConfigured {
            slot: "curriculum.junior.hours".into()
        }
    );
    assert!(r.levels[0].requirements.contains(&(
        Requirement::NotConfigured {
            slot: "curriculum.junior.hours".into()
        },
        false
    )));
    assert!(rules.unconfigured().contains(&"curriculum.junior.hours"));
}

/// A ruleset where case quality is the whole score and junior needs no training hours.
fn case_quality_only() -> RuleSet {
    rules_with(&[
        ("training = 15 ", "training = 0 "),
        ("deals = 35 ", "deals = 0 "),
        ("outcomes = 20 ", "outcomes = 0 "),
        ("case_quality = 20 ", "case_quality = 100 "),
        ("contribution = 10 ", "contribution = 0 "),
        ("hours = { placeholder = 48 }", "hours = 0"),
        ("floors = { training = 80 }", "floors = {}"),
    ])
}

#[test]
fn exactly_sixty_points_recommends_junior() {
    let rules = case_quality_only();
    let with = |reviews: &[i64]| {
        let mut ev = PersonEvidence::default();
        ev.profile.education = Some(ladder::domain::eligibility::Education::Associate);
        ev.cases = vec![case("c", reviews, d(2026, 3, 1))];
        score(&ev, &rules, as_of())
    };
    let sixty = with(&[60, 60, 60]);
    assert_eq!(sixty.total, Points(60_000));
    assert!(sixty.levels[0].met, "{:?}", sixty.levels[0]);
    assert_eq!(sixty.position.reached, Some(Level::JuniorBroker));
    assert_eq!(sixty.position.next, Some(Level::IntermediateBroker));
    assert!(sixty.position.gaps.contains(&Requirement::Certificate {
        level: Level::JuniorBroker
    }));
    let short = with(&[60, 60, 59]);
    assert_eq!(short.total, Points(59_666));
    assert_eq!(short.total.display(), "59.7");
    assert!(!short.levels[0].met);
    assert_eq!(short.position.reached, None);
    assert_eq!(
        short.position.gaps,
        vec![Requirement::Total {
            needs: Points(60_000),
            has: Points(59_666)
        }]
    );
    // Below 大专 the education floor is the gap.
    let mut ev = PersonEvidence::default();
    ev.profile.education = Some(ladder::domain::eligibility::Education::Other);
    ev.cases = vec![case("c", &[60, 60, 60], d(2026, 3, 1))];
    let r = score(&ev, &rules, as_of());
    assert_eq!(
        r.position.gaps,
        vec![Requirement::Education {
            needs: ladder::domain::eligibility::Education::Associate,
            has: Some(ladder::domain::eligibility::Education::Other)
        }]
    );
}

#[test]
fn the_total_is_the_sum_of_the_ledger_and_weights_apply() {
    let ev: PersonEvidence =
        serde_json::from_str(include_str!("../../../examples/evidence/zhang-wei.json"))
            .expect("example");
    let r = score(&ev, &rules(), as_of());
    assert_eq!(r.total, r.ledger.iter().map(|e| e.points).sum());
    // D2: 40% × 40 (one lead deal) + 60% × 50 (168 万元) = 46.
    assert_eq!(r.dimension(Dimension::Deals), Points(46_000));
    // D4: the mean of 82, 79 and 84.
    assert_eq!(r.dimension(Dimension::CaseQuality), Points(81_666));
    // 5.999 + 1.2 + 5.6 + 10.5 + 3.0 + 4.0 + 16.333 + 0.8, each rounded down.
    assert_eq!(r.total, Points(47_432));
    assert_eq!(r.total.display(), "47.4");
}

#[test]
fn an_integrity_record_in_the_window_blocks_the_score_and_every_recommendation() {
    let rules = case_quality_only();
    let mut ev = PersonEvidence::default();
    ev.profile.education = Some(ladder::domain::eligibility::Education::Master);
    ev.cases = vec![case("c", &[100, 100, 100], d(2026, 3, 1))];
    ev.profile.integrity_records = vec![IntegrityRecord {
        date: d(2026, 1, 5),
        note: "失信记录".into(),
    }];
    let r = score(&ev, &rules, as_of());
    // domain.md §5.5: the gate blocks the score. Nothing is awarded and the report says why;
    // the case's raw score still shows what the records would give.
    assert_eq!(r.total, Points(0));
    assert_eq!(r.blocked, Some(ladder::domain::score::GateKind::Integrity));
    assert!(r.ledger.iter().all(|e| e.points == Points(0)));
    assert!(r.dimensions.iter().all(|d| d.points == Points(0)));
    assert_eq!(r.entry(Indicator::CaseQuality).raw, Points(100_000));
    assert_eq!(
        ladder::domain::explain::blocked(&r, ladder::i18n::Lang::Zh).as_deref(),
        Some("不计分：评价期内有诚信记录（2026-01-05 失信记录）")
    );
    let text = ladder::domain::explain::report_text(&r, &ev, &rules, ladder::i18n::Lang::En);
    assert!(
        text.contains("Total: not scored: an integrity record in the window (2026-01-05 失信记录)"),
        "{text}"
    );
    assert!(!r.gates[0].passed);
    assert!(!r.levels[0].met);
    assert!(!r.outstanding.met);
    assert_eq!(r.position.reached, None);
    // Outside the window it no longer counts.
    ev.profile.integrity_records[0].date = d(2020, 1, 5);
    let r = score(&ev, &rules, as_of());
    assert!(r.gates[0].passed);
    assert!(r.levels[0].met);
    assert_eq!((r.total, r.blocked), (Points(100_000), None));
    assert_eq!(
        ladder::domain::explain::blocked(&r, ladder::i18n::Lang::Zh),
        None
    );
}

#[test]
fn practice_years_and_certificates_gate_the_higher_levels() {
    let rules = rules();
    let mut ev = PersonEvidence::default();
    ev.profile.practice_since = Some(d(2025, 11, 26));
    ev.profile.certificates = vec![Certificate {
        level: Level::JuniorBroker,
        date: d(2026, 1, 1),
        number: Some("JR-1".into()),
    }];
    let r = score(&ev, &rules, as_of());
    let intermediate = &r.levels[1];
    assert!(intermediate.requirements.contains(&(
        Requirement::Certificate {
            level: Level::JuniorBroker
        },
        true
    )));
    assert!(intermediate.requirements.contains(&(
        Requirement::PracticeYears {
            needs: 1,
            has: 1,
            met_on: Some(d(2026, 11, 26))
        },
        true
    )));
    ev.profile.practice_since = Some(d(2025, 11, 27));
    let r = score(&ev, &rules, as_of());
    assert!(r.levels[1].requirements.contains(&(
        Requirement::PracticeYears {
            needs: 1,
            has: 0,
            met_on: Some(d(2026, 11, 27))
        },
        false
    )));
    assert_eq!(r.position.held, Some(Level::JuniorBroker));
    assert_eq!(r.position.next, Some(Level::IntermediateBroker));
    // A certificate dated after the as-of date is not held yet.
    ev.profile.certificates[0].date = d(2026, 12, 1);
    assert_eq!(score(&ev, &rules, as_of()).position.held, None);
}

#[test]
fn deal_hints_name_the_next_tiers() {
    let ev = PersonEvidence {
        deals: vec![deal("d1", 168 * WAN, d(2026, 3, 1))],
        ..Default::default()
    };
    let r = score(&ev, &rules(), as_of());
    assert_eq!(
        r.position.hints,
        vec![
            Hint::LeadDeals {
                more: 2,
                points: Points(60_000)
            },
            Hint::Amount {
                more: Money(32 * WAN),
                points: Points(70_000)
            }
        ]
    );
}

#[test]
fn title_minimums_are_checked_once_configured() {
    let rules = rules_with(&[
        ("# registered_deals = …", "registered_deals = 2"),
        ("# tech_transaction_wan = …", "tech_transaction_wan = 100"),
    ]);
    let ev = PersonEvidence {
        deals: vec![deal("d1", 150 * WAN, d(2026, 3, 1))],
        ..Default::default()
    };
    let r = score(&ev, &rules, as_of());
    assert_eq!(
        r.title.minimums[0],
        Minimum::RegisteredDeals { needs: 2, has: 1 }
    );
    assert_eq!(r.title.minimums[0].met(), Some(false));
    assert_eq!(
        r.title.minimums[1],
        Minimum::TechTransactionAmount {
            needs: Money(100 * WAN),
            has: Money(150 * WAN)
        }
    );
    assert_eq!(r.title.minimums[1].met(), Some(true));
    assert_eq!(
        r.title.minimums[2].met(),
        None,
        "cases are still not configured"
    );
}

#[test]
fn title_eligibility_uses_the_profile_and_continuing_education() {
    let mut ev = PersonEvidence::default();
    ev.profile.education = Some(ladder::domain::eligibility::Education::Bachelor);
    ev.profile.intermediate_title_on = Some(d(2021, 11, 26));
    ev.profile.locality.hukou = true;
    ev.continuing_education = vec![
        ce(
            "a",
            CeCategory::Professional,
            Hours::whole(60),
            d(2025, 3, 1),
        ),
        ce("b", CeCategory::Public, Hours::whole(30), d(2025, 4, 1)),
    ];
    let r = score(&ev, &rules(), as_of());
    assert!(r.title.eligibility.eligible(), "{:?}", r.title.eligibility);
    ev.continuing_education.pop();
    let r = score(&ev, &rules(), as_of());
    assert_eq!(r.title.eligibility.shortfalls.len(), 1);
}

#[test]
fn a_dispute_costs_even_without_a_contract_amount() {
    let ev = PersonEvidence {
        deals: vec![
            Deal {
                dispute: true,
                contract_amount: Money(0),
                tech_transaction_amount: Some(Money(0)),
                amount_received: Some(Money(0)),
                ..deal("a", 0, d(2026, 3, 1))
            },
            deal("b", 100 * WAN, d(2026, 3, 2)),
        ],
        ..Default::default()
    };
    let r = score(&ev, &rules(), as_of());
    let e = entry(&r, Indicator::ContractPerformance);
    assert_eq!(
        e.items[0].effect,
        Effect::Excluded(Exclusion::NoContractAmount)
    );
    // 100 × 1.0 (deal b) − 50 for deal a's dispute.
    assert_eq!(e.raw.0, 50_000);
}

#[test]
fn broken_records_are_listed_in_a_stable_order() {
    let blank = Deal {
        registration_no: Some("  ".into()),
        ..deal("z-blank", WAN, d(2026, 3, 1))
    };
    let negative = TrainingRecord {
        hours: Hours(-100),
        ..training("a-negative", Module::PolicyLaw, 0, d(2026, 3, 1))
    };
    let ev = PersonEvidence {
        deals: vec![blank],
        training: vec![negative],
        ..Default::default()
    };
    let r = score(&ev, &rules(), as_of());
    let records: Vec<&str> = r.problems.iter().map(|p| p.record.as_str()).collect();
    assert_eq!(records, ["a-negative", "z-blank"]);
    assert_eq!(r.problems[1].field, "registration_no");
    assert_eq!(
        entry(&r, Indicator::DealCount).items[0].effect,
        Effect::Excluded(Exclusion::Invalid)
    );
}

#[test]
fn hints_round_the_shortfall_up() {
    // With a lead weight of 0.9, a sole lead of 168 万元 counts 151.2; the next tier is 200.
    let rules = rules_with(&[("lead = 1.0 ", "lead = 0.9 ")]);
    let ev = PersonEvidence {
        deals: vec![deal("d1", 168 * WAN, d(2026, 3, 1))],
        ..Default::default()
    };
    let r = score(&ev, &rules, as_of());
    assert_eq!(
        r.position.hints,
        vec![
            // 0.9 of a deal counted: one more lead deal reaches 1.
            Hint::LeadDeals {
                more: 1,
                points: Points(40_000)
            },
            // 48.8 万元 / 0.9 = 54.2222… 万元, rounded up to the fen.
            Hint::Amount {
                more: Money(54_222_223),
                points: Points(70_000)
            }
        ]
    );
}
