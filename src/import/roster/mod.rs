//! A training base's roster (domain.md §8): find the sheet and its header row, map the columns
//! by their names, and turn every row into a [`RosterLine`] or the list of what is wrong with it.
//! Nothing here knows the database; [`plan`] compares the lines with what is stored.
//!
//! Attendance files ([`Kind::Attendance`]) go through the same reader, header search, skipping
//! and duplicate marking; their rows become [`AttendanceLine`]s
//! (see [`crate::import::attendance`]).

pub mod codes;
pub mod fields;
pub mod plan;
pub mod values;

use crate::domain::eligibility::Education;
use crate::domain::id_number::IdNumber;
use crate::domain::quantity::Hours;
use crate::import::attendance::{self, AttendanceLine};
use crate::import::sheet::{
    self, Cell, Format, Limits, Row, RowSink, SheetError, Workbook, column_letter,
};
use codes::{Code, Detail, Issue};
use fields::{Field, normalise_header};
use serde::Serialize;
use std::collections::HashMap;

/// The header is looked for in this many rows from the top of each sheet.
const HEADER_SEARCH_ROWS: usize = 30;
/// A header row names at least this many known columns (domain.md §8.2).
const HEADER_MIN_FIELDS: usize = 5;

/// One valid row, normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterLine {
    pub name: String,
    pub id: IdNumber,
    pub male: Option<bool>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub employer: Option<String>,
    pub position: Option<String>,
    pub education: Option<Education>,
    /// The cohort code as written in the row, if the file has the column.
    pub cohort: Option<String>,
    pub hours_theory: Option<Hours>,
    pub hours_practicum: Option<Hours>,
    pub score: Option<String>,
    pub note: Option<String>,
}

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
    fn reads(self, field: Field) -> bool {
        use Field::*;
        match self {
            Kind::Roster => !matches!(
                field,
                CourseCode | CourseTitle | SessionDate | Module | Mode | Attended
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
    fn is_header(self, fields: &HashMap<Field, u32>) -> bool {
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
type Key<'a> = (
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<chrono::NaiveDate>,
    Option<&'a str>,
);

impl Line {
    pub fn id(&self) -> &IdNumber {
        match self {
            Line::Roster(l) => &l.id,
            Line::Attendance(l) => &l.id,
        }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    Blank,
    Totals,
    /// An attendance row marked absent (缺勤, 请假, ×).
    Absent,
}

/// Every row below the header, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    /// Excel's row number.
    pub row: u32,
    /// The cells as read (for the error workbook), by 0-based column.
    pub cells: Vec<(u32, Cell)>,
    pub skip: Option<Skip>,
    pub issues: Vec<Issue>,
    /// Present when the row has no issue of its own. Boxed: the rows of a 100,000-row roster
    /// stay small while the list of them grows.
    pub line: Option<Box<Line>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub kind: Kind,
    pub sheet: String,
    /// Excel's row number of the header.
    pub header_row: u32,
    /// The header row's cells, for the error workbook.
    pub header: Vec<(u32, Cell)>,
    pub columns: HashMap<Field, u32>,
    /// Header texts Ladder does not read (reported, not an error).
    pub ignored: Vec<String>,
    pub rows: Vec<ParsedRow>,
    pub date1904: bool,
}

/// Why no roster could be found in a workbook.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RosterError {
    #[error(
        "no header row with at least {HEADER_MIN_FIELDS} known columns, including name and ID number, in the first {HEADER_SEARCH_ROWS} rows of any sheet"
    )]
    NoHeader,
    #[error(
        "no attendance header (name, ID number, and a course code or a date and hours) in the first {HEADER_SEARCH_ROWS} rows of any sheet"
    )]
    NoAttendanceHeader,
}

