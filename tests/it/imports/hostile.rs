//! Hostile files: a clear error, bounded work, never a panic (with a property test).

use super::*;

fn zip_with(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn hostile_files_get_a_clear_error_and_bounded_work() {
    let limits = Limits::default();
    let xlsx = quirky_xlsx();
    // Truncated.
    assert_eq!(
        sheet::read("a.xlsx", &xlsx[..xlsx.len() / 2], &limits),
        Err(SheetError::Damaged)
    );
    // Empty, and a text file renamed .xlsx.
    assert_eq!(sheet::read("a.xlsx", b"", &limits), Err(SheetError::Empty));
    assert!(matches!(
        sheet::read("a.xlsx", b"just some notes\n", &limits),
        Err(SheetError::NotASpreadsheet { .. })
    ));
    // A password-protected workbook is an OLE file with an EncryptedPackage stream.
    let mut ole = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    {
        use std::io::Write;
        let mut s = ole.create_stream("/EncryptedPackage").unwrap();
        s.write_all(&[0u8; 600]).unwrap();
    }
    let encrypted = ole.into_inner().into_inner();
    assert_eq!(
        sheet::read("a.xlsx", &encrypted, &limits),
        Err(SheetError::Encrypted)
    );
    // Decompression bomb: 4 MiB of spaces (a few KiB compressed) trips the ratio limit.
    let bomb = zip_with(&[
        ("xl/workbook.xml", b"<workbook/>".to_vec()),
        ("xl/worksheets/sheet1.xml", vec![b' '; 4 << 20]),
    ]);
    assert!(bomb.len() < 64 << 10);
    assert_eq!(sheet::read("a.xlsx", &bomb, &limits), Err(SheetError::Bomb));
    // Over the inflated total even at an innocent ratio.
    let many: Vec<(u32, u16)> = (0..20_000).map(|r| (r, 0)).collect();
    let big = xlsx_with_cells(&many);
    assert!(sheet::read("a.xlsx", &big, &limits).is_ok());
    let small = Limits {
        max_inflated: 200 << 10,
        ..limits
    };
    assert_eq!(sheet::read("a.xlsx", &big, &small), Err(SheetError::Bomb));
    // Cells in A1 and XFD1048576: refused from the stream, nothing dense is allocated.
    let far = xlsx_with_cells(&[(0, 0), (1_048_575, 16_383)]);
    assert!(far.len() < 10_000);
    assert!(matches!(
        sheet::read("a.xlsx", &far, &limits),
        Err(SheetError::TooManyRows { row: 1_048_576, .. })
    ));
    let wide = xlsx_with_cells(&[(0, 0), (3, 16_383)]);
    assert!(matches!(
        sheet::read("a.xlsx", &wide, &limits),
        Err(SheetError::TooManyColumns { .. })
    ));
    // Over the file size limit.
    let tiny = Limits {
        max_bytes: 1000,
        ..limits
    };
    assert!(matches!(
        sheet::read("a.xlsx", &xlsx, &tiny),
        Err(SheetError::TooLarge { .. })
    ));
}

fn xlsx_with_cells(cells: &[(u32, u16)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (r, c) in cells {
        ws.write_string(*r, *c, "x").unwrap();
    }
    book.save_to_buffer().unwrap()
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn seeds() -> Vec<(&'static str, Vec<u8>)> {
        vec![
            ("a.xlsx", quirky_xlsx()),
            ("a.csv", quirky_csv().into_bytes()),
            (
                "a.xls",
                include_bytes!("../../fixtures/roster-quirks.xls").to_vec(),
            ),
            (
                "a.ods",
                include_bytes!("../../fixtures/roster-quirks.ods").to_vec(),
            ),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
        /// Mutated files (bytes overwritten, a slice cut out, the end truncated) read to a
        /// workbook or an error, never a panic, and never past the limits.
        #[test]
        fn mutated_workbooks_never_panic(
            which in 0usize..4,
            edits in proptest::collection::vec((any::<u32>(), any::<u8>()), 1..12),
            cut in proptest::option::of((any::<u32>(), 1u32..512)),
            keep in proptest::option::of(any::<u32>()),
        ) {
            let (name, mut bytes) = seeds().swap_remove(which);
            for (at, b) in edits {
                let i = at as usize % bytes.len();
                bytes[i] = b;
            }
            if let Some((at, n)) = cut {
                let i = at as usize % bytes.len();
                let j = (i + n as usize).min(bytes.len());
                bytes.drain(i..j);
            }
            if let Some(k) = keep && !bytes.is_empty() {
                bytes.truncate(k as usize % bytes.len() + 1);
            }
            let limits = Limits { max_rows: 5_000, max_dense_cells: 50_000, ..Limits::default() };
            if let Ok(wb) = sheet::read(name, &bytes, &limits) {
                let cells: usize = wb.sheets.iter().flat_map(|s| &s.rows).map(|r| r.cells.len()).sum();
                prop_assert!(cells as u64 <= limits.max_dense_cells);
                for s in &wb.sheets {
                    prop_assert!(s.rows.iter().all(|r| r.index < limits.max_rows));
                }
                let _ = ladder::import::roster::parse(wb);
            }
        }

        /// The same for .xlsb, whose records are stored uncompressed here, so the mutations
        /// reach calamine's record reader itself.
        #[test]
        fn mutated_xlsb_never_panics(
            edits in proptest::collection::vec((any::<u32>(), any::<u8>()), 1..12),
            keep in proptest::option::of(any::<u32>()),
        ) {
            let mut bytes = super::formats::quirky_xlsb();
            for (at, b) in edits {
                let i = at as usize % bytes.len();
                bytes[i] = b;
            }
            if let Some(k) = keep {
                bytes.truncate(k as usize % bytes.len() + 1);
            }
            let limits = Limits { max_rows: 5_000, max_dense_cells: 50_000, ..Limits::default() };
            if let Ok(wb) = sheet::read("a.xlsb", &bytes, &limits) {
                let cells: usize = wb.sheets.iter().flat_map(|s| &s.rows).map(|r| r.cells.len()).sum();
                prop_assert!(cells as u64 <= limits.max_dense_cells);
                let _ = ladder::import::roster::parse(wb);
            }
        }
    }
}
