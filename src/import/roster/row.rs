//! One roster row's cells into a [`RosterLine`] or the list of what is wrong with it; the
//! helpers an attendance row's reader shares.

use super::codes::{Code, Detail, Issue};
use super::fields::Field;
use super::{Line, ParsedRow, RosterLine, Skip, values};
use crate::domain::quantity::Hours;
use crate::import::sheet::{Cell, Row, column_letter};
use std::collections::HashMap;

pub(crate) fn skipped(index: u32, cells: Vec<(u32, Cell)>, why: Skip) -> ParsedRow {
    ParsedRow {
        row: index + 1,
        cells,
        skip: Some(why),
        issues: Vec::new(),
        line: None,
        later: None,
    }
}

/// Collects one row's values and issues.
pub(crate) struct RowReader<'a> {
    pub row: &'a Row,
    pub columns: &'a HashMap<Field, u32>,
    pub issues: Vec<Issue>,
}

impl RowReader<'_> {
    pub fn cell(&self, field: Field) -> Option<&Cell> {
        let col = *self.columns.get(&field)?;
        self.row.get(col).filter(|c| !values::is_blank(c))
    }

    pub fn issue(&mut self, field: Option<Field>, code: Code, detail: Detail) {
        self.issues.push(Issue {
            row: self.row.index + 1,
            column: field
                .and_then(|f| self.columns.get(&f))
                .map(|c| column_letter(*c)),
            field,
            code,
            detail,
        });
    }

    /// The field's value through `check`, `None` when the cell is empty or wrong.
    pub fn read<T>(
        &mut self,
        field: Field,
        check: impl Fn(&Cell) -> values::Checked<T>,
    ) -> Option<T> {
        let result = check(self.cell(field)?);
        match result {
            Ok(v) => Some(v),
            Err((code, detail)) => {
                self.issue(Some(field), code, detail);
                None
            }
        }
    }

    pub fn required<T>(
        &mut self,
        field: Field,
        check: impl Fn(&Cell) -> values::Checked<T>,
    ) -> Option<T> {
        if self.cell(field).is_none() {
            self.issue(
                Some(field),
                Code::MissingRequired,
                Detail::Missing { field },
            );
            return None;
        }
        self.read(field, check)
    }

    pub fn free_text(&self, field: Field) -> Option<String> {
        self.cell(field).map(values::text).map(|t| {
            if t.len() <= 200 {
                t
            } else {
                t.chars().take(200).collect()
            }
        })
    }
}

pub(super) fn read_row(row: Row, columns: &HashMap<Field, u32>, date1904: bool) -> ParsedRow {
    let mut r = RowReader {
        row: &row,
        columns,
        issues: Vec::new(),
    };
    let name = r.required(Field::Name, values::name);
    let id = r.required(Field::IdNumber, values::id_number);
    let male = r.read(Field::Gender, values::gender);
    let phone = r.read(Field::Mobile, values::phone);
    let email = r.read(Field::Email, values::email);
    let education = r.read(Field::Education, values::education);
    let hours_theory = r.read(Field::HoursTheory, values::hours);
    let hours_practicum = r.read(Field::HoursPracticum, values::hours);
    let hours_total = r.read(Field::HoursTotal, values::hours);
    let score = r.read(Field::ExamScore, values::score);
    let birth = r.read(Field::BirthDate, |c| values::date(c, date1904));
    if let (Some(id), Some(male)) = (&id, male)
        && id.is_male() != male
    {
        r.issue(
            Some(Field::Gender),
            Code::GenderMismatch,
            Detail::Gender {
                by_id_male: id.is_male(),
            },
        );
    }
    if let (Some(id), Some(birth)) = (&id, birth)
        && id.birth_date() != birth
    {
        r.issue(
            Some(Field::BirthDate),
            Code::BirthDateMismatch,
            Detail::Value {
                value: birth.to_string(),
            },
        );
    }
    if let (Some(t), Some(p), Some(total)) = (hours_theory, hours_practicum, hours_total)
        && (t.0 + p.0 - total.0).abs() > 1
    {
        r.issue(
            Some(Field::HoursTotal),
            Code::BadHours,
            Detail::HoursTotal {
                theory: t.to_string(),
                practicum: p.to_string(),
                total: total.to_string(),
            },
        );
    }
    // Only a total: it is all theory unless the file says otherwise.
    let hours_theory = hours_theory.or(match (hours_practicum, hours_total) {
        (None, Some(total)) => Some(total),
        (Some(p), Some(total)) => Some(Hours(total.0 - p.0)),
        _ => None,
    });
    let cohort = r.free_text(Field::Cohort);
    let employer = r.free_text(Field::Employer);
    let position = r.free_text(Field::Position);
    let note = r.free_text(Field::Note);
    let issues = std::mem::take(&mut r.issues);
    let later = (!issues.is_empty()).then(|| {
        Box::new(super::LaterChecks {
            id: id.clone(),
            cohort: cohort.clone(),
            has_gender: male.is_some(),
            has_phone: phone.is_some(),
        })
    });
    let line = match (name, id, issues.is_empty()) {
        (Some(name), Some(id), true) => Some(Box::new(Line::Roster(RosterLine {
            name,
            id,
            male,
            phone,
            email,
            employer,
            position,
            education,
            cohort,
            hours_theory,
            hours_practicum,
            score,
            note,
        }))),
        _ => None,
    };
    ParsedRow {
        row: row.index + 1,
        cells: row.cells,
        skip: None,
        issues,
        line,
        later,
    }
}
