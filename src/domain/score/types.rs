//! The score report and its ledger, as serialised by `ladder score --format json`
//! (docs/score-format.md). Enumerations are tagged with `kind` and snake_case names.

use crate::domain::evidence::{EvidenceError, ManagerRole};
use crate::domain::level::Level;
use crate::domain::quantity::{Hours, Money, Points};
use crate::domain::rules::{Dimension, Module, RuleSet};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A place in a ruleset file (`curriculum.junior.hours`); static for the paths the engine
/// names, so scoring a population does not allocate them per person.
pub type SlotPath = Cow<'static, str>;

use super::ladder::{Check, Position};
use super::title::TitleCheck;

/// The report's format; a change that breaks readers gets a new number.
pub const SCHEMA: &str = "ladder.score/1";

/// The evaluation window, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Window {
    /// The `years` years up to and including `as_of` (2021-11-27 ..= 2026-11-26 for five).
    pub fn before(as_of: NaiveDate, years: u32) -> Window {
        let start = as_of
            .checked_sub_months(Months::new(years.saturating_mul(12)))
            .unwrap_or(NaiveDate::MIN);
        Window {
            from: start.succ_opt().unwrap_or(start),
            to: as_of,
        }
    }
}

/// The ruleset a report was computed under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSetRef {
    pub id: String,
    pub version: u32,
    pub jurisdiction: String,
}

impl RuleSetRef {
    pub fn of(r: &RuleSet) -> RuleSetRef {
        RuleSetRef {
            id: r.id.clone(),
            version: r.version,
            jurisdiction: r.jurisdiction.clone(),
        }
    }
}

/// The sub-indicators of domain.md §5.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// D1a level-curriculum completion.
    Curriculum,
    /// D1b annual continuing-education compliance.
    ContinuingEducation,
    /// D2a role-weighted count of registered contracts.
    DealCount,
    /// D2b role-weighted, share-capped 技术交易额.
    DealAmount,
    /// D3a commercialisation events.
    OutcomeEvents,
    /// D3b contract performance.
    ContractPerformance,
    /// D4 case quality.
    CaseQuality,
    /// D5 professional contribution.
    Contribution,
}

impl Indicator {
    pub fn code(self) -> &'static str {
        match self {
            Indicator::Curriculum => "D1a",
            Indicator::ContinuingEducation => "D1b",
            Indicator::DealCount => "D2a",
            Indicator::DealAmount => "D2b",
            Indicator::OutcomeEvents => "D3a",
            Indicator::ContractPerformance => "D3b",
            Indicator::CaseQuality => "D4",
            Indicator::Contribution => "D5",
        }
    }

    pub fn dimension(self) -> Dimension {
        match self {
            Indicator::Curriculum | Indicator::ContinuingEducation => Dimension::Training,
            Indicator::DealCount | Indicator::DealAmount => Dimension::Deals,
            Indicator::OutcomeEvents | Indicator::ContractPerformance => Dimension::Outcomes,
            Indicator::CaseQuality => Dimension::CaseQuality,
            Indicator::Contribution => Dimension::Contribution,
        }
    }

    /// Its percent of the dimension.
    pub fn share(self, r: &RuleSet) -> i64 {
        match self {
            Indicator::Curriculum => r.d1_curriculum,
            Indicator::ContinuingEducation => r.d1_ce,
            Indicator::DealCount => r.d2_count,
            Indicator::DealAmount => r.d2_amount,
            Indicator::OutcomeEvents => r.d3_events,
            Indicator::ContractPerformance => r.d3_performance,
            Indicator::CaseQuality | Indicator::Contribution => 100,
        }
    }
}

/// What one record put into a sub-indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Input {
    Hours {
        hours: Hours,
    },
    /// A role weight in thousandths (a lead's deal counts 1.000).
    WeightedCount {
        role: ManagerRole,
        weight: i64,
    },
    /// `amount × role weight × effective share`, rounded down to the fen.
    WeightedAmount {
        amount: Money,
        role: ManagerRole,
        weight: i64,
        share: i64,
        weighted: Money,
    },
    /// Received over contract amount, in thousandths, at most 1.000.
    Received {
        received: Money,
        contract: Money,
        ratio: i64,
    },
    Points {
        points: Points,
    },
}

/// Why a record gave nothing to a sub-indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Exclusion {
    /// The record breaks a rule of the evidence format (see the report's `problems`).
    Invalid,
    Unverified,
    Rejected,
    /// Dated after the as-of date.
    AfterAsOf,
    /// Dated before the evaluation window.
    OutsideWindow,
    /// Not a module of the curriculum being measured.
    NotInCurriculum,
    /// Continuing education outside the years being measured.
    OutsideCeYears,
    /// A deal without a 技术合同登记编号.
    NotRegistered,
    /// A deal without a contract copy or registration certificate on file (gate 2).
    NoDocument,
    /// The sub-indicator's cap was already reached.
    Capped,
    /// A contract amount of zero: no ratio.
    NoContractAmount,
    /// Fewer reviewer scores than the ruleset requires.
    TooFewReviews {
        have: u32,
        need: u32,
    },
}

/// Something a reader should know about a counted record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    /// Claims on this registration number add up to more than 100%: own share scaled down.
    ShareScaled {
        own: i64,
        claimed_total: i64,
        effective: i64,
    },
    /// No registration date: the signing date placed the deal in the window.
    SigningDateUsed,
    /// Only part counted before a cap was reached.
    PartlyCapped { of: Points },
    /// Online or self-study hours above the ruleset's share: only part counted.
    OnlineCapped { of: Hours },
    /// No amount received is recorded: counted as nothing received.
    NoPaymentRecorded,
    /// A dispute or termination attributable to the service: the penalty is subtracted.
    Dispute { penalty: Points },
    /// The highest and the lowest reviewer scores were dropped.
    Trimmed { reviews: u32 },
    /// Reviews that do not match the ruleset's rubric were left out.
    ReviewsOffRubric { count: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    Counted(Input),
    Excluded(Exclusion),
}

