//! Builders for the scoring tests: the shipped ruleset (optionally edited) and records.

use chrono::NaiveDate;
use ladder::domain::evidence::*;
use ladder::domain::quantity::{Hours, Money};
use ladder::domain::rules::{Module, RuleSet};

pub const DEFAULT: &str = include_str!("../../../rulesets/shanghai-default.toml");

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

pub const AS_OF: (i32, u32, u32) = (2026, 11, 26);

pub fn as_of() -> NaiveDate {
    d(AS_OF.0, AS_OF.1, AS_OF.2)
}

/// The shipped default with text replacements applied (each must match).
pub fn rules_with(edits: &[(&str, &str)]) -> RuleSet {
    let mut text = DEFAULT.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "the default ruleset has no `{from}`");
        text = text.replacen(from, to, 1);
    }
    ladder::import::ruleset::parse(&text).expect("the edited ruleset is valid")
}

pub fn rules() -> RuleSet {
    rules_with(&[])
}

pub fn training(id: &str, module: Module, hours: i64, date: NaiveDate) -> TrainingRecord {
    TrainingRecord {
        id: id.into(),
        module,
        mode: Mode::Onsite,
        hours: Hours::whole(hours),
        date,
        provider: "base".into(),
        cohort: None,
        verification: Verification::BaseVerified,
    }
}

pub fn ce(id: &str, category: CeCategory, hours: Hours, date: NaiveDate) -> CeActivity {
    CeActivity {
        id: id.into(),
        category,
        mode: Mode::Onsite,
        hours,
        date,
        provider: "platform".into(),
        verification: Verification::BaseVerified,
    }
}

/// A registered, documented, registry-verified deal of `fen` 技术交易额 held alone as lead.
pub fn deal(id: &str, fen: i64, date: NaiveDate) -> Deal {
    Deal {
        id: id.into(),
        contract_name: format!("contract {id}"),
        contract_type: ContractType::Transfer,
        registration_no: Some(format!("REG-{id}")),
        registration_date: Some(date),
        sign_date: date,
        contract_amount: Money(fen),
        tech_transaction_amount: Some(Money(fen)),
        amount_received: Some(Money(fen)),
        role: ManagerRole::Lead,
        share: 1000,
        claimed_shares_total: 1000,
        dispute: false,
        documents: vec!["contract.pdf".into()],
        verification: Verification::RegistryVerified,
    }
}

pub fn outcome(id: &str, date: NaiveDate) -> Outcome {
    Outcome {
        id: id.into(),
        kind: OutcomeKind::CompanyFormed,
        date,
        verification: Verification::BaseVerified,
    }
}

/// A case with one review per total, split over the default rubric's criteria.
pub fn case(id: &str, totals: &[i64], date: NaiveDate) -> Case {
    let reviews = totals
        .iter()
        .map(|t| {
            // complexity 20, personal_contribution 25, professional_method 20, outcome 25,
            // reflection 10: fill in that order.
            let mut left = *t;
            [
                ("complexity", 20),
                ("personal_contribution", 25),
                ("professional_method", 20),
                ("outcome", 25),
                ("reflection", 10),
            ]
            .into_iter()
            .map(|(k, max)| {
                let v = left.min(max);
                left -= v;
                (k.to_string(), v)
            })
            .collect()
        })
        .collect();
    Case {
        id: id.into(),
        title: format!("case {id}"),
        role: ManagerRole::Lead,
        date,
        reviews,
        verification: Verification::BaseVerified,
    }
}

pub fn contribution(id: &str, kind: ContributionKind, date: NaiveDate) -> Contribution {
    Contribution {
        id: id.into(),
        kind,
        date,
        verification: Verification::BaseVerified,
    }
}
