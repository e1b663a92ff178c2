//! Spreadsheet files into sparse rows of typed cells, with the work bounded before it starts.
//!
//! The format is judged by the bytes, not the name: a ZIP is .xlsx/.xlsm/.xlsb/.ods by what it
//! holds, an OLE file is .xls (or a password-protected Office file), anything else is text and
//! read as CSV only when the name says so. Before calamine sees a file:
//!
//! * a ZIP's entries are counted and each is inflated once through a counting sink, so a lying
//!   header or a decompression bomb stops at the limit instead of in calamine ([`archive`]);
//! * .xlsx and .xlsb cells are streamed, never materialised as calamine's dense `Range`, whose
//!   size is the bounding box of the used cells (a cell in A1 and one in XFD1048576 is 512 GiB);
//! * .xls and .ods, which calamine only reads densely, are pre-scanned for that bounding box
//!   ([`biff`], [`ods`]) and refused when it exceeds the cell limit.
//!
//! Everything here is synchronous and CPU-bound; the server calls it from a blocking thread.

pub mod archive;
pub mod biff;
mod error;
mod excel;
pub mod ods;
mod pipe;
pub mod text;

use chrono::NaiveDateTime;
pub use error::SheetError;
pub use pipe::read_piped;
use serde::Serialize;

/// One cell's value as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date (or date-time) the file marks as such; serial numbers in plain cells stay numbers.
    Date(NaiveDateTime),
    /// `#N/A`, `#VALUE!` and the like.
    Error(String),
}

impl Cell {
    /// The value as a clerk would read it in Excel (used for the error workbook and diffs).
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) | Cell::Error(s) => s.clone(),
            Cell::Number(n) => number_text(*n),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date(d) => {
                if d.time() == chrono::NaiveTime::MIN {
                    d.date().to_string()
                } else {
                    d.to_string()
                }
            }
        }
    }
}

/// A number written without exponent or trailing zeros where it is whole (13812345678, not
/// 1.3812345678e10).
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        // Exact below 2^53; integer formatting is many times faster than float formatting
        // (phones and scores arrive as numbers in most rows).
        (n as i64).to_string()
    } else {
        n.to_string()
    }
}

/// The non-empty cells of one row, left to right. `index` is 0-based (Excel row = index + 1).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub index: u32,
    pub cells: Vec<(u32, Cell)>,
}

impl Row {
    pub fn get(&self, col: u32) -> Option<&Cell> {
        self.cells.iter().find(|(c, _)| *c == col).map(|(_, v)| v)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    /// Rows with at least one value, top to bottom.
    pub rows: Vec<Row>,
    /// The workbook counts dates from 1904 (old Mac Excel) rather than 1900.
    pub date1904: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
    Csv,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    pub format: Format,
    /// Worksheets in workbook order (chart sheets and hidden sheets are left out).
    pub sheets: Vec<Sheet>,
}

/// How much work one file may cause. Defaults suit a training base's rosters with a wide margin;
/// the server takes `max_bytes` and `max_rows` from its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The file itself.
    pub max_bytes: usize,
    /// Entries in a ZIP container.
    pub max_entries: usize,
    /// All entries of a ZIP inflated together.
    pub max_inflated: u64,
    /// Inflated / compressed, for entries over 1 MiB inflated. XML compresses 5–30x; bombs 1000x.
    pub max_ratio: u64,
    /// Rows (the last used row's number, not the count of non-empty ones).
    pub max_rows: u32,
    /// Columns (the last used column's number).
    pub max_columns: u32,
    /// For .xls and .ods, which calamine reads densely: rows x columns of the used area.
    pub max_dense_cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 20 << 20,
            max_entries: 1_000,
            max_inflated: 400 << 20,
            max_ratio: 200,
            max_rows: 200_000,
            max_columns: 256,
            max_dense_cells: 4_000_000,
        }
    }
}

/// Excel's column letters for a 0-based column: 0 → A, 25 → Z, 26 → AA, 16383 → XFD.
pub fn column_letter(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// What the first bytes say the file is.
fn kind_of(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        "zip"
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        "ole"
    } else if bytes.starts_with(b"%PDF") {
        "PDF"
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G']) || bytes.starts_with(&[0xFF, 0xD8]) {
        "image"
    } else if looks_binary(bytes) {
        "binary"
    } else {
        "text"
    }
}

/// Whether the start of a file is not text in any encoding a CSV may come in: a NUL byte
/// (UTF-16 has them, and starts with its byte-order mark), or more than one control character
/// in twenty that text does not use. GBK and UTF-8 bytes above 0x7F are text.
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let controls = head
        .iter()
        .filter(|b| **b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A | 0x1B))
        .count();
    head.contains(&0) || controls * 20 > head.len()
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Receives a workbook row by row, so a large file is never held whole.
pub trait RowSink {
    /// A visible worksheet starts; `false` skips it (its cells are not even read).
    fn start_sheet(&mut self, name: &str, date1904: bool) -> bool;
    /// The sheet's next row with a value; rows arrive top to bottom.
    fn row(&mut self, row: Row);
}

/// Counts what reaches the real sink, to tell a workbook with no data at all.
struct Counting<'a> {
    inner: &'a mut dyn RowSink,
    rows: u64,
}

impl RowSink for Counting<'_> {
    fn start_sheet(&mut self, name: &str, date1904: bool) -> bool {
        self.inner.start_sheet(name, date1904)
    }

    fn row(&mut self, row: Row) {
        self.rows += 1;
        self.inner.row(row);
    }
}

