//! The evidence a score is computed from (domain.md §7): training and continuing-education
//! records, deals (registered technology contracts), cases, outcome events and contributions.
//! Shapes that cannot be wrong are types; rules across fields are checked by `problems`, which
//! lists every problem of a record. Serialised (JSON), money is integer fen, hours integer
//! hundredths of a 学时 and shares integer thousandths, exactly as held in memory.

use super::profile::Profile;
use super::quantity::{Hours, Money};
use super::rules::Module;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Who has checked a record. Only verified records earn points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    Unverified,
    BaseVerified,
    RegistryVerified,
    Rejected,
}

impl Verification {
    pub fn counts(self) -> bool {
        matches!(
            self,
            Verification::BaseVerified | Verification::RegistryVerified
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Onsite,
    Online,
    Practicum,
    Conference,
    SelfStudy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingRecord {
    pub id: String,
    pub module: Module,
    pub mode: Mode,
    pub hours: Hours,
    pub date: NaiveDate,
    pub provider: String,
    #[serde(default)]
    pub cohort: Option<String>,
    pub verification: Verification,
}

/// 公需科目 or 专业科目.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CeCategory {
    Public,
    Professional,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeActivity {
    pub id: String,
    pub category: CeCategory,
    pub mode: Mode,
    pub hours: Hours,
    pub date: NaiveDate,
    pub provider: String,
    pub verification: Verification,
}

/// 民法典 chapter 20 contract types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractType {
    Development,
    Transfer,
    License,
    Consulting,
    Service,
}

/// The manager's role in a deal or case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManagerRole {
    Lead,
    CoLead,
    Participant,
}

/// One manager's claim on a technology contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deal {
    pub id: String,
    pub contract_name: String,
    pub contract_type: ContractType,
    /// 技术合同登记编号; None while unregistered (then it earns no D2 points).
    #[serde(default)]
    pub registration_no: Option<String>,
    #[serde(default)]
    pub registration_date: Option<NaiveDate>,
    pub sign_date: NaiveDate,
    /// 合同成交额.
    pub contract_amount: Money,
    /// 核定技术交易额, from the registry; required once registered.
    #[serde(default)]
    pub tech_transaction_amount: Option<Money>,
    /// 到账金额, for contract performance.
    #[serde(default)]
    pub amount_received: Option<Money>,
    pub role: ManagerRole,
    /// This manager's share in thousandths (1000 = 100%).
    pub share: i64,
    /// The sum of all verified claims on this registration number, in thousandths: part of
    /// the person's evidence so that shares can be capped at 100% without other people's data.
    pub claimed_shares_total: i64,
    #[serde(default)]
    pub dispute: bool,
    /// File references: the contract copy, the registration certificate, payment proof.
    #[serde(default)]
    pub documents: Vec<String>,
    pub verification: Verification,
}

/// A problem with one record, naming the record and field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{record}.{field}: {message}")]
pub struct EvidenceError {
    pub record: String,
    pub field: Cow<'static, str>,
    pub message: Cow<'static, str>,
}

impl Deal {
    /// The cross-field rules of domain.md §7.1.
    pub fn problems(&self) -> Vec<EvidenceError> {
        let mut out = Vec::new();
        let mut bad = |field, message| {
            out.push(EvidenceError {
                record: self.id.clone(),
                field: Cow::Borrowed(field),
                message: Cow::Borrowed(message),
            })
        };
        if self.contract_amount < Money(0) {
            bad("contract_amount", "cannot be negative");
        }
        if let Some(t) = self.tech_transaction_amount {
            if t < Money(0) {
                bad("tech_transaction_amount", "cannot be negative");
            }
            if t > self.contract_amount {
                bad(
                    "tech_transaction_amount",
                    "cannot exceed the contract amount",
                );
            }
        }
        if self.amount_received.is_some_and(|a| a < Money(0)) {
            bad("amount_received", "cannot be negative");
        }
        if self.registration_no.is_some() && self.tech_transaction_amount.is_none() {
            bad(
                "tech_transaction_amount",
                "is required once the contract is registered",
            );
        }
        if self
            .registration_no
            .as_deref()
            .is_some_and(|n| n.trim().is_empty())
        {
            bad(
                "registration_no",
                "cannot be blank (leave it out while unregistered)",
            );
        }
        if self.registration_no.is_none() && self.registration_date.is_some() {
            bad("registration_date", "needs a registration number");
        }
        if self.registration_date.is_some_and(|r| r < self.sign_date) {
            bad("registration_date", "cannot be before the signing date");
        }
        if !(1..=1000).contains(&self.share) {
            bad("share", "must be above 0% and at most 100%");
        }
        if self.claimed_shares_total < self.share {
            bad(
                "claimed_shares_total",
                "cannot be less than this manager's own share",
            );
        }
        out
    }

