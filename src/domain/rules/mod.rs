//! Rulesets: the weights, tiers and thresholds of an evaluation, as data (domain.md §5). A
//! ruleset is versioned per jurisdiction; once activated or used by a stored score it never
//! changes (a change is a new version). Values no public source gave are `None` slots that
//! show as "not configured" instead of an invented number.
//!
//! [`RuleSet::problems`] checks the invariants the formulas rely on and lists every problem.

mod check;

use super::eligibility::{Education, TitleEligibilityRule};
use super::level::Level;
use super::quantity::{Hours, Money};
use super::tiers::TierTable;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The five dimensions of the default rubric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Training,
    Deals,
    Outcomes,
    CaseQuality,
    Contribution,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Training,
        Dimension::Deals,
        Dimension::Outcomes,
        Dimension::CaseQuality,
        Dimension::Contribution,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Dimension::Training => "training",
            Dimension::Deals => "deals",
            Dimension::Outcomes => "outcomes",
            Dimension::CaseQuality => "case_quality",
            Dimension::Contribution => "contribution",
        }
    }
}

/// The four training modules (domain.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Module {
    PublicKnowledge,
    PolicyLaw,
    PracticeSkills,
    Capability,
}

impl Module {
    pub const ALL: [Module; 4] = [
        Module::PublicKnowledge,
        Module::PolicyLaw,
        Module::PracticeSkills,
        Module::Capability,
    ];

    /// The module with this code (`policy_law`, …), as files and forms write it.
    pub fn parse(code: &str) -> Option<Module> {
        Module::ALL.into_iter().find(|m| m.code() == code.trim())
    }

    /// Its position in [`Module::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn code(self) -> &'static str {
        match self {
            Module::PublicKnowledge => "public_knowledge",
            Module::PolicyLaw => "policy_law",
            Module::PracticeSkills => "practice_skills",
            Module::Capability => "capability",
        }
    }
}

/// A value no public source gave ([NF] in domain.md): not configured, a provisional
/// placeholder (used, but every result that depends on it says so), or set by the authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "value")]
pub enum Slot<T> {
    #[default]
    NotConfigured,
    Placeholder(T),
    Set(T),
}

impl<T: Copy> Slot<T> {
    pub fn value(self) -> Option<T> {
        match self {
            Slot::NotConfigured => None,
            Slot::Placeholder(v) | Slot::Set(v) => Some(v),
        }
    }

    pub fn is_placeholder(self) -> bool {
        matches!(self, Slot::Placeholder(_))
    }
}

/// What one level of the capability ladder requires (domain.md §4.1 and gate 3 of §5.5): the
/// modules and hours of its curriculum, the education floor and the years in practice. The
/// previous level's certificate is always required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCurriculum {
    pub modules: Vec<Module>,
    /// The module set is a provisional placeholder ([NF]: which modules apply at the junior
    /// level): results that depend on it say so.
    #[serde(default)]
    pub modules_placeholder: bool,
    pub hours: Slot<Hours>,
    pub practicum_hours: Slot<Hours>,
    /// Not configured means no education floor.
    pub education: Slot<Education>,
    pub practice_years: u32,
    /// The years in practice are a provisional placeholder ([NF]: the intermediate level's
    /// minimum practice time).
    #[serde(default)]
    pub practice_years_placeholder: bool,
}

/// Gates (domain.md §5.5) that a ruleset may switch off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gates {
    /// A dishonesty or discipline record in the window blocks every recommendation.
    pub integrity: bool,
    /// A deal counts in D2 only with a contract copy or registration certificate on file.
    pub deal_documents: bool,
}

/// Role weights in thousandths (1000 = 1.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleWeights {
    pub lead: i64,
    pub co_lead: i64,
    pub participant: i64,
}

/// A recommendation threshold: an overall score and per-dimension floors, in whole points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threshold {
    pub min_total: i64,
    pub floors: BTreeMap<Dimension, i64>,
}

/// The Shanghai senior-title performance minima: none was found in a public source ([NF]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TitleMinimums {
    pub registered_deals: Option<i64>,
    pub tech_transaction_amount: Option<Money>,
    pub cases: Option<i64>,
    pub reports: Option<i64>,
}

/// A ruleset. Files are read (and every invariant checked) by `import::ruleset::parse`; the
/// JSON form is how the server hands a ruleset it loaded to the browser's what-if panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    pub id: String,
    pub version: u32,
    pub jurisdiction: String,
    pub name: String,
    pub window_years: u32,
    /// Percent per dimension; sums to 100.
    pub weights: BTreeMap<Dimension, i64>,
    /// D1: curriculum completion and continuing-education shares (sum 100).
    pub d1_curriculum: i64,
    pub d1_ce: i64,
    pub ce_annual: Hours,
    pub ce_professional: Hours,
    /// Minutes in one 学时 ([NF]; 45 is the product default).
    pub minutes_per_hour: Slot<u32>,
    /// At most this percent of the annual CE requirement may be online or self-study (RTTP's
    /// face-to-face rule); None: no cap.
    pub max_online_share: Option<i64>,
    pub gates: Gates,
    pub curricula: BTreeMap<Level, LevelCurriculum>,
    pub roles: RoleWeights,
    /// D2: count and amount shares (sum 100) and their tiers (count in thousandths).
    pub d2_count: i64,
    pub d2_amount: i64,
    pub count_tiers: TierTable<i64>,
    pub amount_tiers: TierTable<Money>,
    /// D3: events and contract-performance shares (sum 100).
    pub d3_events: i64,
    pub d3_performance: i64,
    pub points_per_event: i64,
    /// D3a's cap in whole points (domain.md: "capped at 100").
    pub events_cap: i64,
    pub dispute_penalty: i64,
    /// D4: the case-report rubric, criterion -> points (sum 100).
    pub case_rubric: BTreeMap<String, i64>,
    pub min_reviewers: u32,
    pub trim_from_reviewers: u32,
    /// D5: points per contribution kind, and the caps.
    pub contribution_points: BTreeMap<String, i64>,
    pub teaching_cap: i64,
    /// D5's cap on the sum, in whole points (domain.md §5.4: "capped at 100").
    pub contribution_cap: i64,
    pub levels: BTreeMap<Level, Threshold>,
    pub outstanding: Threshold,
    pub title_prescreen: Threshold,
    pub title_eligibility: TitleEligibilityRule,
    pub title_minimums: TitleMinimums,
}

