//! A pre-scan of an OpenDocument spreadsheet's content.xml before calamine reads it.
//!
//! ODS compresses runs of rows and cells into `number-rows-repeated` / `number-columns-repeated`
//! attributes, which calamine expands into a dense grid. A few hundred bytes can ask for
//! millions of cells; this walk adds the repeats up (without expanding anything) and refuses a
//! table whose used area exceeds the limits.

use super::{Limits, SheetError, check_position};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor, Read};

fn repeat(e: &BytesStart<'_>, attr: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == attr)
        .and_then(|a| a.value.parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

fn has_value(e: &BytesStart<'_>) -> bool {
    e.attributes()
        .flatten()
        .any(|a| a.key.as_ref() == "office:value-type")
}

struct Table {
    name: String,
    rows: u64,
    used_rows: u64,
    used_cols: u64,
    /// Within the current row.
    col: u64,
    row_used_cols: u64,
    row_repeat: u64,
}

impl Table {
    fn finish_row(&mut self) {
        if self.row_used_cols > 0 {
            self.used_rows = self.rows + self.row_repeat;
            self.used_cols = self.used_cols.max(self.row_used_cols);
        }
        self.rows += self.row_repeat;
    }

    fn check(&self, limits: &Limits) -> Result<(), SheetError> {
        let last = |n: u64| u32::try_from(n.saturating_sub(1)).unwrap_or(u32::MAX);
        if self.used_rows > 0 {
            check_position(
                &self.name,
                last(self.used_rows),
                last(self.used_cols),
                limits,
            )?;
        }
        let area = self.used_rows.saturating_mul(self.used_cols);
        if area > limits.max_dense_cells {
            return Err(SheetError::TooManyCells {
                sheet: self.name.clone(),
                cells: area,
                limit: limits.max_dense_cells,
            });
        }
        Ok(())
    }
}

pub fn prescan(bytes: &[u8], limits: &Limits) -> Result<(), SheetError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| SheetError::Damaged)?;
    let entry = zip
        .by_name("content.xml")
        .map_err(|_| SheetError::Damaged)?;
    // The archive was inflated once already within the limits, so this read is bounded.
    scan(BufReader::new(entry.take(limits.max_inflated)), limits)
}

fn scan(input: impl std::io::BufRead, limits: &Limits) -> Result<(), SheetError> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut table: Option<Table> = None;
    // Inside a non-empty cell element (its repeat and whether it holds anything).
    let mut cell: Option<(u64, bool)> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|_| SheetError::Damaged)?;
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e)
                if e.name().as_ref() == "table:table" && table.is_none() =>
            {
                let name = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == "table:name")
                    .map(|a| a.value.into_owned())
                    .unwrap_or_default();
                table = Some(Table {
                    name,
                    rows: 0,
                    used_rows: 0,
                    used_cols: 0,
                    col: 0,
                    row_used_cols: 0,
                    row_repeat: 1,
                });
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                if let Some(t) = table.take() {
                    t.check(limits)?;
                }
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                if let Some(t) = table.as_mut() {
                    t.col = 0;
                    t.row_used_cols = 0;
                    t.row_repeat = repeat(&e, "table:number-rows-repeated");
                }
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                if let Some(t) = table.as_mut() {
                    t.rows += repeat(&e, "table:number-rows-repeated");
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if let Some(t) = table.as_mut() {
                    t.finish_row();
                    t.check(limits)?;
                }
            }
            Event::Empty(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                if let Some(t) = table.as_mut() {
                    t.col += repeat(&e, "table:number-columns-repeated");
                    if has_value(&e) {
                        t.row_used_cols = t.col;
                    }
                }
            }
            Event::Start(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                cell = Some((repeat(&e, "table:number-columns-repeated"), has_value(&e)));
            }
            Event::Start(e) | Event::Empty(e)
                if cell.is_some() && e.name().as_ref() == "text:p" =>
            {
                if let Some((_, used)) = cell.as_mut() {
                    *used = true;
                }
            }
            Event::End(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                if let (Some((n, used)), Some(t)) = (cell.take(), table.as_mut()) {
                    t.col += n;
                    if used {
                        t.row_used_cols = t.col;
                    }
                }
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(rows: &str) -> String {
        format!(
            r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="名单">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
    }

    #[test]
    fn repeated_empty_rows_at_the_end_cost_nothing() {
        let xml = doc(
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
        );
        assert_eq!(scan(xml.as_bytes(), &Limits::default()), Ok(()));
    }

    #[test]
    fn a_value_after_a_million_repeated_rows_is_refused() {
        let xml = doc(
            r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row><table:table-row><table:table-cell office:value-type="float"><text:p>1</text:p></table:table-cell></table:table-row>"#,
        );
        assert!(matches!(
            scan(xml.as_bytes(), &Limits::default()),
            Err(SheetError::TooManyRows { row: 1_000_001, .. })
        ));
    }

    #[test]
    fn a_wide_repeated_value_is_refused() {
        let xml = doc(
            r#"<table:table-row table:number-rows-repeated="100"><table:table-cell office:value-type="float" table:number-columns-repeated="200"><text:p>1</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="float" table:number-columns-repeated="200"><text:p>1</text:p></table:table-cell></table:table-row>"#,
        );
        assert!(matches!(
            scan(xml.as_bytes(), &Limits::default()),
            Err(SheetError::TooManyCells { .. })
        ));
    }
}
