//! Tier tables (domain.md §5.2): a list of lower bounds, each with the points it gives. A value
//! takes the highest tier whose bound it reaches, so tables cannot overlap or leave gaps; below
//! the first bound a value gets nothing. Validation lists every problem of a table at once.

use super::quantity::Points;
use serde::{Deserialize, Serialize};

/// One row: from this bound (inclusive) upwards, these points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier<T> {
    pub from: T,
    pub points: Points,
}

/// A validated tier table; construct with [`TierTable::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierTable<T> {
    rows: Vec<Tier<T>>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum TierError {
    #[error("a tier table needs at least one row")]
    Empty,
    #[error("row {row}: the bound must be above the previous row's")]
    NotAscending { row: usize },
    #[error("row {row}: the bound cannot be negative")]
    NegativeBound { row: usize },
    #[error("row {row}: points must be between 0 and 100")]
    PointsOutOfRange { row: usize },
    #[error("row {row}: a higher tier cannot give fewer points")]
    PointsDecrease { row: usize },
}

/// What a table gave a value: the row (1-based, as a committee reads the table) and points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierHit {
    /// None when the value is below the first bound.
    pub row: Option<usize>,
    pub points: Points,
}

/// Read back from JSON (a ruleset sent to the browser for the what-if panel): validated like
/// any other table, so a table that breaks the rules cannot be built this way either.
impl<'de, T: Copy + Ord + Default + Deserialize<'de>> Deserialize<'de> for TierTable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw<T> {
            rows: Vec<Tier<T>>,
        }
        let raw = Raw::<T>::deserialize(d)?;
        TierTable::new(raw.rows).map_err(|errors| {
            let first = errors.first().map(ToString::to_string).unwrap_or_default();
            serde::de::Error::custom(format!("invalid tier table: {first}"))
        })
    }
}

impl<T: Copy + Ord + Default> TierTable<T> {
    /// Checks the rows (bounds strictly ascending and non-negative, points within 0–100 and
    /// never decreasing) and reports every problem, 1-based by row.
    pub fn new(rows: Vec<Tier<T>>) -> Result<TierTable<T>, Vec<TierError>> {
        if rows.is_empty() {
            return Err(vec![TierError::Empty]);
        }
        let mut errors = Vec::new();
        for (i, tier) in rows.iter().enumerate() {
            let row = i + 1;
            if tier.from < T::default() {
                errors.push(TierError::NegativeBound { row });
            }
            if tier.points < Points(0) || tier.points > Points::whole(100) {
                errors.push(TierError::PointsOutOfRange { row });
            }
            if i > 0 {
                if tier.from <= rows[i - 1].from {
                    errors.push(TierError::NotAscending { row });
                }
                if tier.points < rows[i - 1].points {
                    errors.push(TierError::PointsDecrease { row });
                }
            }
        }
        if errors.is_empty() {
            Ok(TierTable { rows })
        } else {
            Err(errors)
        }
    }

    /// A table that gives nothing to any value (one row at zero, zero points).
    pub fn zero() -> TierTable<T> {
        TierTable {
            rows: vec![Tier {
                from: T::default(),
                points: Points(0),
            }],
        }
    }

    pub fn rows(&self) -> &[Tier<T>] {
        &self.rows
    }

    /// The highest row whose bound `value` reaches.
    pub fn lookup(&self, value: T) -> TierHit {
        match self.rows.iter().rposition(|t| value >= t.from) {
            Some(i) => TierHit {
                row: Some(i + 1),
                points: self.rows[i].points,
            },
            None => TierHit {
                row: None,
                points: Points(0),
            },
        }
    }