/// One reason a ruleset is unusable. `path` names the place in the file (e.g. `weights`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum RuleSetError {
    #[error("{path}: the parts sum to {sum}, not 100")]
    NotHundred { path: String, sum: i64 },
    #[error("{path}: {value} is outside {min}..={max}")]
    OutOfRange {
        path: String,
        value: i64,
        min: i64,
        max: i64,
    },
    #[error("{path}: missing")]
    Missing { path: String },
    #[error("{path}: role weights must satisfy lead >= co_lead >= participant")]
    RoleOrder { path: String },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// Parts of a whole: each within 0–100 and together exactly 100.
/// The per-level curriculum values that may be [NF] slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurriculumField {
    Hours,
    PracticumHours,
    Education,
    Modules,
    PracticeYears,
}

/// The file path of a curriculum slot (`curriculum.junior.hours`), without allocating: reports
/// name these paths for every person scored.
pub fn curriculum_path(level: Level, field: CurriculumField) -> &'static str {
    use CurriculumField::*;
    match (level, field) {
        (Level::JuniorBroker, Hours) => "curriculum.junior.hours",
        (Level::JuniorBroker, PracticumHours) => "curriculum.junior.practicum_hours",
        (Level::JuniorBroker, Education) => "curriculum.junior.education",
        (Level::IntermediateBroker, Hours) => "curriculum.intermediate.hours",
        (Level::IntermediateBroker, PracticumHours) => "curriculum.intermediate.practicum_hours",
        (Level::IntermediateBroker, Education) => "curriculum.intermediate.education",
        (Level::SeniorManager, Hours) => "curriculum.senior.hours",
        (Level::SeniorManager, PracticumHours) => "curriculum.senior.practicum_hours",
        (Level::SeniorManager, Education) => "curriculum.senior.education",
        (Level::JuniorBroker, Modules) => "curriculum.junior.modules",
        (Level::IntermediateBroker, Modules) => "curriculum.intermediate.modules",
        (Level::SeniorManager, Modules) => "curriculum.senior.modules",
        (Level::JuniorBroker, PracticeYears) => "curriculum.junior.practice_years",
        (Level::IntermediateBroker, PracticeYears) => "curriculum.intermediate.practice_years",
        (Level::SeniorManager, PracticeYears) => "curriculum.senior.practice_years",
    }
}

/// The paths of the senior-title performance minima, in report order.
pub const TITLE_MINIMUM_PATHS: [&str; 4] = [
    "title_minimums.registered_deals",
    "title_minimums.tech_transaction_wan",
    "title_minimums.cases",
    "title_minimums.reports",
];

/// The contribution kinds a ruleset prices (domain.md §5.4), as named in the file.
pub const CONTRIBUTION_KINDS: [&str; 6] = [
    "report_adopted",
    "standard_drafter",
    "paper",
    "teaching_per_hour",
    "mentoring",
    "award",
];

impl RuleSet {
    /// The [NF] slots by path: those not configured, and those holding a placeholder.
    fn slots(&self) -> Vec<(&'static str, bool, bool)> {
        let mut out = vec![(
            "training.minutes_per_hour",
            self.minutes_per_hour.value().is_none(),
            self.minutes_per_hour.is_placeholder(),
        )];
        for (level, c) in &self.curricula {
            out.push((
                curriculum_path(*level, CurriculumField::Hours),
                c.hours.value().is_none(),
                c.hours.is_placeholder(),
            ));
            out.push((
                curriculum_path(*level, CurriculumField::PracticumHours),
                c.practicum_hours.value().is_none(),
                c.practicum_hours.is_placeholder(),
            ));
            // No education floor is a valid rule (the higher levels require the previous
            // certificate instead), so only a placeholder is reported.
            out.push((
                curriculum_path(*level, CurriculumField::Education),
                false,
                c.education.is_placeholder(),
            ));
            // The module set and the years in practice always hold a value.
            out.push((
                curriculum_path(*level, CurriculumField::Modules),
                false,
                c.modules_placeholder,
            ));
            out.push((
                curriculum_path(*level, CurriculumField::PracticeYears),
                false,
                c.practice_years_placeholder,
            ));
        }
        out
    }

    /// Slots holding a provisional placeholder, by path: results that use them say so.
    pub fn placeholders(&self) -> Vec<&'static str> {
        self.slots()
            .into_iter()
            .filter(|s| s.2)
            .map(|s| s.0)
            .collect()
    }

    /// Slots no public source filled, by path, for "not configured" displays.
    pub fn unconfigured(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = self
            .slots()
            .into_iter()
            .filter(|s| s.1)
            .map(|s| s.0)
            .collect();
        let m = &self.title_minimums;
        for (path, missing) in [
            (TITLE_MINIMUM_PATHS[0], m.registered_deals.is_none()),
            (TITLE_MINIMUM_PATHS[1], m.tech_transaction_amount.is_none()),
            (TITLE_MINIMUM_PATHS[2], m.cases.is_none()),
            (TITLE_MINIMUM_PATHS[3], m.reports.is_none()),
        ] {
            if missing {
                out.push(path);
            }
        }
        out
    }
}