/// One evidence record as one sub-indicator saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub record: String,
    pub effect: Effect,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

impl Item {
    pub fn counted(record: &str, input: Input) -> Item {
        Item {
            record: record.to_string(),
            effect: Effect::Counted(input),
            notes: Vec::new(),
        }
    }

    pub fn excluded(record: &str, why: Exclusion) -> Item {
        Item {
            record: record.to_string(),
            effect: Effect::Excluded(why),
            notes: Vec::new(),
        }
    }
}

/// Progress in one module of a curriculum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleProgress {
    pub module: Module,
    pub done: Hours,
    pub required: Hours,
}

/// Continuing education of one calendar year and the points it earned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeYearScore {
    pub year: i32,
    pub total: Hours,
    pub professional: Hours,
    pub points: Points,
}

/// The quantity a tier table was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TierValue {
    /// A role-weighted count in thousandths.
    Count {
        value: i64,
    },
    Amount {
        value: Money,
    },
}

/// How a sub-indicator turned its inputs into points (0–100).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// Mean over the level's modules of min(1, done / required) × 100.
    Curriculum {
        level: Level,
        modules: Vec<ModuleProgress>,
        provisional: bool,
    },
    /// Per year: 100 if total ≥ annual and professional ≥ its minimum, else
    /// 100 × min(1, total/annual) × min(1, professional/minimum); averaged over the years.
    ContinuingEducation {
        annual: Hours,
        professional: Hours,
        years: Vec<CeYearScore>,
    },
    /// The highest row of `table` whose bound the value reaches (row None: below the first).
    Tier {
        table: SlotPath,
        value: TierValue,
        row: Option<usize>,
    },
    /// So many points per counted item, capped.
    PerItem {
        each: Points,
        counted: u32,
        cap: Points,
    },
    /// 100 × mean received ratio, minus a penalty per dispute, floored at 0.
    ContractPerformance {
        deals: u32,
        mean_ratio: i64,
        disputes: u32,
        penalty: Points,
    },
    /// Mean of the scored cases (each the mean of its reviews, trimmed from `trim_from`).
    CaseMean {
        cases: u32,
        min_reviewers: u32,
        trim_from: u32,
    },
    /// Points per item by kind, teaching capped at `teaching_cap`, the sum capped at `cap`.
    Contribution { teaching_cap: Points, cap: Points },
    /// A value the ruleset does not configure ([NF]): nothing can be computed.
    NotConfigured { slot: SlotPath },
}

/// One sub-indicator: its raw score (0–100), its share of the dimension and the dimension's
/// weight, and what it adds to the dimension and to the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub indicator: Indicator,
    pub dimension: Dimension,
    /// Percent of the dimension.
    pub share: i64,
    /// The dimension's percent of the total.
    pub weight: i64,
    pub raw: Points,
    /// raw × share / 100.
    pub dimension_points: Points,
    /// raw × share × weight / 10,000: the entry's part of the total.
    pub points: Points,
    pub rule: Rule,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DimensionScore {
    pub dimension: Dimension,
    pub weight: i64,
    /// 0–100: the sum of its entries' dimension points.
    pub subscore: Points,
    /// Its part of the total.
    pub points: Points,
}

/// A hard requirement (domain.md §5.5) and whether it passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gate {
    pub gate: GateKind,
    pub passed: bool,
    /// The records behind the result (integrity entries, deals left out of D2).
    pub records: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateKind {
    /// No dishonesty or discipline record in the window; a failure blocks recommendations.
    Integrity,
    /// Every deal counted in D2 is registered, documented and verified (others are left out).
    DealEvidence,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreReport {
    pub schema: String,
    pub ruleset: RuleSetRef,
    pub as_of: NaiveDate,
    pub window: Window,
    pub dimensions: Vec<DimensionScore>,
    /// The sum of the ledger entries' points (0 when a gate blocks the score).
    pub total: Points,
    /// The gate that blocks the score (an integrity record in the window): no entry awards
    /// points; raw scores and subscores still show what the records would give. Reports
    /// stored before this field read as not blocked.
    #[serde(default)]
    pub blocked: Option<GateKind>,
    pub ledger: Vec<LedgerEntry>,
    pub gates: Vec<Gate>,
    /// Each capability level's requirements, junior first.
    pub levels: Vec<Check>,
    pub position: Position,
    /// "优秀": a flag on the report, not a level.
    pub outstanding: Check,
    pub title: TitleCheck,
    /// Some result used a placeholder value ([NF]): D1a's rule and each level's check say
    /// which.
    pub provisional: bool,
    /// Broken evidence records, left out of every sub-indicator.
    pub problems: Vec<EvidenceError>,
}

impl ScoreReport {
    pub fn dimension(&self, d: Dimension) -> Points {
        self.dimensions
            .iter()
            .find(|s| s.dimension == d)
            .map_or(Points(0), |s| s.subscore)
    }

    pub fn entry(&self, i: Indicator) -> &LedgerEntry {
        // Every report has one entry per indicator, in a fixed order.
        self.ledger
            .iter()
            .find(|e| e.indicator == i)
            .unwrap_or(&self.ledger[0])
    }

    /// The level reached: recommended now, or certified.
    pub fn level(&self) -> Option<Level> {
        self.position.reached
    }

    /// The placeholder slots behind the provisional results, each once.
    pub fn provisional_slots(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for check in &self.levels {
            for slot in &check.provisional {
                if !out.contains(&slot.as_ref()) {
                    out.push(slot);
                }
            }
        }
        out
    }
}
