//! Ruleset files (TOML) into [`RuleSet`]. The file format is documented in
//! `rulesets/shanghai-default.toml`, which is also the shipped default. Loading reports every
//! problem at once: TOML syntax (with line and column), every unknown key, every value that
//! does not parse, and every broken invariant from [`RuleSet::problems`].

use crate::domain::eligibility::{Education, TitleEligibilityRule};
use crate::domain::level::Level;
use crate::domain::quantity::{Hours, Money, Points, parse_decimal};
use crate::domain::rules::{
    Dimension, Gates, LevelCurriculum, Module, RoleWeights, RuleSet, RuleSetError, Slot, Threshold,
    TitleMinimums,
};
use crate::domain::tiers::{Tier, TierTable};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Numbers people write with decimals ("0.6", "12.5") are strings or numbers in the file.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Decimal {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Decimal {
    fn text(&self) -> String {
        match self {
            Decimal::Int(i) => i.to_string(),
            // TOML floats print back as written for the values rulesets use (0.6, 12.5).
            Decimal::Float(f) => f.to_string(),
            Decimal::Text(s) => s.clone(),
        }
    }
}

/// An [NF] slot: a value (`48`), a provisional placeholder (`{ placeholder = 48 }`), or
/// absent (not configured).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum SlotFile {
    Placeholder { placeholder: Decimal },
    Value(Decimal),
}

fn slot<T>(
    path: &str,
    s: &Option<SlotFile>,
    parse: impl Fn(&str) -> Result<T, String>,
    errors: &mut Vec<RuleSetError>,
) -> Slot<T> {
    let (raw, placeholder) = match s {
        None => return Slot::NotConfigured,
        Some(SlotFile::Placeholder { placeholder }) => (placeholder, true),
        Some(SlotFile::Value(v)) => (v, false),
    };
    match parse(&raw.text()) {
        Ok(v) if placeholder => Slot::Placeholder(v),
        Ok(v) => Slot::Set(v),
        Err(e) => {
            errors.push(invalid(path, e));
            Slot::NotConfigured
        }
    }
}

#[derive(Debug, Deserialize)]
struct GatesFile {
    integrity: bool,
    deal_documents: bool,
}

impl Default for GatesFile {
    fn default() -> Self {
        GatesFile {
            integrity: true,
            deal_documents: true,
        }
    }
}

#[derive(Debug, Deserialize)]
struct File {
    meta: Meta,
    window: Window,
    weights: BTreeMap<Dimension, i64>,
    training: Training,
    curriculum: BTreeMap<Level, Curriculum>,
    roles: Roles,
    deals: Deals,
    outcomes: Outcomes,
    case_quality: CaseQuality,
    contribution: Contribution,
    levels: BTreeMap<Level, ThresholdFile>,
    outstanding: ThresholdFile,
    title_prescreen: ThresholdFile,
    title_eligibility: TitleEligibilityFile,
    #[serde(default)]
    title_minimums: TitleMinimumsFile,
    #[serde(default)]
    gates: GatesFile,
}

#[derive(Debug, Deserialize)]
struct Meta {
    id: String,
    version: u32,
    jurisdiction: String,
    name: String,
}

#[derive(Debug, Deserialize)]
struct Window {
    years: u32,
}

#[derive(Debug, Deserialize)]
struct Training {
    curriculum: i64,
    continuing_education: i64,
    ce_annual_hours: Decimal,
    ce_professional_hours: Decimal,
    minutes_per_hour: Option<SlotFile>,
    max_online_share: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct Curriculum {
    modules: Given<Vec<String>>,
    hours: Option<SlotFile>,
    practicum_hours: Option<SlotFile>,
    education: Option<SlotFile>,
    practice_years: Option<Given<u32>>,
}

/// A value that always has one, written plainly or as `{ placeholder = … }` when no public
/// source gave it ([NF]): used, and every result depending on it is provisional.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Given<T> {
    Placeholder { placeholder: T },
    Value(T),
}

impl<T: Clone> Given<T> {
    /// The value, and whether it is a placeholder.
    fn split(&self) -> (T, bool) {
        match self {
            Given::Placeholder { placeholder } => (placeholder.clone(), true),
            Given::Value(v) => (v.clone(), false),
        }
    }
}

#[derive(Debug, Deserialize)]
struct Roles {
    lead: Decimal,
    co_lead: Decimal,
    participant: Decimal,
}

#[derive(Debug, Deserialize)]
struct TierFile {
    from: Decimal,
    points: i64,
}

#[derive(Debug, Deserialize)]
struct Deals {
    count: i64,
    amount: i64,
    count_tiers: Vec<TierFile>,
    /// Bounds in 万元.
    amount_tiers_wan: Vec<TierFile>,
}

