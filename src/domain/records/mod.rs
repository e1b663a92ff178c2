//! A trainee's records as stored (issue 4): what the trainee entered for each kind of record,
//! the states a record passes through and the transitions between them, and how stored
//! records become the evidence the rules engine scores.
//!
//! A record is never deleted. Every change appends a version; the record's state says whether
//! the version in force counts. A verified record is read-only for the trainee: a change goes
//! through a correction request that the verifying base accepts or refuses.

use crate::domain::evidence::{
    Case, CeActivity, Contribution, Deal, Outcome, PersonEvidence, TrainingRecord, Verification,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Training,
    Ce,
    Deal,
    Case,
    Outcome,
    Contribution,
}

impl RecordKind {
    pub const ALL: [RecordKind; 6] = [
        RecordKind::Training,
        RecordKind::Ce,
        RecordKind::Deal,
        RecordKind::Case,
        RecordKind::Outcome,
        RecordKind::Contribution,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Training => "training",
            RecordKind::Ce => "ce",
            RecordKind::Deal => "deal",
            RecordKind::Case => "case",
            RecordKind::Outcome => "outcome",
            RecordKind::Contribution => "contribution",
        }
    }

    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.code() == s.trim())
    }
}

/// Where a record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Unverified,
    BaseVerified,
    RegistryVerified,
    Rejected,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Unverified,
        Status::BaseVerified,
        Status::RegistryVerified,
        Status::Rejected,
        Status::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Unverified => "unverified",
            Status::BaseVerified => "base_verified",
            Status::RegistryVerified => "registry_verified",
            Status::Rejected => "rejected",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    pub fn verified(self) -> bool {
        matches!(self, Status::BaseVerified | Status::RegistryVerified)
    }

    /// The verification the rules engine sees: a withdrawn record counts like a rejected one.
    pub fn verification(self) -> Verification {
        match self {
            Status::Unverified => Verification::Unverified,
            Status::BaseVerified => Verification::BaseVerified,
            Status::RegistryVerified => Verification::RegistryVerified,
            Status::Rejected | Status::Withdrawn => Verification::Rejected,
        }
    }
}

/// What someone does to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// The trainee changes an unverified or rejected record (a rejected one returns to the queue).
    Edit,
    /// The trainee takes back a record that is not verified.
    Withdraw,
    /// The base admin confirms the record.
    Verify,
    /// The base admin refuses the record, with a reason the trainee sees.
    Reject,
    /// The trainee proposes a change to a verified record.
    RequestCorrection,
    /// The base admin accepts the proposed change: it becomes the verified version.
    AcceptCorrection,
    /// The base admin refuses the proposed change, with a reason; the verified version stays.
    RefuseCorrection,
}

/// A transition that the record's state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{transition:?} is not allowed on a {status:?} record")]
pub struct NotAllowed {
    pub status: Status,
    pub pending_correction: bool,
    pub transition: Transition,
}

/// The state after `t`, or why it is not allowed. `pending` says whether a correction awaits
/// a decision (then the record is frozen until the base decides).
pub fn apply(status: Status, pending: bool, t: Transition) -> Result<Status, NotAllowed> {
    use Status::*;
    use Transition::*;
    let next = match (status, pending, t) {
        (Unverified | Rejected, false, Edit) => Some(Unverified),
        (Unverified | Rejected, false, Withdraw) => Some(Withdrawn),
        (Unverified, false, Verify) => Some(BaseVerified),
        (Unverified, false, Reject) => Some(Rejected),
        (BaseVerified | RegistryVerified, false, RequestCorrection) => Some(status),
        // An accepted correction was checked by the base: the registry's stamp is for the old
        // version, so the record is base-verified again.
        (BaseVerified | RegistryVerified, true, AcceptCorrection) => Some(BaseVerified),
        (BaseVerified | RegistryVerified, true, RefuseCorrection) => Some(status),
        _ => None,
    };
    next.ok_or(NotAllowed {
        status,
        pending_correction: pending,
        transition: t,
    })
}

mod entries;

pub use entries::*;

/// A record in force, as the evidence builder needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub id: i64,
    pub status: Status,
    pub entry: Entry,
    /// For a deal claim: the shares of the other verified claims on the same contract.
    pub other_verified_shares: i64,
    /// The kinds of the attached evidence files (contract, registration…).
    pub documents: Vec<String>,
    /// For a case: each reviewer's rubric scores (criterion -> points).
    pub reviews: Vec<BTreeMap<String, i64>>,
}

