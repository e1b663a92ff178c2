//! Assigning reviewers to candidates (issue 6 item 4): every candidate gets the configured
//! number of reviewers, none conflicted with them, and reviewers' loads stay within one of
//! each other whenever the conflicts allow it.

use std::collections::{BTreeMap, BTreeSet};

/// A candidate who cannot get enough reviewers: `available` are not conflicted with them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("candidate {candidate}: {available} reviewers without a conflict, {needed} needed")]
pub struct Shortage {
    pub candidate: i64,
    pub available: usize,
    pub needed: usize,
}

/// Reviewers for each candidate. `conflicted` holds (candidate, reviewer) pairs that may not
/// meet; `kept` are assignments already made (they stay and count towards the loads). The most
/// constrained candidates choose first; each takes the least-loaded reviewers it may have
/// (ties by id, so the result is the same every time).
pub fn assign(
    candidates: &[i64],
    reviewers: &[i64],
    conflicted: &BTreeSet<(i64, i64)>,
    per_candidate: usize,
    kept: &BTreeMap<i64, Vec<i64>>,
) -> Result<BTreeMap<i64, Vec<i64>>, Shortage> {
    let mut load: BTreeMap<i64, usize> = reviewers.iter().map(|r| (*r, 0)).collect();
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (candidate, list) in kept {
        for r in list {
            *load.entry(*r).or_default() += 1;
        }
        out.insert(*candidate, list.clone());
    }
    let free = |c: i64| -> Vec<i64> {
        reviewers
            .iter()
            .copied()
            .filter(|r| !conflicted.contains(&(c, *r)))
            .collect()
    };
    let mut order: Vec<i64> = candidates.to_vec();
    order.sort_by_key(|c| (free(*c).len(), *c));
    for c in order {
        let have = out.entry(c).or_default();
        let available = free(c);
        if available.len() < per_candidate {
            return Err(Shortage {
                candidate: c,
                available: available.len(),
                needed: per_candidate,
            });
        }
        let mut options: Vec<i64> = available
            .into_iter()
            .filter(|r| !have.contains(r))
            .collect();
        options.sort_by_key(|r| (load.get(r).copied().unwrap_or(0), *r));
        let missing = per_candidate.saturating_sub(have.len());
        for r in options.into_iter().take(missing) {
            *load.entry(r).or_default() += 1;
            have.push(r);
        }
        have.sort_unstable();
    }
    Ok(out)
}

/// Each reviewer's number of candidates.
pub fn loads(assignment: &BTreeMap<i64, Vec<i64>>, reviewers: &[i64]) -> BTreeMap<i64, usize> {
    let mut load: BTreeMap<i64, usize> = reviewers.iter().map(|r| (*r, 0)).collect();
    for list in assignment.values() {
        for r in list {
            *load.entry(*r).or_default() += 1;
        }
    }
    load
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn spread(a: &BTreeMap<i64, Vec<i64>>, reviewers: &[i64]) -> usize {
        let l = loads(a, reviewers);
        l.values().max().unwrap_or(&0) - l.values().min().unwrap_or(&0)
    }

    #[test]
    fn three_candidates_five_reviewers_one_conflict() {
        let reviewers = [11, 12, 13, 14, 15];
        let conflicted = BTreeSet::from([(1, 11)]);
        let a = assign(&[1, 2, 3], &reviewers, &conflicted, 5, &BTreeMap::new());
        assert_eq!(
            a.unwrap_err(),
            Shortage {
                candidate: 1,
                available: 4,
                needed: 5
            }
        );
        let a = assign(&[1, 2, 3], &reviewers, &conflicted, 4, &BTreeMap::new()).unwrap();
        assert!(!a[&1].contains(&11));
        assert!(a.values().all(|l| l.len() == 4));
        assert!(spread(&a, &reviewers) <= 1, "{a:?}");
    }

    #[test]
    fn kept_assignments_stay_and_count() {
        let reviewers = [11, 12, 13];
        let kept = BTreeMap::from([(1, vec![11, 12])]);
        let a = assign(&[1, 2], &reviewers, &BTreeSet::new(), 2, &kept).unwrap();
        assert_eq!(a[&1], vec![11, 12]);
        // 13 has no candidate yet; then the lowest id among the least loaded.
        assert_eq!(a[&2], vec![11, 13]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        /// Without conflicts, loads are always within one of each other.
        #[test]
        fn loads_within_one_without_conflicts(candidates in 1usize..40, reviewers in 1usize..15, per in 1usize..6) {
            let per = per.min(reviewers);
            let cs: Vec<i64> = (1..=candidates as i64).collect();
            let rs: Vec<i64> = (100..100 + reviewers as i64).collect();
            let a = assign(&cs, &rs, &BTreeSet::new(), per, &BTreeMap::new()).unwrap();
            prop_assert!(a.values().all(|l| l.len() == per));
            prop_assert!(spread(&a, &rs) <= 1);
        }
    }
}