    /// `own_share × min(1, 100% / Σ shares of all verified claims)`, in thousandths, rounded
    /// down: however many managers claim one contract, the shares never exceed 100%.
    pub fn effective_share(&self) -> i64 {
        effective_share(self.share, self.claimed_shares_total)
    }

    /// The deal's date for the window: registration, else signing (domain.md §5.6), and
    /// whether the signing date stood in.
    pub fn date(&self) -> (NaiveDate, bool) {
        match self.registration_date {
            Some(d) => (d, false),
            None => (self.sign_date, true),
        }
    }
}

/// See [`Deal::effective_share`].
pub fn effective_share(own: i64, total_claimed: i64) -> i64 {
    if total_claimed <= 1000 {
        own
    } else {
        own * 1000 / total_claimed
    }
}

/// A commercialisation event (D3a).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    CompanyFormed,
    Product,
    Financing,
    LicenseIncome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub id: String,
    pub kind: OutcomeKind,
    pub date: NaiveDate,
    pub verification: Verification,
}

/// A practical case with its reviewers' rubric scores (criterion -> points).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: String,
    pub title: String,
    pub role: ManagerRole,
    pub date: NaiveDate,
    pub reviews: Vec<BTreeMap<String, i64>>,
    pub verification: Verification,
}

/// Professional contribution items (D5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ContributionKind {
    ReportAdopted,
    StandardDrafter,
    Paper,
    Teaching { hours: Hours },
    Mentoring,
    Award,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    pub id: String,
    #[serde(flatten)]
    pub kind: ContributionKind,
    pub date: NaiveDate,
    pub verification: Verification,
}

/// Everything known about one person that a ruleset scores.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonEvidence {
    pub profile: Profile,
    pub training: Vec<TrainingRecord>,
    pub continuing_education: Vec<CeActivity>,
    pub deals: Vec<Deal>,
    pub cases: Vec<Case>,
    pub outcomes: Vec<Outcome>,
    pub contributions: Vec<Contribution>,
}

