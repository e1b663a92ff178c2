//! Scoring with a ledger (domain.md §5): `score(evidence, ruleset, as_of)` gives the dimension
//! sub-scores, the total, the gates, both ladders and a ledger with one entry per
//! sub-indicator. Each entry lists every evidence record it considered, with that record's
//! input (hours, weighted count, weighted amount…) or the reason it gave nothing, and the rule
//! (with its table row) that turned the inputs into points. The total is the sum of the
//! entries' points.
//!
//! Arithmetic is integer: points in thousandths, hours in hundredths, money in fen; every
//! division rounds down, and only display rounds (half up, one decimal). The report is a pure
//! function of its inputs: record order does not matter and nothing reads the clock.

mod deals;
mod ladder;
mod others;
mod title;
mod training;
mod types;

pub use ladder::{Check, Hint, Position, Requirement};
pub use title::{Minimum, TitleCheck};
pub use types::*;

use super::evidence::{Deal, EvidenceError, Mode, PersonEvidence, Verification};
use super::level::Level;
use super::quantity::{Hours, Points};
use super::rules::{Dimension, RuleSet};
use chrono::NaiveDate;

/// What every sub-indicator needs: the rules, the date and window, the broken records, and
/// what several sub-indicators share (computed once: a population is scored person by person).
pub(crate) struct Ctx<'a> {
    pub rules: &'a RuleSet,
    pub as_of: NaiveDate,
    pub window: Window,
    pub problems: Vec<EvidenceError>,
    /// Ids of broken records, sorted.
    invalid: Vec<String>,
    /// Verified hours in the window per module (by [`Module::index`]) and in practicum.
    pub module_hours: [Hours; 4],
    pub practicum_hours: Hours,
    /// Every deal by date and id, with whether it counts in D2 and D3b.
    pub deals: Vec<(&'a Deal, Result<Vec<Note>, Exclusion>)>,
}

impl<'a> Ctx<'a> {
    fn new(ev: &'a PersonEvidence, rules: &'a RuleSet, as_of: NaiveDate) -> Ctx<'a> {
        let problems = ev.problems();
        let mut invalid: Vec<String> = problems.iter().map(|p| p.record.clone()).collect();
        invalid.sort_unstable();
        let mut ctx = Ctx {
            rules,
            as_of,
            window: Window::before(as_of, rules.window_years),
            problems,
            invalid,
            module_hours: [Hours(0); 4],
            practicum_hours: Hours(0),
            deals: Vec::new(),
        };
        for r in &ev.training {
            if ctx.screen(&r.id, r.verification, r.date).is_none() {
                let h = &mut ctx.module_hours[r.module.index()];
                h.0 = h.0.saturating_add(r.hours.0);
                if r.mode == Mode::Practicum {
                    ctx.practicum_hours.0 = ctx.practicum_hours.0.saturating_add(r.hours.0);
                }
            }
        }
        let mut deals: Vec<&Deal> = ev.deals.iter().collect();
        deals.sort_by(|a, b| (a.date().0, &a.id).cmp(&(b.date().0, &b.id)));
        ctx.deals = deals
            .into_iter()
            .map(|d| (d, deals::screen(&ctx, d)))
            .collect();
        ctx
    }

    /// Why a record gives nothing, in the order a reader checks: broken, not verified, dated
    /// after the as-of date, before the window.
    pub fn screen(&self, id: &str, v: Verification, date: NaiveDate) -> Option<Exclusion> {
        if self
            .invalid
            .binary_search_by(|x| x.as_str().cmp(id))
            .is_ok()
        {
            Some(Exclusion::Invalid)
        } else if v == Verification::Rejected {
            Some(Exclusion::Rejected)
        } else if !v.counts() {
            Some(Exclusion::Unverified)
        } else if date > self.as_of {
            Some(Exclusion::AfterAsOf)
        } else if date < self.window.from {
            Some(Exclusion::OutsideWindow)
        } else {
            None
        }
    }
}

/// One sub-indicator's result before it is weighted.
pub(crate) struct Part {
    pub raw: Points,
    pub rule: Rule,
    pub items: Vec<Item>,
}

