//! What a file holds, and a valid row of either kind with the key that makes two rows the
//! same entry.

use super::RosterLine;
use super::fields::Field;
use crate::domain::id_number::IdNumber;
use crate::import::attendance::AttendanceLine;
use serde::Serialize;
use std::collections::HashMap;

/// A header row of a roster names at least this many known columns (domain.md §8.2).
pub(super) const HEADER_MIN_FIELDS: usize = 5;

/// What a file holds: a cohort's roster, or its attendance (training hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Roster,
    Attendance,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Roster, Kind::Attendance];

    /// As stored in `imports.kind` and written on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Roster => "roster",
            Kind::Attendance => "attendance",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    /// The columns a file of this kind is read for; other columns are reported as ignored.
    pub(super) fn reads(self, field: Field) -> bool {
        use Field::*;
        match self {
            Kind::Roster => !matches!(
                field,
                CourseCode | CourseTitle | SessionDate | Module | Mode | Attended | Status
            ),
            Kind::Attendance => matches!(
                field,
                RowNo
                    | Name
                    | IdNumber
                    | Cohort
                    | CourseCode
                    | CourseTitle
                    | SessionDate
                    | Module
                    | Mode
                    | HoursTotal
                    | Attended
                    | Note
            ),
        }
    }

    /// A roster's header names at least five known columns; an attendance sheet's names the
    /// person and either the catalog course or the date and hours.
    pub(super) fn is_header(self, fields: &HashMap<Field, u32>) -> bool {
        let has = |f| fields.contains_key(&f);
        has(Field::Name)
            && has(Field::IdNumber)
            && match self {
                Kind::Roster => fields.len() >= HEADER_MIN_FIELDS,
                Kind::Attendance => {
                    has(Field::CourseCode) || (has(Field::SessionDate) && has(Field::HoursTotal))
                }
            }
    }
}

/// A valid row of either kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    Roster(RosterLine),
    Attendance(AttendanceLine),
}

/// What makes two rows the same entry: a person in a cohort (a roster), a person's course or
/// dated session (attendance).
pub(super) type Key<'a> = (
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<chrono::NaiveDate>,
    Option<&'a str>,
);

/// [`Key`] with its own copies, to remember the rows already seen while they are planned.
pub(super) type OwnedKey = (
    String,
    Option<String>,
    Option<String>,
    Option<chrono::NaiveDate>,
    Option<String>,
);

impl Line {
    pub fn id(&self) -> &IdNumber {
        match self {
            Line::Roster(l) => &l.id,
            Line::Attendance(l) => &l.id,
        }
    }

    pub(super) fn owned_key(&self) -> OwnedKey {
        let (id, cohort, course, date, title) = self.key();
        (
            id.to_string(),
            cohort.map(str::to_string),
            course.map(str::to_string),
            date,
            title.map(str::to_string),
        )
    }

    fn key(&self) -> Key<'_> {
        match self {
            Line::Roster(l) => (l.id.as_str(), l.cohort.as_deref(), None, None, None),
            // A catalog course counts once, whatever the date; other training once a day.
            Line::Attendance(l) => match &l.course {
                Some(c) => (l.id.as_str(), l.cohort.as_deref(), Some(c), None, None),
                None => (
                    l.id.as_str(),
                    l.cohort.as_deref(),
                    None,
                    l.date,
                    l.title.as_deref(),
                ),
            },
        }
    }
}
