//! CSV as Chinese offices write it: UTF-8 with or without a BOM, UTF-16 ("Unicode text", tab
//! separated), or GB18030/GBK, which Chinese Excel uses for "CSV (逗号分隔)" by default. The
//! delimiter (comma, tab or semicolon) is judged from the first line. Every value is text; rows
//! are numbered as Excel would show the file (record 1 = row 1).

use super::{Cell, Format, Limits, RowSink, RowStream, SheetError, check_position};
use std::borrow::Cow;

/// Whether a spreadsheet would read a cell as a formula: it begins with `=`, `+`, `-` or `@`
/// (or a tab or carriage return, which some tools drop before reading). Exports write such a
/// cell as text — in .xlsx with the quote-prefix format, in CSV behind an apostrophe — and this
/// import takes the apostrophe off again, so an export imported again changes nothing.
pub fn formula_like(cell: &str) -> bool {
    matches!(
        cell.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    )
}

/// A cell for a CSV file: a formula-like one behind an apostrophe.
pub fn guarded(cell: &str) -> Cow<'_, str> {
    if formula_like(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A CSV field as read: the apostrophe [`guarded`] put before a formula-like cell comes off;
/// any other apostrophe stays.
pub fn unguarded(field: &str) -> &str {
    match field.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => field,
    }
}

/// The file's text, whatever its encoding.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, SheetError> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return if had_errors {
            Err(SheetError::Encoding)
        } else {
            Ok(text)
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(text));
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or(SheetError::Encoding)
}

fn delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .filter(|d| first.as_bytes().contains(d))
        .unwrap_or(b',')
}

/// How many empty lines (LF or CRLF) the text has from byte `from` on. After a CRLF record
/// the csv crate's position is on its LF, which ends that record and is no blank line.
fn blank_lines(text: &[u8], from: usize) -> u64 {
    let mut rest = &text[from..];
    if from > 0 && text[from - 1] == b'\r' && rest.first() == Some(&b'\n') {
        rest = &rest[1..];
    }
    let mut n = 0;
    loop {
        rest = match rest {
            [b'\n', more @ ..] | [b'\r', b'\n', more @ ..] => more,
            _ => return n,
        };
        n += 1;
    }
}

pub fn read(bytes: &[u8], limits: &Limits, sink: &mut dyn RowSink) -> Result<Format, SheetError> {
    let text = decode(bytes)?;
    if text.contains('\0') {
        return Err(SheetError::Encoding);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(&text))
        .from_reader(text.as_bytes());
    let mut rows = RowStream::default();
    let sheet = "CSV";
    if !sink.start_sheet(sheet, false) {
        return Ok(Format::Csv);
    }
    // The row the clerk sees (a spreadsheet shows a blank line as an empty row and a quoted
    // cell over several lines as one row). The csv crate skips blank lines; a record's
    // position is where reading it began, before the blank lines it skipped, so they are
    // counted from there.
    let mut next_row = 0u64;
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Csv {
            line: e.position().map_or(0, |p| p.line()),
            reason: match e.kind() {
                csv::ErrorKind::Utf8 { .. } => "invalid text".to_string(),
                _ => "unreadable field".to_string(),
            },
        })?;
        let from = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
            .min(text.len());
        let index = next_row + blank_lines(text.as_bytes(), from);
        next_row = index + 1;
        let row = u32::try_from(index).unwrap_or(u32::MAX);
        for (col, field) in record.iter().enumerate() {
            if field.trim().is_empty() {
                continue;
            }
            let col = u32::try_from(col).unwrap_or(u32::MAX);
            check_position(sheet, row, col, limits)?;
            rows.push(row, col, Cell::Text(unguarded(field).to_string()), sink)?;
        }
    }
    rows.finish(sink);
    Ok(Format::Csv)
}

#[cfg(test)]
mod tests {
    use super::super::{Workbook, read as read_file};
    use super::*;

    fn read(bytes: &[u8], limits: &Limits) -> Result<Workbook, SheetError> {
        read_file("名单.csv", bytes, limits)
    }