impl RosterError {
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        if *self == RosterError::NoAttendanceHeader {
            return match lang {
                crate::i18n::Lang::Zh => format!(
                    "没有找到考勤表头：任何工作表的前 {HEADER_SEARCH_ROWS} 行中都没有同时含“姓名”“身份证号”和“课程编号”（或“上课日期”“学时”）的行。请检查是否选错了文件或导入类型。"
                ),
                crate::i18n::Lang::En => format!(
                    "No attendance header found: none of the first {HEADER_SEARCH_ROWS} rows of any sheet names 姓名 (name), 身份证号 (ID number) and 课程编号 (course code), or 上课日期 (date) and 学时 (hours). Is this the right file and import type?"
                ),
            };
        }
        match lang {
            crate::i18n::Lang::Zh => format!(
                "没有找到表头：任何工作表的前 {HEADER_SEARCH_ROWS} 行中都没有含“姓名”“身份证号”等至少 {HEADER_MIN_FIELDS} 个已知列名的行。请检查是否选错了文件。"
            ),
            crate::i18n::Lang::En => format!(
                "No header row found: none of the first {HEADER_SEARCH_ROWS} rows of any sheet names at least {HEADER_MIN_FIELDS} known columns including 姓名 (name) and 身份证号 (ID number). Is this the right file?"
            ),
        }
    }
}

fn header_fields(row: &Row, kind: Kind) -> HashMap<Field, u32> {
    let mut found = HashMap::new();
    for (col, cell) in &row.cells {
        if let Cell::Text(t) = cell
            && let Some(f) = Field::from_header(t)
            && kind.reads(f)
        {
            // The first column of a name wins; a second "备注" is ignored.
            found.entry(f).or_insert(*col);
        }
    }
    found
}

/// A totals row says so in one of its first two cells (合计, 总计, 小计, Total).
fn is_totals(row: &Row) -> bool {
    row.cells.iter().take(2).any(|(_, c)| match c {
        Cell::Text(t) if t.contains('计') || t.contains(['t', 'T', 's', 'S']) => {
            let h = normalise_header(t);
            ["合计", "总计", "小计", "total", "sum"]
                .iter()
                .any(|w| h.starts_with(w))
        }
        _ => false,
    })
}

/// The roster found so far: its header and the rows read below it.
struct Found {
    kind: Kind,
    sheet: String,
    date1904: bool,
    header: Row,
    columns: HashMap<Field, u32>,
    /// Columns that hold data (not 序号): a row with none of them is blank.
    data_columns: Vec<u32>,
    next_row: u32,
    rows: Vec<ParsedRow>,
}

impl Found {
    fn take(&mut self, r: Row, keep_cells: bool) {
        // Rows the file leaves entirely empty are blank rows too.
        for missing in self.next_row..r.index {
            self.rows.push(skipped(missing, Vec::new(), Skip::Blank));
        }
        self.next_row = r.index + 1;
        let has_data = r.cells.iter().any(|(c, _)| self.data_columns.contains(c));
        if is_totals(&r) {
            self.rows.push(skipped(r.index, r.cells, Skip::Totals));
        } else if !has_data {
            self.rows.push(skipped(r.index, r.cells, Skip::Blank));
        } else {
            let mut parsed = match self.kind {
                Kind::Roster => read_row(r, &self.columns, self.date1904),
                Kind::Attendance => attendance::read_row(r, &self.columns, self.date1904),
            };
            // An absent row keeps its cells: the preview names who was absent.
            if !keep_cells && parsed.issues.is_empty() && parsed.skip.is_none() {
                parsed.cells = Vec::new();
            }
            self.rows.push(parsed);
        }
    }
}

/// Reads rows as they stream: looks for the header in the first rows of each sheet, then
/// reads every row below it; later sheets are not read at all.
struct Parser {
    kind: Kind,
    keep_cells: bool,
    sheet: String,
    date1904: bool,
    /// Rows looked at in the current sheet while searching for the header.
    seen: usize,
    found: Option<Found>,
}

impl RowSink for Parser {
    fn start_sheet(&mut self, name: &str, date1904: bool) -> bool {
        if self.found.is_some() {
            return false;
        }
        self.sheet = name.to_string();
        self.date1904 = date1904;
        self.seen = 0;
        true
    }

    fn row(&mut self, row: Row) {
        if let Some(found) = &mut self.found {
            found.take(row, self.keep_cells);
            return;
        }
        if self.seen >= HEADER_SEARCH_ROWS {
            return;
        }
        self.seen += 1;
        let columns = header_fields(&row, self.kind);
        if self.kind.is_header(&columns) {
            self.found = Some(Found {
                kind: self.kind,
                sheet: self.sheet.clone(),
                date1904: self.date1904,
                next_row: row.index + 1,
                data_columns: columns
                    .iter()
                    .filter(|(f, _)| **f != Field::RowNo)
                    .map(|(_, c)| *c)
                    .collect(),
                header: row,
                columns,
                rows: Vec::new(),
            });
        }
    }
}

