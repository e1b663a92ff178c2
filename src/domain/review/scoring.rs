//! Independent scoring (issue 6, domain.md §5.2 D4 and §5.3): each reviewer assigned to a
//! candidate fills one score sheet — points for every criterion of the session's case rubric,
//! an overall recommendation and a comment — once. Sheets aggregate into the panel's case
//! quality: the mean of the totals, dropping the single highest and lowest from a configured
//! number of sheets on. All arithmetic is in integers (thousandths of a point).

use crate::domain::quantity::Points;
use crate::domain::rules::Dimension;
use crate::domain::score::ScoreReport;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A reviewer's overall recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    Support,
    Neutral,
    Oppose,
}

impl Recommendation {
    pub const ALL: [Recommendation; 3] = [
        Recommendation::Support,
        Recommendation::Neutral,
        Recommendation::Oppose,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Recommendation::Support => "support",
            Recommendation::Neutral => "neutral",
            Recommendation::Oppose => "oppose",
        }
    }

    pub fn parse(code: &str) -> Option<Recommendation> {
        Recommendation::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// The case rubric a session scores on: criterion → its maximum points.
pub type Rubric = BTreeMap<String, u32>;

/// What is wrong with a score sheet, criterion by criterion.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("{0}: no points given")]
    Missing(String),
    #[error("{criterion}: points must be between 0 and {max}")]
    OutOfRange { criterion: String, max: u32 },
    #[error("{0} is not a criterion of the rubric")]
    Unknown(String),
}

/// Checks `points` against `rubric`: every criterion given, each within its maximum, nothing
/// else. Returns the sheet's total, or every problem found.
pub fn check_sheet(
    rubric: &Rubric,
    points: &BTreeMap<String, u32>,
) -> Result<u32, Vec<SheetError>> {
    let mut errors: Vec<SheetError> = rubric
        .iter()
        .filter_map(|(criterion, max)| match points.get(criterion) {
            None => Some(SheetError::Missing(criterion.clone())),
            Some(p) if p > max => Some(SheetError::OutOfRange {
                criterion: criterion.clone(),
                max: *max,
            }),
            Some(_) => None,
        })
        .collect();
    errors.extend(
        points
            .keys()
            .filter(|k| !rubric.contains_key(*k))
            .map(|k| SheetError::Unknown(k.clone())),
    );
    if errors.is_empty() {
        Ok(points.values().sum())
    } else {
        Err(errors)
    }
}

/// The panel's result for one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aggregate {
    /// Sheets counted.
    pub sheets: u32,
    /// The mean total, in thousandths of a point (rounded half up).
    pub mean: Points,
    /// The single highest and lowest totals were dropped.
    pub trimmed: bool,
    pub support: u32,
    pub neutral: u32,
    pub oppose: u32,
}

/// Aggregates sheets given as (total, recommendation): the mean of the totals, trimmed from
/// `trimmed_from` sheets on. `None` without sheets.
pub fn aggregate(sheets: &[(u32, Recommendation)], trimmed_from: u32) -> Option<Aggregate> {
    let totals: Vec<u32> = sheets.iter().map(|(t, _)| *t).collect();
    let (mean, trimmed) = trimmed_mean(&totals, trimmed_from)?;
    let count = |r: Recommendation| sheets.iter().filter(|(_, x)| *x == r).count() as u32;
    Some(Aggregate {
        sheets: sheets.len() as u32,
        mean,
        trimmed,
        support: count(Recommendation::Support),
        neutral: count(Recommendation::Neutral),
        oppose: count(Recommendation::Oppose),
    })
}

/// The mean of `values` in thousandths (rounded half up), dropping the single highest and
/// lowest from `trimmed_from` values on (never fewer than three), and whether it did.
/// `None` without values.
pub fn trimmed_mean(values: &[u32], trimmed_from: u32) -> Option<(Points, bool)> {
    if values.is_empty() {
        return None;
    }
    let mut sorted: Vec<i64> = values.iter().map(|v| i64::from(*v)).collect();
    sorted.sort_unstable();
    let trimmed = values.len() as u32 >= trimmed_from.max(3);
    let kept = if trimmed {
        &sorted[1..sorted.len() - 1]
    } else {
        &sorted[..]
    };
    let n = kept.len() as i64;
    let sum: i64 = kept.iter().sum();
    Some((Points((sum * 2000 + n) / (2 * n)), trimmed))
}

