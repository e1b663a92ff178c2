//! The defense (答辩, domain.md §6.1 EXPERT_REVIEW, optional [A]): a session may have each
//! candidate present their case to the reviewers assigned to them. The secretariat schedules
//! it — a day and hour (China time) and a place — no later than the scoring period's last day;
//! from that day on each of those reviewers scores it once, on the session's scale. The scores
//! aggregate like the sheets (mean, trimmed from the same number of scores on), and a mean
//! below the session's pass mark is marked as failing. Integers throughout.

use super::rules::ReviewRules;
use super::scoring::trimmed_mean;
use crate::domain::quantity::Points;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The reviewers' defense scores on one candidate, aggregated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefenseResult {
    /// Scores counted.
    pub scores: u32,
    /// The mean score, in thousandths of a point.
    pub mean: Points,
    /// The single highest and lowest scores were dropped.
    pub trimmed: bool,
    /// The scale scores were given on (0 to this) and the pass mark on it.
    pub scale: u32,
    pub pass_mark: u32,
}

impl DefenseResult {
    /// The mean reaches the pass mark (the boundary passes).
    pub fn passes(&self) -> bool {
        self.mean.0 >= i64::from(self.pass_mark) * 1000
    }
}

/// Aggregates the scores given under `rules`; `None` without scores.
pub fn result(scores: &[u32], rules: &ReviewRules) -> Option<DefenseResult> {
    let (mean, trimmed) = trimmed_mean(scores, rules.trimmed_mean_from)?;
    Some(DefenseResult {
        scores: scores.len() as u32,
        mean,
        trimmed,
        scale: rules.defense_scale,
        pass_mark: rules.defense_pass_mark,
    })
}

/// Why a defense cannot be scheduled then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("the defense is after the scoring period")]
    AfterScoring,
    #[error("the defense day has passed")]
    Past,
}

/// A defense at `starts_at` is possible when its day has not passed (`today`, China time) and
/// is not after the scoring period's last day, when the review is to end.
pub fn check_schedule(
    starts_at: NaiveDateTime,
    today: NaiveDate,
    scoring_to: NaiveDate,
) -> Result<(), ScheduleError> {
    let day = starts_at.date();
    if day < today {
        Err(ScheduleError::Past)
    } else if day > scoring_to {
        Err(ScheduleError::AfterScoring)
    } else {
        Ok(())
    }
}

/// Reviewers score the defense from its day on.
pub fn may_score(starts_at: NaiveDateTime, today: NaiveDate) -> bool {
    today >= starts_at.date()
}

/// Where the expert review stands on the defense, for the procedure's guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefenseReturns {
    pub scheduled: bool,
    /// Scores in from reviewers still assigned.
    pub scored: u32,
    /// Assigned reviewers who have not scored it.
    pub outstanding: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::review::rules;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn scores_average_like_sheets_and_the_pass_mark_is_inclusive() {
        let r = rules::sample();
        let four = result(&[70, 61, 55, 58], &r).unwrap();
        // (70 + 61 + 55 + 58) / 4 = 61.0: on the mark of 60 and above it.
        assert_eq!(four.mean, Points(61_000));
        assert!(four.passes() && !four.trimmed);
        let five = result(&[95, 59, 59, 60, 10], &r).unwrap();
        // 95 and 10 dropped: (59 + 59 + 60) / 3 = 59.333… → fails the mark of 60.
        assert_eq!(five.mean, Points(59_333));
        assert!(five.trimmed && !five.passes());
        let exactly = result(&[60, 60], &r).unwrap();
        assert!(exactly.passes());
        assert_eq!((exactly.scale, exactly.pass_mark), (100, 60));
        assert_eq!(result(&[], &r), None);
    }

    #[test]
    fn a_defense_falls_between_today_and_the_end_of_scoring() {
        let (today, end) = (day("2026-11-27"), day("2026-12-20"));
        assert_eq!(check_schedule(at("2026-11-27 08:00"), today, end), Ok(()));
        assert_eq!(check_schedule(at("2026-12-20 18:30"), today, end), Ok(()));
        assert_eq!(
            check_schedule(at("2026-11-26 14:00"), today, end),
            Err(ScheduleError::Past)
        );
        assert_eq!(
            check_schedule(at("2026-12-21 09:00"), today, end),
            Err(ScheduleError::AfterScoring)
        );
    }

    #[test]
    fn reviewers_score_from_the_defense_day_on() {
        let defense = at("2026-11-30 14:00");
        assert!(!may_score(defense, day("2026-11-29")));
        assert!(may_score(defense, day("2026-11-30")));
        assert!(may_score(defense, day("2026-12-01")));
    }
}
