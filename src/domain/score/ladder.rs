//! The capability ladder (domain.md §4.1): each level's requirements and the person's position
//! with a gap list for the next level. Requirements are structured; `explain` words them. The
//! title ladder is in `title.rs`.

use super::training::required_per_module;
use super::{Ctx, DimensionScore, Gate, GateKind, Indicator, LedgerEntry, SlotPath, TierValue};
use crate::domain::eligibility::{self, Education};
use crate::domain::evidence::PersonEvidence;
use crate::domain::level::Level;
use crate::domain::quantity::{Hours, Money, Points};
use crate::domain::rules::{CurriculumField, Dimension, Module, Threshold, curriculum_path};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// One condition of a level, the outstanding flag or the title pre-screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Requirement {
    /// The previous level's certificate.
    Certificate {
        level: Level,
    },
    /// Whole years in practice; `met_on` is the first day they are reached.
    PracticeYears {
        needs: u32,
        has: u32,
        met_on: Option<NaiveDate>,
    },
    Education {
        needs: Education,
        has: Option<Education>,
    },
    /// No dishonesty or discipline record in the window (gate 1).
    Integrity,
    ModuleHours {
        module: Module,
        needs: Hours,
        has: Hours,
    },
    PracticumHours {
        needs: Hours,
        has: Hours,
    },
    /// A slot the requirement needs is not configured.
    NotConfigured {
        slot: SlotPath,
    },
    Total {
        needs: Points,
        has: Points,
    },
    Floor {
        dimension: Dimension,
        needs: Points,
        has: Points,
    },
}

impl Requirement {
    /// The same condition, whatever the values (a module's hours, a dimension's floor).
    pub fn same_condition(&self, other: &Requirement) -> bool {
        use Requirement::*;
        match (self, other) {
            (Certificate { level: a }, Certificate { level: b }) => a == b,
            (ModuleHours { module: a, .. }, ModuleHours { module: b, .. }) => a == b,
            (Floor { dimension: a, .. }, Floor { dimension: b, .. }) => a == b,
            (NotConfigured { slot: a }, NotConfigured { slot: b }) => a == b,
            _ => std::mem::discriminant(self) == std::mem::discriminant(other),
        }
    }
}

/// A list of requirements and whether each is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// The level checked (None for the outstanding flag and the title pre-screen).
    pub level: Option<Level>,
    pub met: bool,
    pub requirements: Vec<(Requirement, bool)>,
    /// Placeholder slots the check used.
    pub provisional: Vec<SlotPath>,
}

impl Check {
    fn new(
        level: Option<Level>,
        requirements: Vec<(Requirement, bool)>,
        provisional: Vec<SlotPath>,
    ) -> Check {
        Check {
            level,
            met: requirements.iter().all(|(_, ok)| *ok),
            requirements,
            provisional,
        }
    }

    pub fn unmet(&self) -> impl Iterator<Item = &Requirement> {
        self.requirements
            .iter()
            .filter(|(_, ok)| !ok)
            .map(|(r, _)| r)
    }
}

/// A concrete way to close a score gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Hint {
    /// This many more registered deals as lead reach the next count tier.
    LeadDeals { more: i64, points: Points },
    /// This much more 技术交易额 as sole lead reaches the next amount tier.
    Amount { more: Money, points: Points },
}

/// Where a person stands on the capability ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// The highest certificate held.
    pub held: Option<Level>,
    /// Recommended now, else the certificate held.
    pub reached: Option<Level>,
    pub next: Option<Level>,
    /// The next level's unmet requirements.
    pub gaps: Vec<Requirement>,
    pub hints: Vec<Hint>,
}

/// The level after `held` (junior when none is held).
pub(crate) fn after(held: Option<Level>) -> Option<Level> {
    match held {
        None => Some(Level::JuniorBroker),
        Some(Level::JuniorBroker) => Some(Level::IntermediateBroker),
        Some(Level::IntermediateBroker) => Some(Level::SeniorManager),
        Some(Level::SeniorManager) => None,
    }
}

