//! A committee's review rules (domain.md §6.2): quorum and pass shares, notice lengths in
//! working days, reviewers per candidate, the conflict look-back, the re-application bar and
//! the rest. They are configuration: the shipped defaults live in
//! `rulesets/review-default.toml`, and each review session keeps the copy it was opened with,
//! so a session's rules never change under it.

use super::ballot::Share;
use serde::{Deserialize, Serialize};

/// What a dismissed objection does to a running notice (domain.md §6.1, configurable [A]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterObjection {
    /// The notice goes on where it stopped: the days before the objection count.
    Resume,
    /// The notice starts again on the day of the dismissal.
    Restart,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRules {
    /// Present members needed to vote, as a share of the committee (人社部令第40号 [M]).
    pub quorum: Share,
    /// Yes votes needed, as a share of the attending (present, not recused) members [S-13].
    pub pass: Share,
    /// Working days of the unit's public notice before recommendation [S-13].
    pub unit_notice_days: u32,
    /// Working days of the result's public notice [S-13].
    pub result_notice_days: u32,
    pub after_objection: AfterObjection,
    /// Calendar days the candidate has to supplement an incomplete application (one round).
    pub supplement_days: u32,
    /// Reviewers who score each candidate.
    pub min_reviewers: u32,
    /// A reviewer who worked for the candidate's employer this many years back is conflicted.
    pub conflict_years: u32,
    /// From this many scores on, the highest and the lowest are dropped before averaging.
    pub trimmed_mean_from: u32,
    /// Candidates who did not pass in the previous year's session are not eligible, unless
    /// the secretariat accepts them as an exception (sibling Shanghai notice [S-09]).
    pub bar_previous_year_failures: bool,
    /// Calendar days after a decision in which the candidate may appeal.
    pub appeal_days: u32,
    /// Smallest committee: built by series, or by specialty [S-14].
    pub min_members_series: u32,
    pub min_members_specialty: u32,
    /// Longest term of a committee member, in years [S-14].
    pub max_term_years: u32,
    /// Objections one address may file per hour on the public notice page.
    pub objections_per_hour: u32,
    /// The session holds a defense (答辩) during the expert review: the assigned reviewers
    /// score it, and the review waits for those scores as it waits for the sheets. Sessions
    /// stored before the defense existed read as without one.
    #[serde(default)]
    pub defense: bool,
    /// A defense is scored from 0 to this many points.
    #[serde(default = "default_defense_scale")]
    pub defense_scale: u32,
    /// A defense whose mean is below this is marked as failing wherever its mean is shown.
    #[serde(default = "default_defense_pass_mark")]
    pub defense_pass_mark: u32,
}

fn default_defense_scale() -> u32 {
    100
}

fn default_defense_pass_mark() -> u32 {
    60
}

/// A rule out of range, named by its key in the rules file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("{0}: a share must be num/den with 0 < num ≤ den")]
    Share(&'static str),
    #[error("{key} must be between {min} and {max}")]
    Range {
        key: &'static str,
        min: u32,
        max: u32,
    },
}

impl ReviewRules {
    /// Every value in its range, or the first that is not.
    pub fn check(&self) -> Result<(), RulesError> {
        for (key, share) in [("quorum", self.quorum), ("pass", self.pass)] {
            if Share::new(share.num, share.den).is_none() {
                return Err(RulesError::Share(key));
            }
        }
        let ranges: [(&'static str, u32, u32, u32); 13] = [
            ("unit_notice_days", self.unit_notice_days, 1, 60),
            ("result_notice_days", self.result_notice_days, 1, 60),
            ("supplement_days", self.supplement_days, 1, 90),
            ("min_reviewers", self.min_reviewers, 1, 50),
            ("conflict_years", self.conflict_years, 0, 30),
            ("trimmed_mean_from", self.trimmed_mean_from, 3, 100),
            ("appeal_days", self.appeal_days, 1, 365),
            ("min_members_series", self.min_members_series, 3, 999),
            ("min_members_specialty", self.min_members_specialty, 3, 999),
            ("max_term_years", self.max_term_years, 1, 10),
            ("objections_per_hour", self.objections_per_hour, 1, 1000),
            ("defense_scale", self.defense_scale, 10, 1000),
            (
                "defense_pass_mark",
                self.defense_pass_mark,
                0,
                self.defense_scale,
            ),
        ];
        for (key, value, min, max) in ranges {
            if !(min..=max).contains(&value) {
                return Err(RulesError::Range { key, min, max });
            }
        }
        Ok(())
    }
}

/// The shipped defaults, for the domain's tests.
#[cfg(test)]
pub(crate) fn sample() -> ReviewRules {
    ReviewRules {
        quorum: Share { num: 2, den: 3 },
        pass: Share { num: 2, den: 3 },
        unit_notice_days: 5,
        result_notice_days: 5,
        after_objection: AfterObjection::Resume,
        supplement_days: 10,
        min_reviewers: 3,
        conflict_years: 3,
        trimmed_mean_from: 5,
        bar_previous_year_failures: true,
        appeal_days: 30,
        min_members_series: 25,
        min_members_specialty: 11,
        max_term_years: 3,
        objections_per_hour: 5,
        defense: false,
        defense_scale: 100,
        defense_pass_mark: 60,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ReviewRules {
        sample()
    }

    #[test]
    fn sensible_rules_pass_and_each_bad_value_is_named() {
        assert_eq!(rules().check(), Ok(()));
        let mut r = rules();
        r.pass = Share { num: 4, den: 3 };
        assert_eq!(r.check(), Err(RulesError::Share("pass")));
        let mut r = rules();
        r.quorum = Share { num: 0, den: 3 };
        assert_eq!(r.check(), Err(RulesError::Share("quorum")));
        let mut r = rules();
        r.unit_notice_days = 0;
        assert!(matches!(
            r.check(),
            Err(RulesError::Range {
                key: "unit_notice_days",
                ..
            })
        ));
        let mut r = rules();
        r.trimmed_mean_from = 2;
        assert!(matches!(
            r.check(),
            Err(RulesError::Range {
                key: "trimmed_mean_from",
                ..
            })
        ));
        let mut r = rules();
        r.defense_pass_mark = 101;
        assert_eq!(
            r.check(),
            Err(RulesError::Range {
                key: "defense_pass_mark",
                min: 0,
                max: 100
            })
        );
    }

    #[test]
    fn rules_stored_before_the_defense_read_as_without_one() {
        let mut stored = serde_json::to_value(rules()).unwrap();
        let map = stored.as_object_mut().unwrap();
        for key in ["defense", "defense_scale", "defense_pass_mark"] {
            map.remove(key);
        }
        let read: ReviewRules = serde_json::from_value(stored).unwrap();
        assert_eq!(read, rules());
        assert!(!read.defense);
    }
}
