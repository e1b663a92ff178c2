//! The report as a trainee's dashboard shows it: dimension scores, the ledger with every
//! record and why it earned what it did, the next level's requirements with how far each is
//! met, and the gap list in plain words. Structured, so a page can lay it out; worded, so
//! every number can be traced to a record.

use super::report::{input, label, rule};
use super::{dimension, exclusion, hint, indicator, level, note, requirement, t};
use crate::domain::evidence::PersonEvidence;
use crate::domain::quantity::Points;
use crate::domain::rules::RuleSet;
use crate::domain::score::{Effect, Requirement, ScoreReport};
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DimensionLine {
    pub code: String,
    pub name: String,
    pub weight: i64,
    pub subscore: Points,
    pub points: Points,
}

/// One record as one sub-indicator saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemLine {
    pub record: String,
    pub label: String,
    pub counted: bool,
    /// What it contributed ("8 学时", "280.00 万元 × 1.000 …") or why it gave nothing.
    pub effect: String,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerLine {
    pub code: String,
    pub name: String,
    pub dimension: String,
    pub raw: Points,
    pub share: i64,
    pub weight: i64,
    pub points: Points,
    pub rule: String,
    pub items: Vec<ItemLine>,
}

/// A requirement of the next level, worded, with how far it is met (per mille) where it is
/// a quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressLine {
    pub text: String,
    pub met: bool,
    pub permille: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub reached: String,
    pub next: Option<String>,
    pub dimensions: Vec<DimensionLine>,
    pub ledger: Vec<LedgerLine>,
    pub progress: Vec<ProgressLine>,
    pub gaps: Vec<String>,
    pub hints: Vec<String>,
    /// Broken records, left out everywhere, with the field at fault.
    pub problems: Vec<String>,
}

fn ratio(has: i64, needs: i64) -> Option<i64> {
    (needs > 0).then(|| (has.max(0).saturating_mul(1000) / needs).min(1000))
}

/// How far a requirement is met, per mille, for the quantities.
pub fn permille(r: &Requirement) -> Option<i64> {
    match r {
        Requirement::ModuleHours { needs, has, .. }
        | Requirement::PracticumHours { needs, has } => ratio(has.0, needs.0),
        Requirement::Total { needs, has } | Requirement::Floor { needs, has, .. } => {
            ratio(has.0, needs.0)
        }
        Requirement::PracticeYears { needs, has, .. } => ratio(i64::from(*has), i64::from(*needs)),
        _ => None,
    }
}

pub fn dashboard(r: &ScoreReport, ev: &PersonEvidence, rules: &RuleSet, lang: Lang) -> Dashboard {
    let dimensions = r
        .dimensions
        .iter()
        .map(|d| DimensionLine {
            code: d.dimension.code().to_string(),
            name: dimension(d.dimension, lang).to_string(),
            weight: d.weight,
            subscore: d.subscore,
            points: d.points,
        })
        .collect();
    let ledger = r
        .ledger
        .iter()
        .map(|e| LedgerLine {
            code: e.indicator.code().to_string(),
            name: indicator(e.indicator, lang).to_string(),
            dimension: dimension(e.dimension, lang).to_string(),
            raw: e.raw,
            share: e.share,
            weight: e.weight,
            points: e.points,
            rule: rule(&e.rule, rules, lang),
            items: e
                .items
                .iter()
                .map(|i| ItemLine {
                    record: i.record.clone(),
                    label: label(ev, &i.record, lang),
                    counted: matches!(i.effect, Effect::Counted(_)),
                    effect: match &i.effect {
                        Effect::Counted(x) => input(x, lang),
                        Effect::Excluded(x) => format!(
                            "{}{}{}",
                            t(lang, "未计入", "not counted"),
                            t(lang, "：", ": "),
                            exclusion(x, lang)
                        ),
                    },
                    notes: i.notes.iter().map(|n| note(n, lang)).collect(),
                })
                .collect(),
        })
        .collect();
    let next = r.position.next;
    let progress = r
        .levels
        .iter()
        .find(|c| c.level.is_some() && c.level == next)
        .map(|c| {
            c.requirements
                .iter()
                .map(|(req, met)| ProgressLine {
                    text: requirement(req, lang),
                    met: *met,
                    permille: permille(req),
                })
                .collect()
        })
        .unwrap_or_default();
    Dashboard {
        reached: level(r.position.reached, lang).to_string(),
        next: next.map(|l| level(Some(l), lang).to_string()),
        dimensions,
        ledger,
        progress,
        gaps: r
            .position
            .gaps
            .iter()
            .map(|g| requirement(g, lang))
            .collect(),
        hints: r.position.hints.iter().map(|h| hint(h, lang)).collect(),
        problems: r
            .problems
            .iter()
            .map(|p| format!("{}.{}: {}", p.record, p.field, p.message))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::quantity::Hours;

    #[test]
    fn progress_is_capped_at_complete() {
        let r = Requirement::ModuleHours {
            module: crate::domain::rules::Module::PolicyLaw,
            needs: Hours::whole(16),
            has: Hours::whole(8),
        };
        assert_eq!(permille(&r), Some(500));
        let over = Requirement::Total {
            needs: Points::whole(60),
            has: Points::whole(75),
        };
        assert_eq!(permille(&over), Some(1000));
        assert_eq!(
            permille(&Requirement::Integrity),
            None,
            "a yes/no condition has no bar"
        );
    }
}