fn before(level: Level) -> Option<Level> {
    Level::ALL.into_iter().rev().find(|l| *l < level)
}

/// Gate 1: integrity records in the window.
pub(crate) fn integrity(ctx: &Ctx, ev: &PersonEvidence) -> Gate {
    let mut records: Vec<String> = ev
        .profile
        .integrity_records
        .iter()
        .filter(|r| r.date >= ctx.window.from && r.date <= ctx.as_of)
        .map(|r| format!("{} {}", r.date, r.note))
        .collect();
    records.sort();
    Gate {
        gate: GateKind::Integrity,
        passed: !ctx.rules.gates.integrity || records.is_empty(),
        records,
    }
}

fn score_requirements(
    t: &Threshold,
    dims: &[DimensionScore],
    total: Points,
) -> Vec<(Requirement, bool)> {
    let needs = Points::whole(t.min_total);
    let mut out = vec![(Requirement::Total { needs, has: total }, total >= needs)];
    for (d, floor) in &t.floors {
        let has = dims
            .iter()
            .find(|s| s.dimension == *d)
            .map_or(Points(0), |s| s.subscore);
        let needs = Points::whole(*floor);
        out.push((
            Requirement::Floor {
                dimension: *d,
                needs,
                has,
            },
            has >= needs,
        ));
    }
    out
}

/// A score threshold with the integrity gate (the outstanding flag).
pub(crate) fn threshold_check(
    t: &Threshold,
    dims: &[DimensionScore],
    total: Points,
    integrity: bool,
) -> Check {
    let mut reqs = vec![(Requirement::Integrity, integrity)];
    reqs.extend(score_requirements(t, dims, total));
    Check::new(None, reqs, Vec::new())
}

/// Everything `level` requires (domain.md §4.1, §5.5), in the order a trainee acts on it.
pub(crate) fn level_check(
    ctx: &Ctx,
    ev: &PersonEvidence,
    level: Level,
    dims: &[DimensionScore],
    total: Points,
    integrity: &Gate,
) -> Check {
    let mut reqs = Vec::new();
    let mut provisional = Vec::new();
    let held = ev.profile.certified(ctx.as_of);
    if let Some(prev) = before(level) {
        reqs.push((Requirement::Certificate { level: prev }, held >= Some(prev)));
    }
    let Some(c) = ctx.rules.curricula.get(&level) else {
        return Check::new(Some(level), reqs, provisional);
    };
    if c.practice_years > 0 {
        if c.practice_years_placeholder {
            provisional.push(Cow::Borrowed(curriculum_path(
                level,
                CurriculumField::PracticeYears,
            )));
        }
        let since = ev.profile.practice_since;
        let has = since.map_or(0, |s| eligibility::whole_years(s, ctx.as_of));
        let met_on = since.map(|s| eligibility::add_years(s, c.practice_years));
        reqs.push((
            Requirement::PracticeYears {
                needs: c.practice_years,
                has,
                met_on,
            },
            has >= c.practice_years,
        ));
    }
    if let Some(needs) = c.education.value() {
        if c.education.is_placeholder() {
            provisional.push(Cow::Borrowed(curriculum_path(
                level,
                CurriculumField::Education,
            )));
        }
        let has = ev.profile.education;
        reqs.push((
            Requirement::Education { needs, has },
            has.is_some_and(|e| e.meets(needs)),
        ));
    }
    if ctx.rules.gates.integrity {
        reqs.push((Requirement::Integrity, integrity.passed));
    }
    let practicum = ctx.practicum_hours;
    match required_per_module(ctx, level) {
        None => reqs.push((
            Requirement::NotConfigured {
                slot: Cow::Borrowed(curriculum_path(level, CurriculumField::Hours)),
            },
            false,
        )),
        Some(needs) => {
            if c.hours.is_placeholder() {
                provisional.push(Cow::Borrowed(curriculum_path(
                    level,
                    CurriculumField::Hours,
                )));
            }
            if c.modules_placeholder {
                provisional.push(Cow::Borrowed(curriculum_path(
                    level,
                    CurriculumField::Modules,
                )));
            }
            for m in &c.modules {
                let has = ctx.module_hours[m.index()];
                reqs.push((
                    Requirement::ModuleHours {
                        module: *m,
                        needs,
                        has,
                    },
                    has >= needs,
                ));
            }
        }
    }
    match c.practicum_hours {
        crate::domain::rules::Slot::NotConfigured => reqs.push((
            Requirement::NotConfigured {
                slot: Cow::Borrowed(curriculum_path(level, CurriculumField::PracticumHours)),
            },
            false,
        )),
        slot => {
            let needs = slot.value().unwrap_or_default();
            if slot.is_placeholder() {
                provisional.push(Cow::Borrowed(curriculum_path(
                    level,
                    CurriculumField::PracticumHours,
                )));
            }
            if needs > Hours(0) {
                reqs.push((
                    Requirement::PracticumHours {
                        needs,
                        has: practicum,
                    },
                    practicum >= needs,
                ));
            }
        }
    }
    if let Some(t) = ctx.rules.levels.get(&level) {
        reqs.extend(score_requirements(t, dims, total));
    }
    Check::new(Some(level), reqs, provisional)
}

