//! A review session's own schedule (domain.md §6): it takes applications only in its window,
//! its reviewers score only in the scoring period, and its meeting is not held before its
//! date. Moving a date is the secretariat's explicit change, with a reason, never a bypass.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub applies_from: NaiveDate,
    pub applies_to: NaiveDate,
    pub scoring_from: NaiveDate,
    pub scoring_to: NaiveDate,
    pub meeting_on: NaiveDate,
}

/// Where a period stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    NotYet,
    Open,
    Over,
}

fn period(from: NaiveDate, to: NaiveDate, day: NaiveDate) -> Period {
    if day < from {
        Period::NotYet
    } else if day > to {
        Period::Over
    } else {
        Period::Open
    }
}

impl Schedule {
    /// The fields (form names) whose date is out of order: the window, then scoring (which
    /// starts after the window closes), then the meeting (not before scoring ends).
    pub fn out_of_order(&self) -> Vec<&'static str> {
        [
            ("applies_to", self.applies_to >= self.applies_from),
            ("scoring_from", self.scoring_from > self.applies_to),
            ("scoring_to", self.scoring_to >= self.scoring_from),
            ("meeting_on", self.meeting_on >= self.scoring_to),
        ]
        .into_iter()
        .filter(|(_, ok)| !ok)
        .map(|(field, _)| field)
        .collect()
    }

    pub fn applications(&self, day: NaiveDate) -> Period {
        period(self.applies_from, self.applies_to, day)
    }

    pub fn scoring(&self, day: NaiveDate) -> Period {
        period(self.scoring_from, self.scoring_to, day)
    }

    /// The meeting may be held from its date on (a voided ballot's new meeting later).
    pub fn meeting_may_open(&self, day: NaiveDate) -> bool {
        day >= self.meeting_on
    }

    /// The dates that differ from `other`'s, as (field, before, after).
    pub fn changes(&self, to: &Schedule) -> Vec<(&'static str, NaiveDate, NaiveDate)> {
        [
            ("applies_from", self.applies_from, to.applies_from),
            ("applies_to", self.applies_to, to.applies_to),
            ("scoring_from", self.scoring_from, to.scoring_from),
            ("scoring_to", self.scoring_to, to.scoring_to),
            ("meeting_on", self.meeting_on, to.meeting_on),
        ]
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn schedule() -> Schedule {
        Schedule {
            applies_from: d(11, 1),
            applies_to: d(12, 22),
            scoring_from: d(12, 23),
            scoring_to: d(12, 31),
            meeting_on: d(12, 31),
        }
    }

    #[test]
    fn each_step_has_its_own_days() {
        let s = schedule();
        assert!(s.out_of_order().is_empty());
        // 2026-12-07: the window is open, scoring is not, the meeting is not yet.
        assert_eq!(s.applications(d(12, 7)), Period::Open);
        assert_eq!(s.scoring(d(12, 7)), Period::NotYet);
        assert!(!s.meeting_may_open(d(12, 7)));
        // The boundaries belong to their period.
        assert_eq!(s.applications(d(12, 22)), Period::Open);
        assert_eq!(s.applications(d(12, 23)), Period::Over);
        assert_eq!(s.scoring(d(12, 23)), Period::Open);
        assert_eq!(s.scoring(d(12, 31)), Period::Open);
        assert!(s.meeting_may_open(d(12, 31)));
        assert_eq!(
            s.scoring(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()),
            Period::Over
        );
    }

    #[test]
    fn dates_out_of_order_are_named() {
        let mut s = schedule();
        s.scoring_from = d(12, 22); // scoring while the window is open
        s.meeting_on = d(12, 30); // a meeting before scoring ends
        assert_eq!(s.out_of_order(), ["scoring_from", "meeting_on"]);
        let moved = Schedule {
            meeting_on: d(12, 30),
            ..schedule()
        };
        assert_eq!(
            schedule().changes(&moved),
            [("meeting_on", d(12, 31), d(12, 30))]
        );
    }
}