/// Streams every visible worksheet of `bytes` (a file called `name`) into `sink`, within
/// `limits`; returns the format found.
pub fn read_into(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    sink: &mut dyn RowSink,
) -> Result<Format, SheetError> {
    if bytes.is_empty() {
        return Err(SheetError::Empty);
    }
    if bytes.len() > limits.max_bytes {
        return Err(SheetError::TooLarge {
            limit_mib: limits.max_bytes >> 20,
        });
    }
    let ext = extension(name);
    let found = kind_of(bytes);
    let mut sink = Counting {
        inner: sink,
        rows: 0,
    };
    // The pre-scans stop every hostile input we know of before calamine sees it; should
    // a damaged file still trip a panic inside a reader, it is a damaged file, not a crash.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(
        || -> Result<Format, SheetError> {
            Ok(match found {
                "zip" => match archive::inspect(bytes, limits)? {
                    archive::Content::Xlsx => excel::read_xlsx(bytes, limits, &mut sink)?,
                    archive::Content::Xlsb => excel::read_xlsb(bytes, limits, &mut sink)?,
                    archive::Content::Ods => {
                        ods::prescan(bytes, limits)?;
                        excel::read_ods(bytes, limits, &mut sink)?
                    }
                    archive::Content::Other => {
                        return Err(SheetError::NotASpreadsheet {
                            name: name.to_string(),
                            found: "ZIP",
                        });
                    }
                },
                "ole" => {
                    biff::prescan(bytes, limits)?;
                    excel::read_xls(bytes, limits, &mut sink)?
                }
                "text" if matches!(ext.as_str(), "csv" | "txt" | "tsv") => {
                    text::read(bytes, limits, &mut sink)?
                }
                other => {
                    return Err(SheetError::NotASpreadsheet {
                        name: name.to_string(),
                        found: other,
                    });
                }
            })
        },
    ));
    let format = match read {
        Ok(format) => format?,
        Err(_) => {
            tracing::warn!("a spreadsheet reader panicked; the file is treated as damaged");
            return Err(SheetError::Damaged);
        }
    };
    if sink.rows == 0 {
        return Err(SheetError::NoSheet);
    }
    Ok(format)
}

/// Keeps every row (for small files and tests; imports stream instead).
#[derive(Default)]
struct Collect {
    sheets: Vec<Sheet>,
}

impl RowSink for Collect {
    fn start_sheet(&mut self, name: &str, date1904: bool) -> bool {
        self.sheets.push(Sheet {
            name: name.to_string(),
            rows: Vec::new(),
            date1904,
        });
        true
    }

    fn row(&mut self, row: Row) {
        if let Some(s) = self.sheets.last_mut() {
            s.rows.push(row);
        }
    }
}

/// Reads every visible worksheet of `bytes` (a file called `name`), within `limits`.
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Workbook, SheetError> {
    let mut all = Collect::default();
    let format = read_into(name, bytes, limits, &mut all)?;
    Ok(Workbook {
        format,
        sheets: all.sheets,
    })
}

/// Checks one cell position against the limits (shared by every reader).
pub(crate) fn check_position(
    sheet: &str,
    row: u32,
    col: u32,
    limits: &Limits,
) -> Result<(), SheetError> {
    if row >= limits.max_rows {
        return Err(SheetError::TooManyRows {
            sheet: sheet.to_string(),
            row: row + 1,
            limit: limits.max_rows,
        });
    }
    if col >= limits.max_columns {
        return Err(SheetError::TooManyColumns {
            sheet: sheet.to_string(),
            column: column_letter(col),
            limit: column_letter(limits.max_columns - 1),
        });
    }
    Ok(())
}

/// Turns a sheet's cells, arriving row by row, into rows for a [`RowSink`]. Spreadsheet files
/// keep rows in ascending order (Excel repairs a file that does not); cells within a row are
/// sorted here. A row arriving after a later one means a damaged file.
#[derive(Default)]
pub(crate) struct RowStream {
    current: Option<Row>,
    unsorted: bool,
}

impl RowStream {
    pub fn push(
        &mut self,
        row: u32,
        col: u32,
        cell: Cell,
        sink: &mut dyn RowSink,
    ) -> Result<(), SheetError> {
        if let Cell::Text(t) = &cell
            && t.trim().is_empty()
        {
            return Ok(());
        }
        match &mut self.current {
            Some(cur) if cur.index == row => {
                if cur.cells.last().is_some_and(|(c, _)| *c >= col) {
                    self.unsorted = true;
                }
                cur.cells.push((col, cell));
            }
            Some(cur) if cur.index > row => return Err(SheetError::Damaged),
            _ => {
                let width = self.current.as_ref().map_or(8, |r| r.cells.len());
                self.finish(sink);
                let mut cells = Vec::with_capacity(width);
                cells.push((col, cell));
                self.current = Some(Row { index: row, cells });
            }
        }
        Ok(())
    }

    /// Hands over the row in progress (call at the end of each sheet).
    pub fn finish(&mut self, sink: &mut dyn RowSink) {
        if let Some(mut row) = self.current.take() {
            if std::mem::take(&mut self.unsorted) {
                row.cells.sort_by_key(|(c, _)| *c);
                row.cells.dedup_by_key(|(c, _)| *c);
            }
            sink.row(row);
        }
    }
}

#[cfg(test)]
mod tests;