/// The person's position and the gap list for the next level.
pub(crate) fn position(
    ctx: &Ctx,
    held: Option<Level>,
    levels: &[Check],
    ledger: &[LedgerEntry],
) -> Position {
    let check = |l: Level| levels.iter().find(|c| c.level == Some(l));
    let target = after(held);
    let reached = match target.and_then(check) {
        Some(c) if c.met => target,
        _ => held,
    };
    let next = after(reached);
    let gaps: Vec<Requirement> = next
        .and_then(check)
        .map(|c| c.unmet().cloned().collect())
        .unwrap_or_default();
    let short_on_deals = gaps.iter().any(|g| {
        matches!(
            g,
            Requirement::Total { .. }
                | Requirement::Floor {
                    dimension: Dimension::Deals,
                    ..
                }
        )
    });
    let mut hints = Vec::new();
    if short_on_deals {
        hints = deal_hints(ctx, ledger);
    }
    Position {
        held,
        reached,
        next,
        gaps,
        hints,
    }
}

/// `a / b` rounded up, for a shortfall: reaching the next tier must not fall short by one.
fn ceil_div(a: i128, b: i64) -> i64 {
    let b = i128::from(b.max(1));
    let q = (a + b - 1).div_euclid(b);
    q.clamp(0, i128::from(i64::MAX)) as i64
}

/// The next count and amount tiers, in lead deals and sole-lead amounts.
fn deal_hints(ctx: &Ctx, ledger: &[LedgerEntry]) -> Vec<Hint> {
    let r = ctx.rules;
    let mut hints = Vec::new();
    for e in ledger {
        match (e.indicator, &e.rule) {
            (
                Indicator::DealCount,
                super::Rule::Tier {
                    value: TierValue::Count { value },
                    ..
                },
            ) => {
                if let Some(next) = r.count_tiers.next_bound(*value) {
                    let more = ceil_div(i128::from(next.from) - i128::from(*value), r.roles.lead);
                    hints.push(Hint::LeadDeals {
                        more,
                        points: next.points,
                    });
                }
            }
            (
                Indicator::DealAmount,
                super::Rule::Tier {
                    value: TierValue::Amount { value },
                    ..
                },
            ) => {
                if let Some(next) = r.amount_tiers.next_bound(*value) {
                    // A sole lead's amount counts at the lead weight.
                    let missing = i128::from(next.from.0) - i128::from(value.0);
                    let more = ceil_div(missing * 1000, r.roles.lead);
                    hints.push(Hint::Amount {
                        more: Money(more),
                        points: next.points,
                    });
                }
            }
            _ => {}
        }
    }
    hints
}