    fn cells(w: &Workbook) -> Vec<Vec<String>> {
        w.sheets[0]
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|(_, c)| c.display()).collect())
            .collect()
    }

    /// Rows are the rows a spreadsheet shows: a blank line is an empty row, a quoted cell
    /// over two lines is one row, CRLF or LF.
    #[test]
    fn rows_count_blank_lines_and_not_the_lines_inside_a_quoted_cell() {
        for eol in ["\n", "\r\n"] {
            let text = [
                "序号,姓名,备注",
                "1,张三,",
                "",
                "2,李四,\"第一行",
                "第二行\"",
                "",
                "",
                "3,王五,",
            ]
            .join(eol);
            let w = read(text.as_bytes(), &Limits::default()).unwrap();
            let rows: Vec<(u32, String)> = w.sheets[0]
                .rows
                .iter()
                .map(|r| (r.index, r.cells[1].1.display()))
                .collect();
            assert_eq!(
                rows,
                [
                    (0, "姓名".to_string()),
                    (1, "张三".into()),
                    (3, "李四".into()),
                    (6, "王五".into())
                ],
                "{eol:?}"
            );
        }
    }

    #[test]
    fn the_exports_apostrophe_comes_off_a_formula_and_nowhere_else() {
        for cell in ["=HYPERLINK(\"x\")", "+86 138", "-1", "@SUM(A1)", "\tx"] {
            assert!(formula_like(cell), "{cell}");
            assert_eq!(unguarded(&guarded(cell)), cell);
        }
        for cell in ["张伟", "", "'quoted'", "O'Brien", "'张"] {
            assert!(!formula_like(cell), "{cell}");
            assert_eq!(guarded(cell), cell);
            assert_eq!(unguarded(cell), cell);
        }
        // Read from a file: the guarded cell comes back as it was exported.
        let w = read(
            "姓名,备注\n张伟,'=1+1\n李娜,'ok'\n".as_bytes(),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(
            cells(&w),
            vec![
                vec!["姓名", "备注"],
                vec!["张伟", "=1+1"],
                vec!["李娜", "'ok'"]
            ]
        );
    }

    #[test]
    fn utf8_with_bom_and_gbk_read_the_same() {
        let text = "姓名,身份证号\n张伟,110105198305186272\n";
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(text.as_bytes());
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let a = read(&bom, &Limits::default()).unwrap();
        let b = read(&gbk, &Limits::default()).unwrap();
        assert_eq!(
            cells(&a),
            vec![vec!["姓名", "身份证号"], vec!["张伟", "110105198305186272"]]
        );
        assert_eq!(cells(&a), cells(&b));
    }

    #[test]
    fn utf16_tab_separated_is_read() {
        let text = "姓名\t性别\n李娜\t女\n";
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let w = read(&bytes, &Limits::default()).unwrap();
        assert_eq!(cells(&w)[1], vec!["李娜", "女"]);
    }

    #[test]
    fn bytes_in_no_encoding_are_an_encoding_error_and_noise_is_binary() {
        // Text-like bytes that are neither UTF-8 nor GB18030.
        assert_eq!(
            read(&[0x81, 0x30, 0xFF, 0xFF, b'A'], &Limits::default()),
            Err(SheetError::Encoding)
        );
        // With a NUL (and no UTF-16 byte-order mark) it is not text at all.
        assert_eq!(
            read(&[0x81, 0x30, 0xFF, 0xFF, 0x00], &Limits::default()),
            Err(SheetError::NotASpreadsheet {
                name: "名单.csv".into(),
                found: "binary"
            })
        );
    }

    #[test]
    fn rows_beyond_the_limit_are_refused() {
        let limits = Limits {
            max_rows: 2,
            ..Limits::default()
        };
        let err = read(b"a\nb\nc\n", &limits).unwrap_err();
        assert!(matches!(err, SheetError::TooManyRows { row: 3, .. }));
    }
}