#[derive(Debug, Deserialize)]
struct Outcomes {
    events: i64,
    performance: i64,
    points_per_event: i64,
    /// D3a's cap (whole points); 100 unless the file says otherwise.
    #[serde(default = "hundred")]
    events_cap: i64,
    dispute_penalty: i64,
}

fn hundred() -> i64 {
    100
}

#[derive(Debug, Deserialize)]
struct CaseQuality {
    rubric: BTreeMap<String, i64>,
    min_reviewers: u32,
    trim_from_reviewers: u32,
}

#[derive(Debug, Deserialize)]
struct Contribution {
    points: BTreeMap<String, i64>,
    teaching_cap: i64,
    /// The cap on D5's sum (whole points); 100 unless the file says otherwise.
    #[serde(default = "hundred")]
    cap: i64,
}

#[derive(Debug, Deserialize)]
struct ThresholdFile {
    min_total: i64,
    #[serde(default)]
    floors: BTreeMap<Dimension, i64>,
}

#[derive(Debug, Deserialize)]
struct TitleEligibilityFile {
    years_after_intermediate: BTreeMap<String, u32>,
    ce_years: u32,
    social_insurance_months: u32,
}

#[derive(Debug, Default, Deserialize)]
struct TitleMinimumsFile {
    registered_deals: Option<i64>,
    tech_transaction_wan: Option<Decimal>,
    cases: Option<i64>,
    reports: Option<i64>,
}

/// Everything wrong with a ruleset file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct RuleSetFileErrors(pub Vec<RuleSetError>);

fn invalid(path: &str, message: impl ToString) -> RuleSetError {
    RuleSetError::Invalid {
        path: path.to_string(),
        message: message.to_string(),
    }
}

/// Parses and checks a ruleset file.
pub fn parse(text: &str) -> Result<RuleSet, RuleSetFileErrors> {
    let mut unknown = Vec::new();
    let de = toml::Deserializer::parse(text)
        .map_err(|e| RuleSetFileErrors(vec![invalid("file", e.to_string().trim())]))?;
    let file: File = serde_ignored::deserialize(de, |path| unknown.push(path.to_string()))
        .map_err(|e| RuleSetFileErrors(vec![invalid("file", e.to_string().trim())]))?;
    let mut errors: Vec<RuleSetError> = unknown
        .into_iter()
        .map(|path| invalid(&path, "unknown key"))
        .collect();
    let rules = convert(file, &mut errors);
    errors.extend(rules.problems());
    if errors.is_empty() {
        Ok(rules)
    } else {
        Err(RuleSetFileErrors(errors))
    }
}

fn hours(path: &str, d: &Decimal, errors: &mut Vec<RuleSetError>) -> Hours {
    Hours::parse(&d.text()).unwrap_or_else(|e| {
        errors.push(invalid(path, e));
        Hours(0)
    })
}

fn hours_slot(path: &str, s: &Option<SlotFile>, errors: &mut Vec<RuleSetError>) -> Slot<Hours> {
    slot(
        path,
        s,
        |t| Hours::parse(t).map_err(|e| e.to_string()),
        errors,
    )
}

/// A decimal like "0.6" in thousandths (600).
fn milli(path: &str, d: &Decimal, errors: &mut Vec<RuleSetError>) -> i64 {
    parse_decimal(&d.text(), 3).unwrap_or_else(|e| {
        errors.push(invalid(path, e));
        0
    })
}

fn tiers<T: Copy + Ord + Default>(
    path: &str,
    rows: &[TierFile],
    bound: impl Fn(&str, &Decimal, &mut Vec<RuleSetError>) -> T,
    errors: &mut Vec<RuleSetError>,
) -> TierTable<T> {
    let rows: Vec<Tier<T>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| Tier {
            from: bound(&format!("{path}[{}].from", i + 1), &r.from, errors),
            // Out-of-range points are reported by the table check; keep them representable.
            points: Points::whole(r.points.clamp(-1, 101)),
        })
        .collect();
    TierTable::new(rows).unwrap_or_else(|problems| {
        errors.extend(problems.into_iter().map(|p| invalid(path, p)));
        // A stand-in so the rest of the file is still checked; the error above already
        // makes the whole load fail.
        TierTable::zero()
    })
}

fn threshold(t: ThresholdFile) -> Threshold {
    Threshold {
        min_total: t.min_total,
        floors: t.floors,
    }
}

