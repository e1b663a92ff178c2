//! calamine, used only in ways whose cost is bounded: cell streams for .xlsx/.xlsb, and the
//! dense readers for .xls/.ods only after their pre-scan ([`super::biff`], [`super::ods`]).

use super::{Cell, Format, Limits, RowSink, RowStream, SheetError, check_position};
use calamine::{Data, DataRef, Reader, SheetType, SheetVisible};
use chrono::{NaiveDate, NaiveDateTime};
use std::io::{Cursor, Read};

fn error_of(e: impl std::fmt::Display) -> SheetError {
    if e.to_string().to_ascii_lowercase().contains("password") {
        SheetError::Encrypted
    } else {
        SheetError::Damaged
    }
}

fn date_cell(dt: &calamine::ExcelDateTime) -> Cell {
    match dt.as_datetime() {
        Some(d) if dt.is_datetime() => Cell::Date(d),
        _ => Cell::Number(dt.as_f64()),
    }
}

fn iso_cell(s: &str) -> Cell {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(chrono::NaiveTime::MIN))
        })
        .map_or_else(|| Cell::Text(s.to_string()), Cell::Date)
}

fn from_ref(v: &DataRef<'_>) -> Option<Cell> {
    Some(match v {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => date_cell(dt),
        DataRef::DateTimeIso(s) => iso_cell(s),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => return None,
    })
}

fn from_data(v: &Data) -> Option<Cell> {
    Some(match v {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date_cell(dt),
        Data::DateTimeIso(s) => iso_cell(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => return None,
    })
}

/// Visible worksheets, in order.
fn worksheet_names<RS: Read + std::io::Seek, R: Reader<RS>>(wb: &R) -> Vec<String> {
    wb.sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect()
}

/// Counts stored cells against the limit shared by every format.
struct Budget {
    left: u64,
}

impl Budget {
    fn new(limits: &Limits) -> Self {
        Budget {
            left: limits.max_dense_cells,
        }
    }

    fn take(&mut self, sheet: &str, limits: &Limits) -> Result<(), SheetError> {
        if self.left == 0 {
            return Err(SheetError::TooManyCells {
                sheet: sheet.to_string(),
                cells: limits.max_dense_cells + 1,
                limit: limits.max_dense_cells,
            });
        }
        self.left -= 1;
        Ok(())
    }
}

/// A streamed sheet's cells, each checked against the limits as it arrives, into `sink`.
fn stream(
    name: &str,
    limits: &Limits,
    budget: &mut Budget,
    sink: &mut dyn RowSink,
    mut next: impl FnMut() -> Result<Option<((u32, u32), Option<Cell>)>, SheetError>,
) -> Result<(), SheetError> {
    let mut rows = RowStream::default();
    while let Some(((r, c), value)) = next()? {
        if let Some(v) = value {
            check_position(name, r, c, limits)?;
            budget.take(name, limits)?;
            rows.push(r, c, v, sink)?;
        }
    }
    rows.finish(sink);
    Ok(())
}

/// `workbookPr date1904` from xl/workbook.xml (calamine applies it to date cells but does not
/// expose it, and plain serial numbers in date columns need it too).
fn xlsx_date1904(bytes: &[u8]) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    let Ok(entry) = zip.by_name("xl/workbook.xml") else {
        return false;
    };
    let mut xml = String::new();
    if entry.take(1 << 20).read_to_string(&mut xml).is_err() {
        return false;
    }
    xml.contains("date1904=\"1\"") || xml.contains("date1904=\"true\"")
}

/// Streams every visible worksheet of an opened .xlsx or .xlsb (their cell readers are
/// different types with the same shape).
macro_rules! streamed {
    ($wb:ident, $date1904:expr, $limits:expr, $sink:expr) => {{
        let mut budget = Budget::new($limits);
        for name in worksheet_names(&$wb) {
            if !$sink.start_sheet(&name, $date1904) {
                continue;
            }
            let mut reader = $wb.worksheet_cells_reader(&name).map_err(error_of)?;
            stream(&name, $limits, &mut budget, $sink, || {
                Ok(reader
                    .next_cell()
                    .map_err(error_of)?
                    .map(|cell| (cell.get_position(), from_ref(cell.get_value()))))
            })?;
        }
    }};
}

pub fn read_xlsx(
    bytes: &[u8],
    limits: &Limits,
    sink: &mut dyn RowSink,
) -> Result<Format, SheetError> {
    let date1904 = xlsx_date1904(bytes);
    let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes)).map_err(error_of)?;
    streamed!(wb, date1904, limits, sink);
    Ok(Format::Xlsx)
}

pub fn read_xlsb(
    bytes: &[u8],
    limits: &Limits,
    sink: &mut dyn RowSink,
) -> Result<Format, SheetError> {
    let mut wb: calamine::Xlsb<_> = calamine::Xlsb::new(Cursor::new(bytes)).map_err(error_of)?;
    let date1904 = wb.has_1904_epoch();
    streamed!(wb, date1904, limits, sink);
    Ok(Format::Xlsb)
}

/// .xls and .ods: calamine builds each sheet's dense range (bounded by the pre-scan), and the
/// used cells are handed on from it, row by row.
fn dense<RS, R>(mut wb: R, limits: &Limits, sink: &mut dyn RowSink) -> Result<(), SheetError>
where
    RS: Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let mut budget = Budget::new(limits);
    for name in worksheet_names(&wb) {
        if !sink.start_sheet(&name, false) {
            continue;
        }
        let range = wb.worksheet_range(&name).map_err(error_of)?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut cells = range
            .used_cells()
            .map(|(r, c, v)| ((r0 + r as u32, c0 + c as u32), from_data(v)));
        stream(&name, limits, &mut budget, sink, || Ok(cells.next()))?;
    }
    Ok(())
}

pub fn read_xls(
    bytes: &[u8],
    limits: &Limits,
    sink: &mut dyn RowSink,
) -> Result<Format, SheetError> {
    let wb: calamine::Xls<_> = calamine::Xls::new(Cursor::new(bytes)).map_err(error_of)?;
    dense(wb, limits, sink)?;
    Ok(Format::Xls)
}

pub fn read_ods(
    bytes: &[u8],
    limits: &Limits,
    sink: &mut dyn RowSink,
) -> Result<Format, SheetError> {
    let wb: calamine::Ods<_> = calamine::Ods::new(Cursor::new(bytes)).map_err(error_of)?;
    dense(wb, limits, sink)?;
    Ok(Format::Ods)
}
