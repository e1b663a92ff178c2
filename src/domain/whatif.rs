//! What-if: the same engine answers "what if I add these records" for one person, and "what
//! changes if this ruleset replaces that one" for a population (who moves up, down or stays).

use super::evidence::PersonEvidence;
use super::level::Level;
use super::quantity::Points;
use super::rules::RuleSet;
use super::score::{RuleSetRef, ScoreReport, score};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One person's report before and after adding records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatIf {
    pub before: ScoreReport,
    pub after: ScoreReport,
}

impl WhatIf {
    /// The change of the total as the two totals are shown (one decimal each), so the
    /// "(+9.4)" beside "32.4 → 41.8" adds up.
    pub fn delta(&self) -> i64 {
        Points::shown_change(self.before.total, self.after.total).0
    }
}

/// The person's evidence with `added` appended (the profile stays the person's own).
pub fn with_records(ev: &PersonEvidence, added: &PersonEvidence) -> PersonEvidence {
    let mut out = ev.clone();
    out.training.extend(added.training.iter().cloned());
    out.continuing_education
        .extend(added.continuing_education.iter().cloned());
    out.deals.extend(added.deals.iter().cloned());
    out.cases.extend(added.cases.iter().cloned());
    out.outcomes.extend(added.outcomes.iter().cloned());
    out.contributions
        .extend(added.contributions.iter().cloned());
    out
}

/// Scores the evidence as it is and with `added`.
pub fn what_if(
    ev: &PersonEvidence,
    added: &PersonEvidence,
    rules: &RuleSet,
    as_of: NaiveDate,
) -> WhatIf {
    WhatIf {
        before: score(ev, rules, as_of),
        after: score(&with_records(ev, added), rules, as_of),
    }
}

/// One person under the two rulesets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    pub person: String,
    pub from_level: Option<Level>,
    pub to_level: Option<Level>,
    pub from_total: Points,
    pub to_total: Points,
    pub from_outstanding: bool,
    pub to_outstanding: bool,
}

/// The effect of replacing one ruleset by another on a population.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Impact {
    pub from: RuleSetRef,
    pub to: RuleSetRef,
    pub as_of: NaiveDate,
    pub people: usize,
    /// A higher level reached under the new ruleset, by person id.
    pub up: Vec<Move>,
    pub down: Vec<Move>,
    /// Same level (their totals may still change).
    pub same: usize,
    /// Same level, different total.
    pub total_changed: usize,
    /// The outstanding flag gained or lost, whatever the level did.
    pub outstanding_gained: Vec<String>,
    pub outstanding_lost: Vec<String>,
    /// Sum of the total changes, in milli-points (mean = this / people).
    pub total_delta: i64,
}

/// Scores everyone under both rulesets. People are (id, evidence); the lists come out sorted
/// by id whatever the input order.
pub fn impact(
    people: &[(String, PersonEvidence)],
    from: &RuleSet,
    to: &RuleSet,
    as_of: NaiveDate,
) -> Impact {
    let mut out = Impact {
        from: RuleSetRef::of(from),
        to: RuleSetRef::of(to),
        as_of,
        people: people.len(),
        up: Vec::new(),
        down: Vec::new(),
        same: 0,
        total_changed: 0,
        outstanding_gained: Vec::new(),
        outstanding_lost: Vec::new(),
        total_delta: 0,
    };
    for (id, ev) in people {
        let a = score(ev, from, as_of);
        let b = score(ev, to, as_of);
        let m = Move {
            person: id.clone(),
            from_level: a.level(),
            to_level: b.level(),
            from_total: a.total,
            to_total: b.total,
            from_outstanding: a.outstanding.met,
            to_outstanding: b.outstanding.met,
        };
        out.total_delta += b.total.0 - a.total.0;
        match (m.from_outstanding, m.to_outstanding) {
            (false, true) => out.outstanding_gained.push(id.clone()),
            (true, false) => out.outstanding_lost.push(id.clone()),
            _ => {}
        }
        match m.to_level.cmp(&m.from_level) {
            std::cmp::Ordering::Greater => out.up.push(m),
            std::cmp::Ordering::Less => out.down.push(m),
            std::cmp::Ordering::Equal => {
                out.same += 1;
                if m.from_total != m.to_total {
                    out.total_changed += 1;
                }
            }
        }
    }
    out.up.sort_by(|a, b| a.person.cmp(&b.person));
    out.down.sort_by(|a, b| a.person.cmp(&b.person));
    out.outstanding_gained.sort();
    out.outstanding_lost.sort();
    out
}