fn convert(f: File, errors: &mut Vec<RuleSetError>) -> RuleSet {
    let count_tiers = tiers("deals.count_tiers", &f.deals.count_tiers, milli, errors);
    let amount_tiers = tiers(
        "deals.amount_tiers_wan",
        &f.deals.amount_tiers_wan,
        |path, d, errors| {
            Money::parse_wan(&d.text()).unwrap_or_else(|e| {
                errors.push(invalid(path, e));
                Money(0)
            })
        },
        errors,
    );
    let mut min_years = Vec::new();
    for (name, years) in &f.title_eligibility.years_after_intermediate {
        let Some(education) = Education::parse(name).filter(|e| *e != Education::Other) else {
            errors.push(invalid(
                &format!("title_eligibility.years_after_intermediate.{name}"),
                "unknown education (doctorate, master, bachelor, associate)",
            ));
            continue;
        };
        min_years.push((education, *years));
    }
    let tech_transaction_amount = f.title_minimums.tech_transaction_wan.as_ref().map(|d| {
        Money::parse_wan(&d.text()).unwrap_or_else(|e| {
            errors.push(invalid("title_minimums.tech_transaction_wan", e));
            Money(0)
        })
    });
    let curricula = f
        .curriculum
        .iter()
        .map(|(level, c)| {
            let path = format!("curriculum.{}", level.code());
            let (names, modules_placeholder) = c.modules.split();
            let modules = names
                .iter()
                .filter_map(|name| {
                    let m = Module::parse(name);
                    if m.is_none() {
                        errors.push(invalid(
                            &format!("{path}.modules"),
                            format!(
                                "unknown module `{name}` (public_knowledge, policy_law, practice_skills, capability)"
                            ),
                        ));
                    }
                    m
                })
                .collect();
            let (practice_years, practice_years_placeholder) =
                c.practice_years.as_ref().map_or((0, false), Given::split);
            (
                *level,
                LevelCurriculum {
                    modules,
                    modules_placeholder,
                    hours: hours_slot(&format!("{path}.hours"), &c.hours, errors),
                    practicum_hours: hours_slot(
                        &format!("{path}.practicum_hours"),
                        &c.practicum_hours,
                        errors,
                    ),
                    education: slot(
                        &format!("{path}.education"),
                        &c.education,
                        |t| {
                            Education::parse(t).ok_or_else(|| {
                                format!("unknown education `{t}` (doctorate, master, bachelor, associate, other)")
                            })
                        },
                        errors,
                    ),
                    practice_years,
                    practice_years_placeholder,
                },
            )
        })
        .collect();
    let ce_annual = hours(
        "training.ce_annual_hours",
        &f.training.ce_annual_hours,
        errors,
    );
    let ce_professional = hours(
        "training.ce_professional_hours",
        &f.training.ce_professional_hours,
        errors,
    );
    RuleSet {
        id: f.meta.id,
        version: f.meta.version,
        jurisdiction: f.meta.jurisdiction,
        name: f.meta.name,
        window_years: f.window.years,
        weights: f.weights,
        d1_curriculum: f.training.curriculum,
        d1_ce: f.training.continuing_education,
        ce_annual,
        ce_professional,
        minutes_per_hour: slot(
            "training.minutes_per_hour",
            &f.training.minutes_per_hour,
            |t| {
                t.parse::<u32>()
                    .map_err(|_| format!("`{t}` is not a whole number of minutes"))
            },
            errors,
        ),
        max_online_share: f.training.max_online_share,
        gates: Gates {
            integrity: f.gates.integrity,
            deal_documents: f.gates.deal_documents,
        },
        curricula,
        roles: RoleWeights {
            lead: milli("roles.lead", &f.roles.lead, errors),
            co_lead: milli("roles.co_lead", &f.roles.co_lead, errors),
            participant: milli("roles.participant", &f.roles.participant, errors),
        },
        d2_count: f.deals.count,
        d2_amount: f.deals.amount,
        count_tiers,
        amount_tiers,
        d3_events: f.outcomes.events,
        d3_performance: f.outcomes.performance,
        points_per_event: f.outcomes.points_per_event,
        events_cap: f.outcomes.events_cap,
        dispute_penalty: f.outcomes.dispute_penalty,
        case_rubric: f.case_quality.rubric,
        min_reviewers: f.case_quality.min_reviewers,
        trim_from_reviewers: f.case_quality.trim_from_reviewers,
        contribution_points: f.contribution.points,
        teaching_cap: f.contribution.teaching_cap,
        contribution_cap: f.contribution.cap,
        levels: f
            .levels
            .into_iter()
            .map(|(l, t)| (l, threshold(t)))
            .collect(),
        outstanding: threshold(f.outstanding),
        title_prescreen: threshold(f.title_prescreen),
        title_eligibility: TitleEligibilityRule {
            min_years,
            ce_years: f.title_eligibility.ce_years,
            // Eligibility's continuing-education rule is the ruleset's.
            ce_annual,
            ce_professional,
            social_insurance_months: f.title_eligibility.social_insurance_months,
        },
        title_minimums: TitleMinimums {
            registered_deals: f.title_minimums.registered_deals,
            tech_transaction_amount,
            cases: f.title_minimums.cases,
            reports: f.title_minimums.reports,
        },
    }
}

#[cfg(test)]
mod tests;
