//! A training base's roster (domain.md §8): find the sheet and its header row, map the columns
//! by their names, and turn every row into a [`RosterLine`] or the list of what is wrong with it.
//! Nothing here knows the database; [`plan`] compares the lines with what is stored.
//!
//! Attendance files ([`Kind::Attendance`]) go through the same reader, header search, skipping
//! and duplicate marking; their rows become [`AttendanceLine`]s
//! (see [`crate::import::attendance`]).

pub mod codes;
pub mod fields;
mod kind;
mod later;
pub mod outcome;
pub mod plan;
mod row;
pub mod values;

pub use kind::{Kind, Line};
use row::read_row;
pub(crate) use row::{RowReader, skipped};

use crate::domain::eligibility::Education;
use crate::domain::id_number::IdNumber;
use crate::domain::quantity::Hours;
use crate::import::attendance;
use crate::import::sheet::{
    self, Cell, Format, Limits, Row, RowSink, SheetError, Workbook, column_letter,
};
use codes::{Code, Detail, Issue};
use fields::{Field, normalise_header};
use serde::Serialize;
use std::collections::HashMap;

/// The header is looked for in this many rows from the top of each sheet.
const HEADER_SEARCH_ROWS: usize = 30;
use kind::{HEADER_MIN_FIELDS, OwnedKey};

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
    /// A roster row with issues of its own: what the plan checks against the database
    /// anyway, so the clerk sees every problem of the row at once (an unknown cohort, a
    /// missing phone for someone new), not one round at a time.
    pub later: Option<Box<LaterChecks>>,
}

/// What a flawed roster row says that the plan can still check.
#[derive(Debug, Clone, PartialEq)]
pub struct LaterChecks {
    /// The ID number when it is valid (else the person cannot be found: checked as new).
    pub id: Option<crate::domain::id_number::IdNumber>,
    pub cohort: Option<String>,
    pub has_gender: bool,
    pub has_phone: bool,
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

/// Called with rows once they are complete, repeats marked: every [`HOOK_BATCH`] rows and at
/// the end. An import plans them there, while the next rows are still being read.
pub type RowHook<'a> = Box<dyn FnMut(&HashMap<Field, u32>, &mut [ParsedRow]) + Send + 'a>;

/// Rows handed to a [`RowHook`] at a time.
const HOOK_BATCH: usize = 4_096;

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
    /// The Excel row of the first valid row of each key so far.
    first: HashMap<OwnedKey, u32>,
    /// Rows already handed to the hook.
    handed: usize,
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
            self.mark_repeat(&mut parsed);
            // An absent row keeps its cells: the preview names who was absent.
            if !keep_cells && parsed.issues.is_empty() && parsed.skip.is_none() {
                parsed.cells = Vec::new();
            }
            self.rows.push(parsed);
        }
    }

    /// The first row of a person in a cohort (of a person's course, in an attendance file)
    /// imports; every later one is `duplicate_in_file`.
    fn mark_repeat(&mut self, parsed: &mut ParsedRow) {
        let Some(line) = parsed.line.as_deref() else {
            return;
        };
        let original = match self.first.entry(line.owned_key()) {
            std::collections::hash_map::Entry::Occupied(o) => *o.get(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(parsed.row);
                return;
            }
        };
        parsed.issues.push(Issue {
            row: parsed.row,
            column: self
                .columns
                .get(&Field::IdNumber)
                .map(|c| column_letter(*c)),
            field: Some(Field::IdNumber),
            code: Code::DuplicateInFile,
            detail: match self.kind {
                Kind::Roster => Detail::DuplicateOf { row: original },
                Kind::Attendance => Detail::DuplicateAttendance { row: original },
            },
        });
        parsed.line = None;
    }

    /// Hands the rows not yet handed to `hook`, when there are `at_least` of them.
    fn hand(&mut self, hook: &mut Option<RowHook<'_>>, at_least: usize) {
        if let Some(hook) = hook
            && self.rows.len() - self.handed >= at_least.max(1)
        {
            hook(&self.columns, &mut self.rows[self.handed..]);
            self.handed = self.rows.len();
        }
    }
}

/// Reads rows as they stream: looks for the header in the first rows of each sheet, then
/// reads every row below it; later sheets are not read at all.
struct Parser<'h> {
    kind: Kind,
    keep_cells: bool,
    sheet: String,
    date1904: bool,
    /// Rows looked at in the current sheet while searching for the header.
    seen: usize,
    found: Option<Found>,
    hook: Option<RowHook<'h>>,
}

impl RowSink for Parser<'_> {
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
            found.hand(&mut self.hook, HOOK_BATCH);
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
                first: HashMap::new(),
                handed: 0,
            });
        }
    }
}

impl<'h> Parser<'h> {
    fn new(kind: Kind, keep_cells: bool, hook: Option<RowHook<'h>>) -> Parser<'h> {
        Parser {
            kind,
            keep_cells,
            hook,
            sheet: String::new(),
            date1904: false,
            seen: 0,
            found: None,
        }
    }

    fn finish(mut self) -> Result<Parsed, RosterError> {
        let mut f = self.found.take().ok_or(match self.kind {
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
        f.hand(&mut self.hook, 1);
        let rows = f.rows;
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
    let mut parser = Parser::new(kind, true, None);
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
    read_with(kind, name, bytes, limits, keep_cells, None)
}

/// [`read`], handing the rows to `hook` as they are complete.
pub fn read_with(
    kind: Kind,
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    keep_cells: bool,
    hook: Option<RowHook<'_>>,
) -> Result<(Format, Parsed), FileError> {
    let mut parser = Parser::new(kind, keep_cells, hook);
    let format = sheet::read_piped(name, bytes, limits, &mut parser)?;
    Ok((format, parser.finish()?))
}