/// The evidence the rules engine scores: every record that is not withdrawn, with the id the
/// ledger shows (`T12`, `C3`, `D7`: the kind's letter and the record number).
pub fn evidence(profile: super::profile::Profile, records: &[Stored]) -> PersonEvidence {
    let mut ev = PersonEvidence {
        profile,
        ..PersonEvidence::default()
    };
    for r in records.iter().filter(|r| r.status != Status::Withdrawn) {
        let verification = r.status.verification();
        match &r.entry {
            Entry::Training(t) => ev.training.push(TrainingRecord {
                id: ledger_id(RecordKind::Training, r.id),
                module: t.module,
                mode: t.mode,
                hours: t.hours,
                date: t.date,
                provider: t.provider.clone(),
                cohort: t.cohort.clone(),
                verification,
            }),
            Entry::Ce(c) => ev.continuing_education.push(CeActivity {
                id: ledger_id(RecordKind::Ce, r.id),
                category: c.category,
                mode: c.mode,
                hours: c.hours,
                date: c.date,
                provider: c.provider.clone(),
                verification,
            }),
            Entry::Deal(d) => {
                let f = &d.facts;
                ev.deals.push(Deal {
                    id: ledger_id(RecordKind::Deal, r.id),
                    contract_name: f.contract_name.clone(),
                    contract_type: f.contract_type,
                    registration_no: f.registration_no.clone(),
                    registration_date: f.registration_date,
                    sign_date: f.sign_date,
                    contract_amount: f.contract_amount,
                    tech_transaction_amount: f.tech_transaction_amount,
                    amount_received: f.amount_received,
                    role: d.role,
                    share: d.share,
                    // Its own share counts as if verified: what the score would be once it is.
                    claimed_shares_total: r.other_verified_shares + d.share,
                    dispute: f.dispute,
                    documents: r.documents.clone(),
                    verification,
                })
            }
            Entry::Case(c) => ev.cases.push(Case {
                id: ledger_id(RecordKind::Case, r.id),
                title: c.title.clone(),
                role: c.role,
                date: c.date,
                reviews: r.reviews.clone(),
                verification,
            }),
            Entry::Outcome(o) => ev.outcomes.push(Outcome {
                id: ledger_id(RecordKind::Outcome, r.id),
                kind: o.event,
                date: o.date,
                verification,
            }),
            Entry::Contribution(c) => ev.contributions.push(Contribution {
                id: ledger_id(RecordKind::Contribution, r.id),
                kind: c.item.clone(),
                date: c.date,
                verification,
            }),
        }
    }
    ev
}

/// A share in thousandths as a percentage: `600` → `60`, `333` → `33.3`.
pub fn percent(share: i64) -> String {
    match share % 10 {
        0 => (share / 10).to_string(),
        tenth => format!("{}.{}", share / 10, tenth.abs()),
    }
}

/// The id a record has in the score ledger.
pub fn ledger_id(kind: RecordKind, id: i64) -> String {
    let letter = match kind {
        RecordKind::Training => "T",
        RecordKind::Ce => "C",
        RecordKind::Deal => "D",
        RecordKind::Case => "K",
        RecordKind::Outcome => "O",
        RecordKind::Contribution => "P",
    };
    format!("{letter}{id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::evidence::{ContractType, ManagerRole};
    use crate::domain::quantity::Money;
    use chrono::NaiveDate;

    #[test]
    fn shares_read_as_percentages() {
        assert_eq!(percent(600), "60");
        assert_eq!(percent(333), "33.3");
        assert_eq!(percent(1000), "100");
    }

    #[test]
    fn only_the_allowed_transitions_exist() {
        use Status::*;
        use Transition::*;
        let all = [
            Edit,
            Withdraw,
            Verify,
            Reject,
            RequestCorrection,
            AcceptCorrection,
            RefuseCorrection,
        ];
        let mut allowed = Vec::new();
        for s in Status::ALL {
            for pending in [false, true] {
                for t in all {
                    if let Ok(next) = apply(s, pending, t) {
                        allowed.push((s, pending, t, next));
                    }
                }
            }
        }
        assert_eq!(
            allowed,
            vec![
                (Unverified, false, Edit, Unverified),
                (Unverified, false, Withdraw, Withdrawn),
                (Unverified, false, Verify, BaseVerified),
                (Unverified, false, Reject, Rejected),
                (BaseVerified, false, RequestCorrection, BaseVerified),
                (BaseVerified, true, AcceptCorrection, BaseVerified),
                (BaseVerified, true, RefuseCorrection, BaseVerified),
                (RegistryVerified, false, RequestCorrection, RegistryVerified),
                (RegistryVerified, true, AcceptCorrection, BaseVerified),
                (RegistryVerified, true, RefuseCorrection, RegistryVerified),
                (Rejected, false, Edit, Unverified),
                (Rejected, false, Withdraw, Withdrawn),
            ]
        );
        // A withdrawn record is final: nothing brings it back.
        assert!(all.iter().all(|t| apply(Withdrawn, false, *t).is_err()));
    }

    fn deal(share: i64) -> Entry {
        Entry::Deal(DealEntry {
            facts: ContractFacts {
                contract_name: "固态电解质技术许可".into(),
                contract_type: ContractType::License,
                registration_no: Some("2026310104000123".into()),
                registration_date: NaiveDate::from_ymd_opt(2026, 3, 10),
                registration_authority: "上海市技术市场管理办公室".into(),
                sign_date: NaiveDate::from_ymd_opt(2026, 2, 20).unwrap(),
                contract_amount: Money::from_wan(300),
                tech_transaction_amount: Some(Money::from_wan(280)),
                amount_received: None,
                seller: "某研究所".into(),
                buyer: "某公司".into(),
                dispute: false,
            },
            role: ManagerRole::Lead,
            share,
        })
    }

    #[test]
    fn claims_see_the_other_verified_shares_and_withdrawn_records_vanish() {
        let records = vec![
            Stored {
                id: 7,
                status: Status::Unverified,
                entry: deal(600),
                other_verified_shares: 700,
                documents: vec!["contract".into()],
                reviews: vec![],
            },
            Stored {
                id: 8,
                status: Status::BaseVerified,
                entry: deal(300),
                other_verified_shares: 700,
                documents: vec![],
                reviews: vec![],
            },
            Stored {
                id: 9,
                status: Status::Withdrawn,
                entry: deal(100),
                other_verified_shares: 0,
                documents: vec![],
                reviews: vec![],
            },
        ];
        let ev = evidence(Default::default(), &records);
        assert_eq!(ev.deals.len(), 2);
        assert_eq!(ev.deals[0].id, "D7");
        assert_eq!(ev.deals[0].claimed_shares_total, 1300);
        assert_eq!(ev.deals[1].claimed_shares_total, 1000);
        assert_eq!(ev.deals[1].verification, Verification::BaseVerified);
        assert_eq!(ev.deals[0].problems(), vec![]);
    }
}
