//! A ZIP container (.xlsx, .xlsm, .xlsb, .ods) checked before anything trusts it: the number of
//! entries, and every entry inflated once into a counting sink, stopping at the total and ratio
//! limits. The sizes in the ZIP's headers are not believed; the bytes that come out are counted.
//! The CRC check at the end of each entry also catches truncated or altered files here.

use super::{Limits, SheetError};
use std::io::{Cursor, Read};

/// What the archive holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// Office Open XML workbook (.xlsx, .xlsm).
    Xlsx,
    /// Excel binary workbook (.xlsb).
    Xlsb,
    /// OpenDocument spreadsheet (.ods).
    Ods,
    /// Some other ZIP (a .docx, a folder of files...).
    Other,
}

/// Entries smaller than this (inflated) are not held to the ratio: tiny XML parts compress well.
const RATIO_FLOOR: u64 = 1 << 20;

pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<Content, SheetError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| SheetError::Damaged)?;
    if zip.len() > limits.max_entries {
        return Err(SheetError::Bomb);
    }
    let mut names = Vec::with_capacity(zip.len());
    let mut total: u64 = 0;
    let mut sink = vec![0u8; 64 << 10];
    for i in 0..zip.len() {
        let mut entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(zip::result::ZipError::UnsupportedArchive(msg)) if msg.contains("assword") => {
                return Err(SheetError::Encrypted);
            }
            Err(_) => return Err(SheetError::Damaged),
        };
        if entry.encrypted() {
            return Err(SheetError::Encrypted);
        }
        names.push(entry.name().map(|n| n.to_string()).unwrap_or_default());
        let compressed = entry.compressed_size().max(1);
        let mut inflated: u64 = 0;
        loop {
            let n = entry.read(&mut sink).map_err(|_| SheetError::Damaged)?;
            if n == 0 {
                break;
            }
            inflated += n as u64;
            total += n as u64;
            if total > limits.max_inflated
                || (inflated > RATIO_FLOOR && inflated / compressed > limits.max_ratio)
            {
                return Err(SheetError::Bomb);
            }
        }
    }
    let has = |n: &str| names.iter().any(|x| x == n);
    Ok(if has("xl/workbook.xml") {
        Content::Xlsx
    } else if has("xl/workbook.bin") {
        Content::Xlsb
    } else if has("content.xml") && has("mimetype") {
        Content::Ods
    } else {
        Content::Other
    })
}
