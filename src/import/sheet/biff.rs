//! A pre-scan of a legacy .xls (BIFF in an OLE container) before calamine reads it.
//!
//! calamine reads every sheet of an .xls when it opens the file, reserving room for each
//! sheet's declared DIMENSIONS and then filling a dense grid over the bounding box of the cells
//! it finds. A small hostile file can declare or use an enormous area; this walk over the
//! records finds both and refuses the file before calamine allocates anything. It also tells a
//! password-protected workbook (FILEPASS, or an encrypted .xlsx, which is an OLE file too) from a
//! damaged one.

use super::{Limits, SheetError, check_position};
use std::io::{Cursor, Read};

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const FILEPASS: u16 = 0x002F;
const DIMENSIONS: u16 = 0x0200;
const MULRK: u16 = 0x00BD;
/// Cell records whose data starts with the row and column (u16 each).
const CELLS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];

fn u16_at(d: &[u8], i: usize) -> Option<u32> {
    d.get(i..i + 2)
        .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    d.get(i..i + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The area calamine will reserve for a DIMENSIONS record, computed the way calamine reads it.
fn declared_area(d: &[u8]) -> Result<u64, SheetError> {
    let (rf, rl, cf, cl) = match d.len() {
        10 => (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6)),
        14 | 16 => (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10)),
        _ => return Err(SheetError::Damaged),
    };
    let (Some(rf), Some(rl), Some(cf), Some(cl)) = (rf, rl, cf, cl) else {
        return Err(SheetError::Damaged);
    };
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    let (er, ec) = if rl >= 1 && cl >= 1 {
        (rl - 1, cl - 1)
    } else {
        (rf, cf)
    };
    if er < rf || ec < cf {
        return Err(SheetError::Damaged);
    }
    Ok(u64::from(er - rf + 1) * u64::from(ec - cf + 1))
}

#[derive(Default)]
struct Bounds {
    min_r: u32,
    max_r: u32,
    min_c: u32,
    max_c: u32,
    any: bool,
}

impl Bounds {
    fn add(&mut self, r: u32, c: u32) {
        if !self.any {
            *self = Bounds {
                min_r: r,
                max_r: r,
                min_c: c,
                max_c: c,
                any: true,
            };
            return;
        }
        self.min_r = self.min_r.min(r);
        self.max_r = self.max_r.max(r);
        self.min_c = self.min_c.min(c);
        self.max_c = self.max_c.max(c);
    }

    fn area(&self) -> u64 {
        if !self.any {
            return 0;
        }
        u64::from(self.max_r - self.min_r + 1) * u64::from(self.max_c - self.min_c + 1)
    }
}

pub fn prescan(bytes: &[u8], limits: &Limits) -> Result<(), SheetError> {
    let mut ole = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| SheetError::Damaged)?;
    if ole.is_stream("/EncryptedPackage") {
        return Err(SheetError::Encrypted);
    }
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| ole.is_stream(n))
        .ok_or(SheetError::NotASpreadsheet {
            name: String::new(),
            found: "OLE",
        })?;
    let mut stream = Vec::new();
    ole.open_stream(name)
        .and_then(|mut s| s.read_to_end(&mut stream))
        .map_err(|_| SheetError::Damaged)?;
    walk(&stream, limits)
}

