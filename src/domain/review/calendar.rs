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

/// A count of working days reached a year whose calendar is not stored: every year has its
/// holidays, so without them the count would be wrong (2027-01-01 counted as a working day).
/// The notice clock stops until that year is imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no working-day calendar is stored for {0}")]
pub struct MissingYear(pub i32);

impl WorkCalendar {
    /// A calendar is consistent when no day is both a holiday and a make-up working day.
    pub fn check(&self) -> Result<(), CalendarError> {
        match self.holidays.intersection(&self.workdays).next() {
            Some(d) => Err(CalendarError::Both(*d)),
            None => Ok(()),
        }
    }

    /// Whether `year`'s holidays and make-up days are stored (every year has holidays, so a
    /// year with none listed is one never imported).
    pub fn knows(&self, year: i32) -> bool {
        let (Some(from), Some(to)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return false;
        };
        self.holidays.range(from..=to).next().is_some()
            || self.workdays.range(from..=to).next().is_some()
    }

    /// The years the calendar holds.
    pub fn years(&self) -> std::collections::BTreeSet<i32> {
        self.holidays
            .iter()
            .chain(&self.workdays)
            .map(Datelike::year)
            .collect()
    }

    fn known(&self, day: NaiveDate) -> Result<(), MissingYear> {
        if self.knows(day.year()) {
            Ok(())
        } else {
            Err(MissingYear(day.year()))
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
    /// counts when it is a working day, otherwise the notice starts on the next one. `None`
    /// past any sane range; [`MissingYear`] when the count reaches a year not stored.
    pub fn notice_end(&self, start: NaiveDate, n: u32) -> Result<Option<NaiveDate>, MissingYear> {
        let mut day = start;
        let mut counted = 0;
        // A year has far fewer than 400 days off in a row; a bound keeps a bad list finite.
        for _ in 0..(n as usize * 7 + 400) {
            self.known(day)?;
            if self.is_working_day(day) {
                counted += 1;
                if counted == n.max(1) {
                    return Ok(Some(day));
                }
            }
            let Some(next) = day.checked_add_days(Days::new(1)) else {
                return Ok(None);
            };
            day = next;
        }
        Ok(None)
    }

    /// Working days from `from` to `to`, both included (0 when `to` is before `from`);
    /// [`MissingYear`] when a day of the range is in a year not stored.
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, MissingYear> {
        let mut n = 0;
        for day in from.iter_days().take_while(|d| *d <= to) {
            self.known(day)?;
            n += u32::from(self.is_working_day(day));
        }
        Ok(n)
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
        assert_eq!(c.notice_end(d(9, 27), 5), Ok(Some(d(10, 9))));
        assert_eq!(c.working_days(d(9, 27), d(10, 9)), Ok(5));
        // Starting on the holiday: the notice starts on Tuesday 8 October and ends on the
        // make-up Saturday.
        assert_eq!(c.notice_end(d(10, 1), 5), Ok(Some(d(10, 12))));
        // Without the year's calendar the same notice would wrongly end on 3 October: the
        // count stops instead.
        assert_eq!(
            WorkCalendar::default().notice_end(d(9, 27), 5),
            Err(MissingYear(2024))
        );
    }

    #[test]
    fn counting_is_inclusive_and_empty_backwards() {
        let c = national_day_2024();
        assert_eq!(c.working_days(d(10, 8), d(10, 8)), Ok(1));
        assert_eq!(c.working_days(d(10, 9), d(10, 8)), Ok(0));
        assert_eq!(c.working_days(d(10, 1), d(10, 7)), Ok(0));
    }

    /// A notice from Tuesday 29 December 2026 with only 2026 stored stops at the year's end
    /// (2027-01-01 is a holiday the count cannot know); with 2027 stored it ends on 5 January.
    #[test]
    fn a_count_into_a_year_not_stored_stops() {
        let y = |y: i32, m: u32, day: u32| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let mut c = WorkCalendar {
            holidays: [y(2026, 10, 1)].into_iter().collect(),
            workdays: Default::default(),
        };
        assert!(c.knows(2026) && !c.knows(2027));
        assert_eq!(c.notice_end(y(2026, 12, 29), 3), Ok(Some(y(2026, 12, 31))));
        assert_eq!(c.notice_end(y(2026, 12, 29), 5), Err(MissingYear(2027)));
        assert_eq!(
            c.working_days(y(2026, 12, 29), y(2027, 1, 4)),
            Err(MissingYear(2027))
        );
        c.holidays.insert(y(2027, 1, 1));
        assert_eq!(c.years().into_iter().collect::<Vec<_>>(), [2026, 2027]);
        assert_eq!(c.notice_end(y(2026, 12, 29), 5), Ok(Some(y(2027, 1, 5))));
        assert_eq!(c.working_days(y(2026, 12, 29), y(2027, 1, 4)), Ok(4));
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