/// Whether a reviewer may read the other reviewers' sheets on a candidate: once their own is
/// in, or once scoring has closed.
pub fn others_visible(own_submitted: bool, scoring_closed: bool) -> bool {
    own_submitted || scoring_closed
}

/// The candidate's case quality (D4, 0–100) as the panel scored it: the mean total on the
/// rubric's scale of `rubric_max` points.
pub fn case_quality(agg: &Aggregate, rubric_max: u32) -> Points {
    if rubric_max == 0 {
        return Points(0);
    }
    let max = i64::from(rubric_max);
    Points((agg.mean.0 * 100 * 2 + max) / (2 * max))
}

/// The score report's overall total with the panel's case quality in place of the one the
/// dossier was frozen with: (the new D4 part of the total, the new total).
pub fn with_panel_case_quality(report: &ScoreReport, d4: Points) -> (Points, Points) {
    let Some(dim) = report
        .dimensions
        .iter()
        .find(|d| d.dimension == Dimension::CaseQuality)
    else {
        return (Points(0), report.total);
    };
    let part = Points(d4.0 * dim.weight / 100);
    (part, Points(report.total.0 - dim.points.0 + part.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Recommendation::*;

    fn rubric() -> Rubric {
        [
            ("complexity", 20),
            ("contribution", 25),
            ("method", 20),
            ("outcome", 25),
            ("reflection", 10),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    fn sheet(values: [u32; 5]) -> BTreeMap<String, u32> {
        rubric().keys().cloned().zip(values).collect()
    }

    #[test]
    fn a_full_sheet_totals_and_each_fault_is_named() {
        assert_eq!(
            check_sheet(&rubric(), &sheet([20, 25, 20, 25, 10])),
            Ok(100)
        );
        assert_eq!(check_sheet(&rubric(), &sheet([0; 5])), Ok(0));
        let mut bad = sheet([21, 25, 20, 25, 10]);
        bad.remove("reflection");
        bad.insert("charm".into(), 3);
        assert_eq!(
            check_sheet(&rubric(), &bad),
            Err(vec![
                SheetError::OutOfRange {
                    criterion: "complexity".into(),
                    max: 20
                },
                SheetError::Missing("reflection".into()),
                SheetError::Unknown("charm".into()),
            ])
        );
    }

    #[test]
    fn four_sheets_average_five_drop_the_extremes() {
        let four = [(80, Support), (70, Neutral), (90, Support), (61, Oppose)];
        let a = aggregate(&four, 5).unwrap();
        // (80 + 70 + 90 + 61) / 4 = 75.25
        assert_eq!(a.mean, Points(75_250));
        assert!(!a.trimmed);
        assert_eq!((a.support, a.neutral, a.oppose), (2, 1, 1));
        let mut five = four.to_vec();
        five.push((10, Oppose));
        let a = aggregate(&five, 5).unwrap();
        // 10 and 90 dropped: (61 + 70 + 80) / 3 = 70.333…
        assert_eq!(a.mean, Points(70_333));
        assert!(a.trimmed && a.sheets == 5);
        assert_eq!(aggregate(&[], 5), None);
    }

    #[test]
    fn the_mean_rounds_half_up_in_thousandths() {
        // (1 + 2 + 2) / 3 = 1.6666… → 1.667; (0 + 1) / 2 … with 1/8 steps: 0.5 exactly.
        let a = aggregate(&[(1, Neutral), (2, Neutral), (2, Neutral)], 5).unwrap();
        assert_eq!(a.mean, Points(1_667));
        let b = aggregate(&[(0, Neutral), (1, Neutral)], 5).unwrap();
        assert_eq!(b.mean, Points(500));
    }

    #[test]
    fn others_are_hidden_until_ones_own_sheet_or_the_close() {
        assert!(!others_visible(false, false));
        assert!(others_visible(true, false));
        assert!(others_visible(false, true));
    }

    #[test]
    fn case_quality_is_on_a_hundred_point_scale() {
        let a = aggregate(&[(40, Support)], 5).unwrap();
        assert_eq!(case_quality(&a, 50), Points(80_000));
        assert_eq!(case_quality(&a, 100), Points(40_000));
        assert_eq!(case_quality(&a, 0), Points(0));
    }
}