impl Parser {
    fn new(kind: Kind, keep_cells: bool) -> Parser {
        Parser {
            kind,
            keep_cells,
            sheet: String::new(),
            date1904: false,
            seen: 0,
            found: None,
        }
    }

    fn finish(self) -> Result<Parsed, RosterError> {
        let f = self.found.ok_or(match self.kind {
            Kind::Roster => RosterError::NoHeader,
            Kind::Attendance => RosterError::NoAttendanceHeader,
        })?;
        let mapped: Vec<u32> = f.columns.values().copied().collect();
        let ignored = f
            .header
            .cells
            .iter()
            .filter(|(c, _)| !mapped.contains(c))
            .map(|(_, v)| v.display())
            .collect();
        let mut rows = f.rows;
        mark_duplicates(
            &mut rows,
            f.columns.get(&Field::IdNumber).map(|c| column_letter(*c)),
            f.kind,
        );
        Ok(Parsed {
            kind: f.kind,
            sheet: f.sheet,
            header_row: f.header.index + 1,
            header: f.header.cells,
            columns: f.columns,
            ignored,
            rows,
            date1904: f.date1904,
        })
    }
}

/// Finds the roster in the first sheet that has a header row, and reads every row below it.
pub fn parse(workbook: Workbook) -> Result<Parsed, RosterError> {
    parse_as(Kind::Roster, workbook)
}

/// [`parse`] for a file of either kind.
pub fn parse_as(kind: Kind, workbook: Workbook) -> Result<Parsed, RosterError> {
    let mut parser = Parser::new(kind, true);
    for sheet in workbook.sheets {
        if !parser.start_sheet(&sheet.name, sheet.date1904) {
            break;
        }
        for row in sheet.rows {
            parser.row(row);
        }
    }
    parser.finish()
}

/// Why a roster file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error(transparent)]
    Sheet(#[from] SheetError),
    #[error(transparent)]
    Roster(#[from] RosterError),
}

/// Reads a roster straight from the file, streaming its rows: the workbook is never held whole,
/// and the rows are validated on a second thread while the first reads on.
/// The cells as read are kept only for rows with a problem unless `keep_cells` (the error
/// workbook needs every row's).
pub fn read(
    kind: Kind,
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    keep_cells: bool,
) -> Result<(Format, Parsed), FileError> {
    let mut parser = Parser::new(kind, keep_cells);
    let format = sheet::read_piped(name, bytes, limits, &mut parser)?;
    Ok((format, parser.finish()?))
}

pub(crate) fn skipped(index: u32, cells: Vec<(u32, Cell)>, why: Skip) -> ParsedRow {
    ParsedRow {
        row: index + 1,
        cells,
        skip: Some(why),
        issues: Vec::new(),
        line: None,
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

fn read_row(row: Row, columns: &HashMap<Field, u32>, date1904: bool) -> ParsedRow {
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
    }
}

/// The first row of a person in a cohort (of a person's course, in an attendance file)
/// imports; every later one is `duplicate_in_file`. (The keys borrow from the rows: nothing is
/// copied for a roster of 100,000 rows.)
fn mark_duplicates(rows: &mut [ParsedRow], id_column: Option<String>, kind: Kind) {
    // (repeat, the Excel row of the first of its key)
    let repeats: Vec<(usize, u32)> = {
        let mut first: HashMap<Key<'_>, u32> = HashMap::with_capacity(rows.len());
        rows.iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let key = r.line.as_deref()?.key();
                match first.entry(key) {
                    std::collections::hash_map::Entry::Occupied(o) => Some((i, *o.get())),
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(r.row);
                        None
                    }
                }
            })
            .collect()
    };
    for (i, original) in repeats {
        let r = &mut rows[i];
        r.issues.push(Issue {
            row: r.row,
            column: id_column.clone(),
            field: Some(Field::IdNumber),
            code: Code::DuplicateInFile,
            detail: match kind {
                Kind::Roster => Detail::DuplicateOf { row: original },
                Kind::Attendance => Detail::DuplicateAttendance { row: original },
            },
        });
        r.line = None;
    }
}