    /// The next bound above `value`, if any: what a person must reach for more points.
    pub fn next_bound(&self, value: T) -> Option<Tier<T>> {
        self.rows.iter().find(|t| t.from > value).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::quantity::Money;
    use proptest::prelude::*;

    fn table<T: Copy + Ord + Default>(rows: &[(T, i64)]) -> TierTable<T> {
        TierTable::new(
            rows.iter()
                .map(|&(from, p)| Tier {
                    from,
                    points: Points::whole(p),
                })
                .collect(),
        )
        .expect("valid table")
    }

    #[test]
    fn tables_read_back_from_json_only_when_valid() {
        let t = table(&[(Money::from_wan(10), 30), (Money::from_wan(50), 50)]);
        let json = serde_json::to_string(&t).expect("serialises");
        let back: TierTable<Money> = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, t);
        let descending = r#"{"rows":[{"from":500,"points":30000},{"from":100,"points":50000}]}"#;
        let err = serde_json::from_str::<TierTable<Money>>(descending).expect_err("refused");
        assert!(err.to_string().contains("row 2"), "{err}");
    }

    /// D2a: role-weighted count of registered contracts, in thousandths of a contract.
    #[test]
    fn deal_count_tiers_of_the_default_rubric() {
        let t = table(&[(0i64, 0), (1000, 40), (3000, 60), (5000, 80), (10_000, 100)]);
        let cases = [
            (0, 0, Some(1)),
            (999, 0, Some(1)),
            (1000, 40, Some(2)),
            (2900, 40, Some(2)),
            (3000, 60, Some(3)),
            (4999, 60, Some(3)),
            (5000, 80, Some(4)),
            (10_000, 100, Some(5)),
            (25_000, 100, Some(5)),
        ];
        for (n, points, row) in cases {
            assert_eq!(
                t.lookup(n),
                TierHit {
                    row,
                    points: Points::whole(points)
                },
                "N = {n}"
            );
        }
    }

    /// D2b: 技术交易额 in 万元; exactly 10 万元 reaches the first paying tier.
    #[test]
    fn amount_tiers_are_inclusive_lower_bounds() {
        let t = table(&[
            (Money::from_wan(10), 30),
            (Money::from_wan(50), 50),
            (Money::from_wan(200), 70),
            (Money::from_wan(500), 85),
            (Money::from_wan(1000), 100),
        ]);
        assert_eq!(
            t.lookup(Money::from_wan(10) + Money(-1)),
            TierHit {
                row: None,
                points: Points(0)
            }
        );
        assert_eq!(t.lookup(Money::from_wan(10)).points, Points::whole(30));
        assert_eq!(t.lookup(Money::from_wan(999)).points, Points::whole(85));
        assert_eq!(t.lookup(Money::from_wan(1000)).row, Some(5));
        assert_eq!(
            t.next_bound(Money::from_wan(60)).map(|r| r.from),
            Some(Money::from_wan(200))
        );
        assert_eq!(t.next_bound(Money::from_wan(2000)), None);
    }

    #[test]
    fn validation_reports_every_problem_by_row() {
        let rows = vec![
            Tier {
                from: 5i64,
                points: Points::whole(50),
            },
            Tier {
                from: 5,
                points: Points::whole(40),
            },
            Tier {
                from: -1,
                points: Points::whole(120),
            },
        ];
        assert_eq!(
            TierTable::new(rows),
            Err(vec![
                TierError::NotAscending { row: 2 },
                TierError::PointsDecrease { row: 2 },
                TierError::NegativeBound { row: 3 },
                TierError::PointsOutOfRange { row: 3 },
                TierError::NotAscending { row: 3 },
            ])
        );
        assert_eq!(
            TierTable::<i64>::new(Vec::new()),
            Err(vec![TierError::Empty])
        );
    }

    proptest! {
        /// More input never gives fewer points, for any valid table.
        #[test]
        fn lookup_is_monotone(mut bounds in proptest::collection::btree_set(0i64..1_000_000, 1..8),
                              a in 0i64..2_000_000, b in 0i64..2_000_000) {
            let rows: Vec<Tier<i64>> = std::mem::take(&mut bounds).into_iter().enumerate()
                .map(|(i, from)| Tier { from, points: Points::whole((i as i64 + 1) * 10) })
                .collect();
            let t = TierTable::new(rows).expect("ascending bounds are valid");
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(t.lookup(lo).points <= t.lookup(hi).points);
        }
    }
}
