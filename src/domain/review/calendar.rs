//! The PRC working-day calendar public notices are counted in (domain.md §6.2: "≥5 working
//! days"). Weekends are rest days and Monday to Friday are working days, except the year's
//! public holidays, and the weekend days made working days (调休) to bridge them. Both lists
//! are configuration, published by the State Council each year.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A year's (or several years') exceptions to the Monday-to-Friday week.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WorkCalendar {
    /// Public holidays (法定节假日 and the rest days around them) that fall on weekdays.
    #[serde(default)]
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are working days (调休上班).
    #[serde(default)]
    pub workdays: BTreeSet<NaiveDate>,
}

/// Why a calendar cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("{0} is listed both as a holiday and as a make-up working day")]
    Both(NaiveDate),
}

impl WorkCalendar {
    /// A calendar is consistent when no day is both a holiday and a make-up working day.
    pub fn check(&self) -> Result<(), CalendarError> {
        match self.holidays.intersection(&self.workdays).next() {
            Some(d) => Err(CalendarError::Both(*d)),
            None => Ok(()),
        }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.workdays.contains(&day) {
            return true;
        }
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        !weekend && !self.holidays.contains(&day)
    }

    /// The last day of a notice of `n` working days (n ≥ 1) that starts on `start`: `start`
    /// counts when it is a working day, otherwise the notice starts on the next one.
    pub fn notice_end(&self, start: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut day = start;
        let mut counted = 0;
        // A year has far fewer than 400 days off in a row; a bound keeps a bad list finite.
        for _ in 0..(n as usize * 7 + 400) {
            if self.is_working_day(day) {
                counted += 1;
                if counted == n.max(1) {
                    return Some(day);
                }
            }
            day = day.checked_add_days(Days::new(1))?;
        }
        None
    }

    /// Working days from `from` to `to`, both included (0 when `to` is before `from`).
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, day).unwrap()
    }

    /// National Day 2024: 1–7 October off, Sunday 29 September and Saturday 12 October worked.
    fn national_day_2024() -> WorkCalendar {
        WorkCalendar {
            holidays: (1..=7).map(|day| d(10, day)).collect(),
            workdays: [d(9, 29), d(10, 12)].into_iter().collect(),
        }
    }

    #[test]
    fn weekends_rest_except_make_up_days_and_holidays_rest() {
        let c = national_day_2024();
        assert!(c.is_working_day(d(9, 27)), "a Friday");
        assert!(!c.is_working_day(d(9, 28)), "a Saturday");
        assert!(c.is_working_day(d(9, 29)), "a Sunday worked (调休)");
        assert!(!c.is_working_day(d(10, 1)), "National Day");
        assert!(!c.is_working_day(d(10, 7)), "a Monday inside the holiday");
        assert!(c.is_working_day(d(10, 12)), "a Saturday worked (调休)");
        assert!(!c.is_working_day(d(10, 13)), "a plain Sunday");
    }

    #[test]
    fn a_five_working_day_notice_across_the_holiday() {
        let c = national_day_2024();
        // Starting Friday 27 September: 27, 29 (make-up Sunday), 30, then 8, 9.
        assert_eq!(c.notice_end(d(9, 27), 5), Some(d(10, 9)));
        assert_eq!(c.working_days(d(9, 27), d(10, 9)), 5);
        // Starting on the holiday: the notice starts on Tuesday 8 October and ends on the
        // make-up Saturday.
        assert_eq!(c.notice_end(d(10, 1), 5), Some(d(10, 12)));
        // Without the calendar the same notice would wrongly end on 3 October.
        assert_eq!(
            WorkCalendar::default().notice_end(d(9, 27), 5),
            Some(d(10, 3))
        );
    }

    #[test]
    fn counting_is_inclusive_and_empty_backwards() {
        let c = national_day_2024();
        assert_eq!(c.working_days(d(10, 8), d(10, 8)), 1);
        assert_eq!(c.working_days(d(10, 9), d(10, 8)), 0);
        assert_eq!(c.working_days(d(10, 1), d(10, 7)), 0);
    }

    #[test]
    fn a_day_listed_twice_is_refused() {
        let mut c = national_day_2024();
        assert_eq!(c.check(), Ok(()));
        c.workdays.insert(d(10, 2));
        assert_eq!(c.check(), Err(CalendarError::Both(d(10, 2))));
    }

    #[test]
    fn the_calendar_is_data() {
        let c: WorkCalendar = serde_json::from_str(
            r#"{"holidays": ["2024-10-01", "2024-10-02"], "workdays": ["2024-09-29"]}"#,
        )
        .unwrap();
        assert!(!c.is_working_day(d(10, 2)) && c.is_working_day(d(9, 29)));
    }
}
