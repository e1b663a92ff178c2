//! A minimal .xlsb (BIFF12) writer for the tests, as no writer of the format is available
//! here: a workbook part naming the sheets, and per sheet its dimension and the cells as
//! records (inline strings, IEEE numbers), per MS-XLSB §2.1.4 (records) and §2.4 (the records
//! used). Enough for calamine's reader, which is what Ladder's .xlsb support rests on.

use super::V;
use std::io::Write;

/// A record: its type and size as 7-bit groups (low first, high bit "more"), then the body.
fn record(out: &mut Vec<u8>, typ: u16, body: &[u8]) {
    if typ < 0x80 {
        out.push(typ as u8);
    } else {
        out.push((typ & 0x7F) as u8 | 0x80);
        out.push((typ >> 7) as u8);
    }
    let mut len = body.len();
    loop {
        let byte = (len & 0x7F) as u8;
        len >>= 7;
        if len == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    out.extend_from_slice(body);
}

/// XLWideString: a character count, then UTF-16LE.
fn wide(out: &mut Vec<u8>, s: &str) {
    let units: Vec<u16> = s.encode_utf16().collect();
    out.extend((units.len() as u32).to_le_bytes());
    for u in units {
        out.extend(u.to_le_bytes());
    }
}

fn u32s(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// One sheet's part: `rows[r][c]` at row `r`, column `c` (0-based); empty cells are left out.
fn sheet_part(rows: &[Vec<V>]) -> Vec<u8> {
    let mut out = Vec::new();
    record(&mut out, 0x0081, &[]); // BrtBeginSheet
    let last_col = rows.iter().map(Vec::len).max().unwrap_or(1).max(1) as u32 - 1;
    let last_row = (rows.len().max(1) - 1) as u32;
    record(&mut out, 0x0094, &u32s(&[0, last_row, 0, last_col])); // BrtWsDim
    record(&mut out, 0x0091, &[]); // BrtBeginSheetData
    for (r, row) in rows.iter().enumerate() {
        record(&mut out, 0x0000, &u32s(&[r as u32, 0, 0])); // BrtRowHdr
        for (c, v) in row.iter().enumerate() {
            let mut body = u32s(&[c as u32, 0]); // column, style 0
            match v {
                V::S(s) => {
                    wide(&mut body, s);
                    record(&mut out, 0x0006, &body); // BrtCellSt
                }
                V::N(n) => {
                    body.extend(n.to_le_bytes());
                    record(&mut out, 0x0005, &body); // BrtCellReal
                }
                V::Empty => {}
            }
        }
    }
    record(&mut out, 0x0092, &[]); // BrtEndSheetData
    record(&mut out, 0x0082, &[]); // BrtEndSheet
    out
}

/// A workbook of `sheets` (name, rows), in order.
pub fn xlsb(sheets: &[(&str, Vec<Vec<V>>)]) -> Vec<u8> {
    let mut workbook = Vec::new();
    record(&mut workbook, 0x0083, &[]); // BrtBeginBook
    record(&mut workbook, 0x008F, &[]); // BrtBeginBundleShs
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, (name, _)) in sheets.iter().enumerate() {
        let id = format!("rId{}", i + 1);
        let mut body = u32s(&[0, i as u32 + 1]); // visible, tab id
        wide(&mut body, &id);
        wide(&mut body, name);
        record(&mut workbook, 0x009C, &body); // BrtBundleSh
        rels.push_str(&format!(
            r#"<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{}.bin"/>"#,
            i + 1
        ));
    }
    rels.push_str("</Relationships>");
    record(&mut workbook, 0x0090, &[]); // BrtEndBundleShs
    record(&mut workbook, 0x009D, &[0; 12]); // BrtCalcProp: the defined names end here
    record(&mut workbook, 0x0084, &[]); // BrtEndBook
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut part = |name: &str, bytes: &[u8]| {
        zip.start_file(name, stored).unwrap();
        zip.write_all(bytes).unwrap();
    };
    part(
        "[Content_Types].xml",
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>"#,
    );
    part("xl/workbook.bin", &workbook);
    part("xl/_rels/workbook.bin.rels", rels.as_bytes());
    for (i, (_, rows)) in sheets.iter().enumerate() {
        part(
            &format!("xl/worksheets/sheet{}.bin", i + 1),
            &sheet_part(rows),
        );
    }
    zip.finish().unwrap().into_inner()
}