impl PersonEvidence {
    /// Every problem of every record, and duplicate record ids.
    pub fn problems(&self) -> Vec<EvidenceError> {
        let mut out: Vec<EvidenceError> = self.deals.iter().flat_map(Deal::problems).collect();
        let negative = |id: &String, field, hours: Hours| {
            (hours < Hours(0)).then(|| EvidenceError {
                record: id.clone(),
                field: Cow::Borrowed(field),
                message: Cow::Borrowed("cannot be negative"),
            })
        };
        out.extend(
            self.training
                .iter()
                .filter_map(|r| negative(&r.id, "hours", r.hours)),
        );
        out.extend(
            self.continuing_education
                .iter()
                .filter_map(|r| negative(&r.id, "hours", r.hours)),
        );
        out.extend(self.contributions.iter().filter_map(|r| match r.kind {
            ContributionKind::Teaching { hours } => negative(&r.id, "hours", hours),
            _ => None,
        }));
        let ids = self
            .training
            .iter()
            .map(|r| &r.id)
            .chain(self.continuing_education.iter().map(|r| &r.id))
            .chain(self.deals.iter().map(|r| &r.id))
            .chain(self.cases.iter().map(|r| &r.id))
            .chain(self.outcomes.iter().map(|r| &r.id))
            .chain(self.contributions.iter().map(|r| &r.id));
        let mut ids: Vec<&String> = ids.collect();
        // Sorted, so the list does not depend on the order of the records.
        ids.sort_unstable();
        for pair in ids.windows(2) {
            if pair[0] == pair[1] {
                out.push(EvidenceError {
                    record: pair[1].clone(),
                    field: Cow::Borrowed("id"),
                    message: Cow::Borrowed("is used by two records"),
                });
            }
        }
        out.sort_by(|a, b| {
            (&a.record, &a.field, &a.message).cmp(&(&b.record, &b.field, &b.message))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn deal() -> Deal {
        Deal {
            id: "deal-1".into(),
            contract_name: "一种固态电解质制备技术转让".into(),
            contract_type: ContractType::Transfer,
            registration_no: Some("2026310104000123".into()),
            registration_date: Some(d(2026, 3, 10)),
            sign_date: d(2026, 2, 20),
            contract_amount: Money::from_wan(300),
            tech_transaction_amount: Some(Money::from_wan(280)),
            amount_received: Some(Money::from_wan(150)),
            role: ManagerRole::Lead,
            share: 600,
            claimed_shares_total: 600,
            dispute: false,
            documents: vec!["contract.pdf".into()],
            verification: Verification::RegistryVerified,
        }
    }

    #[test]
    fn a_consistent_deal_has_no_problems() {
        assert_eq!(deal().problems(), vec![]);
    }

    #[test]
    fn every_cross_field_problem_is_listed() {
        let bad = Deal {
            registration_date: Some(d(2026, 1, 1)),
            tech_transaction_amount: Some(Money::from_wan(400)),
            share: 0,
            ..deal()
        };
        let problems = bad.problems();
        let fields: Vec<&str> = problems.iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(
            fields,
            ["tech_transaction_amount", "registration_date", "share"]
        );
        let unregistered = Deal {
            registration_no: None,
            ..deal()
        };
        assert_eq!(unregistered.problems()[0].field, "registration_date");
        // Registered without a date is allowed: the signing date stands in, flagged.
        let undated = Deal {
            registration_date: None,
            ..deal()
        };
        assert_eq!(undated.problems(), vec![]);
        assert_eq!(undated.date(), (d(2026, 2, 20), true));
        let missing_amount = Deal {
            tech_transaction_amount: None,
            ..deal()
        };
        assert_eq!(
            missing_amount.problems()[0].message,
            "is required once the contract is registered"
        );
    }

    #[test]
    fn shares_over_a_contract_are_capped_at_one_hundred_percent() {
        assert_eq!(effective_share(600, 600), 600);
        assert_eq!(effective_share(600, 1000), 600);
        // Three managers claim 60% + 60% + 30% = 150%: each is scaled by 100/150.
        assert_eq!(effective_share(600, 1500), 400);
        assert_eq!(effective_share(300, 1500), 200);
    }

    #[test]
    fn duplicate_ids_are_reported() {
        let evidence = PersonEvidence {
            deals: vec![deal(), deal()],
            ..PersonEvidence::default()
        };
        assert_eq!(evidence.problems()[0].message, "is used by two records");
    }

    #[test]
    fn evidence_reads_from_json() {
        let json = r#"{
            "deals": [{"id": "d1", "contract_name": "许可", "contract_type": "license",
                       "sign_date": "2026-01-05", "contract_amount": 5000000, "role": "co_lead",
                       "share": 500, "claimed_shares_total": 1000, "verification": "base_verified"}],
            "contributions": [{"id": "c1", "kind": "teaching", "hours": 1200,
                               "date": "2026-03-01", "verification": "base_verified"}]
        }"#;
        let e: PersonEvidence = serde_json::from_str(json).expect("valid evidence JSON");
        assert_eq!(e.deals[0].role, ManagerRole::CoLead);
        assert_eq!(
            e.contributions[0].kind,
            ContributionKind::Teaching {
                hours: Hours::whole(12)
            }
        );
    }

    #[test]
    fn the_documented_example_reads_and_is_consistent() {
        let json = include_str!("../../examples/evidence/zhang-wei.json");
        let e: PersonEvidence = serde_json::from_str(json).expect("the example is valid JSON");
        assert_eq!(e.problems(), vec![]);
        assert_eq!(e.deals[0].effective_share(), 600);
        assert_eq!(e.training.len(), 3);
        assert_eq!(e.cases[0].reviews.len(), 3);
    }

    proptest! {
        /// However the claims on one contract are split, effective shares never pass 100%.
        #[test]
        fn effective_shares_never_sum_above_one_hundred_percent(
            shares in proptest::collection::vec(1i64..=1000, 1..6)
        ) {
            let total: i64 = shares.iter().sum();
            let effective: i64 = shares.iter().map(|s| effective_share(*s, total)).sum();
            prop_assert!(effective <= 1000);
            prop_assert!(shares.iter().all(|s| effective_share(*s, total) <= *s));
        }
    }
}
