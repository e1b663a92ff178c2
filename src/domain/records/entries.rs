//! What a trainee entered for each kind of record: the payload of a stored version.

use crate::domain::evidence::{
    CeCategory, ContractType, ContributionKind, ManagerRole, Mode, OutcomeKind,
};
use crate::domain::quantity::{Hours, Money};
use crate::domain::rules::Module;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::RecordKind;

/// A training session as the trainee (or the base, for attendance) entered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingEntry {
    pub module: Module,
    pub mode: Mode,
    pub hours: Hours,
    pub date: NaiveDate,
    pub provider: String,
    /// The catalog course, when the trainee picked one.
    #[serde(default)]
    pub course_code: Option<String>,
    pub title: String,
    #[serde(default)]
    pub cohort: Option<String>,
}

/// A continuing-education activity (公需 / 专业科目).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeEntry {
    pub category: CeCategory,
    pub mode: Mode,
    pub hours: Hours,
    pub date: NaiveDate,
    pub provider: String,
    pub title: String,
}

/// The facts of a technology contract (domain.md §7.1), shared by every claim on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractFacts {
    pub contract_name: String,
    pub contract_type: ContractType,
    #[serde(default)]
    pub registration_no: Option<String>,
    #[serde(default)]
    pub registration_date: Option<NaiveDate>,
    #[serde(default)]
    pub registration_authority: String,
    pub sign_date: NaiveDate,
    pub contract_amount: Money,
    #[serde(default)]
    pub tech_transaction_amount: Option<Money>,
    #[serde(default)]
    pub amount_received: Option<Money>,
    /// 卖方 (研究开发人 / 让与人 / 许可人 / 受托人).
    pub seller: String,
    /// 买方 (委托人 / 受让人 / 被许可人).
    pub buyer: String,
    #[serde(default)]
    pub dispute: bool,
}

/// One manager's claim on a contract: the facts as they stood, and the manager's part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealEntry {
    #[serde(flatten)]
    pub facts: ContractFacts,
    pub role: ManagerRole,
    /// Thousandths (1000 = 100%).
    pub share: i64,
}

/// The technology manager's activity chain (domain.md §7.2), and the services around it.
pub const CASE_STAGES: [&str; 10] = [
    "mining",
    "cultivation",
    "incubation",
    "maturation",
    "evaluation",
    "promotion",
    "transaction",
    "finance",
    "legal",
    "ip",
];

/// Who may read a case's narrative (commercial secrets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidentiality {
    Public,
    PanelOnly,
    Private,
}

/// A practical case (domain.md §7.2): what happened, the manager's part, and what it led to.
/// Reviewers score it on the case rubric; their scores are stored beside the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEntry {
    pub title: String,
    pub role: ManagerRole,
    /// When the case concluded.
    pub date: NaiveDate,
    /// Codes from [`CASE_STAGES`].
    pub stages: Vec<String>,
    pub narrative: String,
    pub personal_contribution: String,
    /// Registration numbers of the deals the case led to.
    #[serde(default)]
    pub linked_registration_nos: Vec<String>,
    pub confidentiality: Confidentiality,
    /// Produced during practical training (实训), so the base's instructors score it.
    pub practicum: bool,
}

/// A commercialisation event (D3a): a company incubated, a product in production, financing
/// closed, licence income received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeEntry {
    pub event: OutcomeKind,
    pub date: NaiveDate,
    pub description: String,
    /// The amount involved (financing, licence income), when there is one.
    #[serde(default)]
    pub amount: Option<Money>,
}

/// A professional contribution (D5): a report adopted, a standard drafted, a paper, teaching,
/// mentoring, an award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionEntry {
    pub item: ContributionKind,
    pub date: NaiveDate,
    pub title: String,
}

/// A stored record's content, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Entry {
    Training(TrainingEntry),
    Ce(CeEntry),
    Deal(DealEntry),
    Case(CaseEntry),
    Outcome(OutcomeEntry),
    Contribution(ContributionEntry),
}

impl Entry {
    pub fn kind(&self) -> RecordKind {
        match self {
            Entry::Training(_) => RecordKind::Training,
            Entry::Ce(_) => RecordKind::Ce,
            Entry::Deal(_) => RecordKind::Deal,
            Entry::Case(_) => RecordKind::Case,
            Entry::Outcome(_) => RecordKind::Outcome,
            Entry::Contribution(_) => RecordKind::Contribution,
        }
    }

    /// The date a list sorts and filters by.
    pub fn date(&self) -> NaiveDate {
        match self {
            Entry::Training(t) => t.date,
            Entry::Ce(c) => c.date,
            Entry::Deal(d) => d.facts.registration_date.unwrap_or(d.facts.sign_date),
            Entry::Case(c) => c.date,
            Entry::Outcome(o) => o.date,
            Entry::Contribution(c) => c.date,
        }
    }
}