fn walk(stream: &[u8], limits: &Limits) -> Result<(), SheetError> {
    let mut at = 0usize;
    let mut depth = 0u32;
    let mut sheet_no = 0u32;
    let mut bounds = Bounds::default();
    let sheet_name = |n: u32| format!("#{n}");
    let check = |b: &Bounds, n: u32| -> Result<(), SheetError> {
        if b.area() > limits.max_dense_cells {
            return Err(SheetError::TooManyCells {
                sheet: sheet_name(n),
                cells: b.area(),
                limit: limits.max_dense_cells,
            });
        }
        Ok(())
    };
    while at + 4 <= stream.len() {
        let typ = u16_at(stream, at).unwrap_or(0) as u16;
        let len = u16_at(stream, at + 2).unwrap_or(0) as usize;
        let data = stream
            .get(at + 4..at + 4 + len)
            .ok_or(SheetError::Damaged)?;
        at += 4 + len;
        match typ {
            BOF => {
                if depth == 0 {
                    check(&bounds, sheet_no)?;
                    bounds = Bounds::default();
                    sheet_no += 1;
                }
                depth += 1;
            }
            EOF => depth = depth.saturating_sub(1),
            FILEPASS if u16_at(data, 0).unwrap_or(0) != 0 => return Err(SheetError::Encrypted),
            DIMENSIONS => {
                let area = declared_area(data)?;
                if area > limits.max_dense_cells {
                    return Err(SheetError::TooManyCells {
                        sheet: sheet_name(sheet_no),
                        cells: area,
                        limit: limits.max_dense_cells,
                    });
                }
            }
            MULRK => {
                let (Some(r), Some(c0)) = (u16_at(data, 0), u16_at(data, 2)) else {
                    return Err(SheetError::Damaged);
                };
                let c1 = data
                    .len()
                    .checked_sub(2)
                    .and_then(|i| u16_at(data, i))
                    .ok_or(SheetError::Damaged)?;
                // calamine subtracts these unchecked (a panic in debug builds): a record whose
                // columns run backwards, or whose length disagrees with them, is damage.
                if c1 < c0 || data.len() != 6 + 6 * (c1 - c0 + 1) as usize {
                    return Err(SheetError::Damaged);
                }
                for c in [c0, c1] {
                    check_position(&sheet_name(sheet_no), r, c, limits)?;
                    bounds.add(r, c);
                }
            }
            t if CELLS.contains(&t) => {
                let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) else {
                    return Err(SheetError::Damaged);
                };
                check_position(&sheet_name(sheet_no), r, c, limits)?;
                bounds.add(r, c);
            }
            _ => {}
        }
    }
    check(&bounds, sheet_no)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend((data.len() as u16).to_le_bytes());
        v.extend(data);
        v
    }

    fn number_at(r: u16, c: u16) -> Vec<u8> {
        let mut d = r.to_le_bytes().to_vec();
        d.extend(c.to_le_bytes());
        d.extend([0u8; 10]);
        record(0x0203, &d)
    }

    #[test]
    fn far_apart_cells_are_refused_by_their_bounding_box() {
        let limits = Limits {
            max_rows: 70_000,
            ..Limits::default()
        };
        let mut s = record(BOF, &[0; 16]);
        s.extend(number_at(0, 0));
        s.extend(number_at(65_535, 255));
        s.extend(record(EOF, &[]));
        let err = walk(&s, &limits).unwrap_err();
        assert!(matches!(err, SheetError::TooManyCells { cells, .. } if cells == 65_536 * 256));
    }

    #[test]
    fn a_huge_declared_dimension_is_refused() {
        let mut d = 0u32.to_le_bytes().to_vec();
        d.extend(u32::MAX.to_le_bytes());
        d.extend([0, 0, 0xFF, 0, 0, 0]);
        let mut s = record(BOF, &[0; 16]);
        s.extend(record(DIMENSIONS, &d));
        assert!(matches!(
            walk(&s, &Limits::default()),
            Err(SheetError::TooManyCells { .. })
        ));
    }

    #[test]
    fn an_inverted_dimension_is_damage_not_a_panic() {
        let mut d = 10u32.to_le_bytes().to_vec();
        d.extend(3u32.to_le_bytes());
        d.extend([0, 0, 5, 0, 0, 0]);
        assert_eq!(declared_area(&d), Err(SheetError::Damaged));
    }

    #[test]
    fn a_truncated_record_is_damage() {
        let mut s = record(BOF, &[0; 16]);
        s.extend([0x03, 0x02, 50, 0, 1, 2]);
        assert_eq!(walk(&s, &Limits::default()), Err(SheetError::Damaged));
    }

    #[test]
    fn a_mulrk_running_backwards_is_damage() {
        let mut d = 5u16.to_le_bytes().to_vec();
        d.extend(9u16.to_le_bytes());
        d.extend([0u8; 6]);
        d.extend(3u16.to_le_bytes());
        let mut s = record(BOF, &[0; 16]);
        s.extend(record(MULRK, &d));
        assert_eq!(walk(&s, &Limits::default()), Err(SheetError::Damaged));
    }

    #[test]
    fn filepass_means_encrypted() {
        let mut s = record(BOF, &[0; 16]);
        s.extend(record(FILEPASS, &[1, 0, 0, 0]));
        assert_eq!(walk(&s, &Limits::default()), Err(SheetError::Encrypted));
    }
}
