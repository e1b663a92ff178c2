//! Scoring throughput: 100,000 people with 25 records each, on one thread.
//! Run: `cargo bench --no-default-features --features ssr --bench scoring`.
//! Goal (issue 3): the whole population in under a second, i.e. ≥ 2.5 million records a second.

use chrono::NaiveDate;
use ladder::domain::evidence::*;
use ladder::domain::profile::Profile;
use ladder::domain::quantity::{Hours, Money};
use ladder::domain::rules::Module;
use ladder::domain::score::score;
use std::collections::BTreeMap;

const PEOPLE: usize = 100_000;
const RECORDS_PER_PERSON: usize = 25;

fn main() {
    divan::main();
}

/// A small deterministic generator (64-bit LCG), so every run scores the same population.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }

    fn date(&mut self) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, 1, 1).expect("date")
            + chrono::Duration::days(self.next(2150) as i64)
    }

    fn verification(&mut self) -> Verification {
        match self.next(10) {
            0 => Verification::Unverified,
            1 => Verification::Rejected,
            2..=5 => Verification::RegistryVerified,
            _ => Verification::BaseVerified,
        }
    }
}

/// 8 training records, 4 CE activities, 5 deals, 2 cases, 3 outcomes, 3 contributions.
fn person(rng: &mut Rng) -> PersonEvidence {
    let training = (0..8)
        .map(|i| TrainingRecord {
            id: format!("t{i}"),
            module: Module::ALL[rng.next(4) as usize],
            mode: if rng.next(4) == 0 {
                Mode::Practicum
            } else {
                Mode::Onsite
            },
            hours: Hours(400 + rng.next(1200) as i64),
            date: rng.date(),
            provider: "base".into(),
            cohort: None,
            verification: rng.verification(),
        })
        .collect();
    let continuing_education = (0..4)
        .map(|i| CeActivity {
            id: format!("e{i}"),
            category: if rng.next(3) == 0 {
                CeCategory::Public
            } else {
                CeCategory::Professional
            },
            mode: Mode::Online,
            hours: Hours(1000 + rng.next(4000) as i64),
            date: rng.date(),
            provider: "platform".into(),
            verification: rng.verification(),
        })
        .collect();
    let deals = (0..5)
        .map(|i| {
            let amount = 1_000_000 + rng.next(500_000_000) as i64;
            let registered = rng.next(5) != 0;
            let date = rng.date();
            let share = 300 + rng.next(700) as i64;
            Deal {
                id: format!("d{i}"),
                contract_name: "contract".into(),
                contract_type: ContractType::Transfer,
                registration_no: registered.then(|| format!("REG{i}")),
                registration_date: registered.then_some(date),
                sign_date: date,
                contract_amount: Money(amount),
                tech_transaction_amount: registered.then_some(Money(amount * 9 / 10)),
                amount_received: Some(Money(amount / 2)),
                role: [
                    ManagerRole::Lead,
                    ManagerRole::CoLead,
                    ManagerRole::Participant,
                ][rng.next(3) as usize],
                share,
                claimed_shares_total: share + rng.next(800) as i64,
                dispute: rng.next(20) == 0,
                documents: vec!["contract.pdf".into()],
                verification: rng.verification(),
            }
        })
        .collect();
    let cases = (0..2)
        .map(|i| Case {
            id: format!("c{i}"),
            title: "case".into(),
            role: ManagerRole::Lead,
            date: rng.date(),
            reviews: (0..3)
                .map(|_| {
                    BTreeMap::from([
                        ("complexity".to_string(), rng.next(21) as i64),
                        ("personal_contribution".to_string(), rng.next(26) as i64),
                        ("professional_method".to_string(), rng.next(21) as i64),
                        ("outcome".to_string(), rng.next(26) as i64),
                        ("reflection".to_string(), rng.next(11) as i64),
                    ])
                })
                .collect(),
            verification: rng.verification(),
        })
        .collect();
    let outcomes = (0..3)
        .map(|i| Outcome {
            id: format!("o{i}"),
            kind: OutcomeKind::Financing,
            date: rng.date(),
            verification: rng.verification(),
        })
        .collect();
    let contributions = (0..3)
        .map(|i| Contribution {
            id: format!("k{i}"),
            kind: if i == 0 {
                ContributionKind::Teaching { hours: Hours(800) }
            } else {
                ContributionKind::Paper
            },
            date: rng.date(),
            verification: rng.verification(),
        })
        .collect();
    PersonEvidence {
        profile: Profile {
            practice_since: Some(rng.date()),
            ..Profile::default()
        },
        training,
        continuing_education,
        deals,
        cases,
        outcomes,
        contributions,
    }
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn score_100k_people(bencher: divan::Bencher) {
    let rules = ladder::import::ruleset::parse(include_str!("../rulesets/shanghai-default.toml"))
        .expect("the default ruleset is valid");
    let mut rng = Rng(42);
    let people: Vec<PersonEvidence> = (0..PEOPLE).map(|_| person(&mut rng)).collect();
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    bencher
        .counter(divan::counter::ItemsCount::new(PEOPLE * RECORDS_PER_PERSON))
        .bench(|| {
            for p in &people {
                divan::black_box(score(p, &rules, as_of));
            }
        });
}