/// `a × b / c` without overflow, rounded down (c > 0).
pub(crate) fn mul_div(a: i64, b: i64, c: i64) -> i64 {
    let v = i128::from(a) * i128::from(b) / i128::from(c);
    v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Scores one person's evidence under a ruleset on a date. Never panics for a ruleset that
/// passed validation, whatever the evidence holds: broken records are listed, not counted.
pub fn score(ev: &PersonEvidence, rules: &RuleSet, as_of: NaiveDate) -> ScoreReport {
    let ctx = Ctx::new(ev, rules, as_of);
    let held = ev.profile.certified(as_of);
    let target = ladder::after(held);
    // D1a measures the curriculum of the level being worked towards (the top one once held).
    let studying = target.unwrap_or(Level::SeniorManager);
    let parts = [
        (
            Indicator::Curriculum,
            training::curriculum(&ctx, ev, studying),
        ),
        (
            Indicator::ContinuingEducation,
            training::continuing(&ctx, ev),
        ),
        (Indicator::DealCount, deals::count(&ctx)),
        (Indicator::DealAmount, deals::amount(&ctx)),
        (Indicator::OutcomeEvents, others::events(&ctx, ev)),
        (Indicator::ContractPerformance, deals::performance(&ctx)),
        (Indicator::CaseQuality, others::cases(&ctx, ev)),
        (Indicator::Contribution, others::contributions(&ctx, ev)),
    ];
    let ledger: Vec<LedgerEntry> = parts
        .into_iter()
        .map(|(indicator, part)| {
            let dimension = indicator.dimension();
            let share = indicator.share(rules);
            let weight = rules.weights.get(&dimension).copied().unwrap_or(0);
            LedgerEntry {
                indicator,
                dimension,
                share,
                weight,
                raw: part.raw,
                dimension_points: Points(mul_div(part.raw.0, share, 100)),
                points: Points(mul_div(part.raw.0, share * weight, 10_000)),
                rule: part.rule,
                items: part.items,
            }
        })
        .collect();
    let dimensions: Vec<DimensionScore> = Dimension::ALL
        .into_iter()
        .map(|d| {
            let entries = ledger.iter().filter(|e| e.dimension == d);
            DimensionScore {
                dimension: d,
                weight: rules.weights.get(&d).copied().unwrap_or(0),
                subscore: entries.clone().map(|e| e.dimension_points).sum(),
                points: entries.map(|e| e.points).sum(),
            }
        })
        .collect();
    let integrity = ladder::integrity(&ctx, ev);
    // An integrity record in the window blocks the score (domain.md §5.5): no entry awards
    // points, so the total is 0 and `blocked` says why; each entry's raw score and each
    // dimension's subscore still show what the records would give.
    let blocked = (!integrity.passed).then_some(GateKind::Integrity);
    let (ledger, dimensions) = if blocked.is_some() {
        (
            ledger
                .into_iter()
                .map(|e| LedgerEntry {
                    points: Points(0),
                    ..e
                })
                .collect::<Vec<_>>(),
            dimensions
                .into_iter()
                .map(|d| DimensionScore {
                    points: Points(0),
                    ..d
                })
                .collect::<Vec<_>>(),
        )
    } else {
        (ledger, dimensions)
    };
    let total: Points = ledger.iter().map(|e| e.points).sum();
    let levels: Vec<Check> = Level::ALL
        .into_iter()
        .map(|l| ladder::level_check(&ctx, ev, l, &dimensions, total, &integrity))
        .collect();
    let position = ladder::position(&ctx, held, &levels, &ledger);
    let outstanding =
        ladder::threshold_check(&rules.outstanding, &dimensions, total, integrity.passed);
    let title = title::title(&ctx, ev, &dimensions, total, &ledger, &integrity);
    let evidence_gate = deals::evidence_gate(&ctx);
    let provisional = matches!(
        ledger[0].rule,
        Rule::Curriculum {
            provisional: true,
            ..
        }
    ) || levels.iter().any(|c| !c.provisional.is_empty());
    ScoreReport {
        schema: SCHEMA.to_string(),
        ruleset: RuleSetRef::of(rules),
        as_of,
        window: ctx.window,
        dimensions,
        total,
        blocked,
        ledger,
        gates: vec![integrity, evidence_gate],
        levels,
        position,
        outstanding,
        title,
        provisional,
        problems: ctx.problems,
    }
}
