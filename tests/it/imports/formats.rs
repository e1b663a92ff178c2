//! Every format reads to the same rows and codes; the error workbook reads back.

use super::*;

fn roster_line(r: &ladder::import::roster::ParsedRow) -> &ladder::import::roster::RosterLine {
    match r.line.as_deref() {
        Some(ladder::import::roster::Line::Roster(l)) => l,
        other => panic!("row {} is not a roster line: {other:?}", r.row),
    }
}

/// The quirky roster as .xlsb: a cover sheet, then the title row, the header and the rows.
pub fn quirky_xlsb() -> Vec<u8> {
    let (rows, _, _) = quirk_rows();
    let mut sheet = vec![
        vec![s("2024年初级技术经纪人培训班（第三期）学员名单")],
        HEADER.iter().map(|h| s(h)).collect(),
    ];
    sheet.extend(rows);
    super::xlsb::xlsb(&[
        ("说明", vec![vec![s("本表由培训基地填写")]]),
        ("学员名单", sheet),
    ])
}

fn parse(name: &str, bytes: &[u8]) -> ladder::import::roster::Parsed {
    let wb = sheet::read(name, bytes, &Limits::default()).unwrap();
    ladder::import::roster::parse(wb).unwrap()
}

fn parsed_codes(p: &ladder::import::roster::Parsed) -> (BTreeMap<u32, &'static str>, Vec<u32>) {
    let codes = p
        .rows
        .iter()
        .filter(|r| !r.issues.is_empty())
        .map(|r| (r.row, r.issues[0].code.as_str()))
        .collect();
    let skipped = p
        .rows
        .iter()
        .filter(|r| r.skip.is_some())
        .map(|r| r.row)
        .collect();
    (codes, skipped)
}

/// The .xls and .ods fixtures are made from this CSV by tests/fixtures/make_roster_quirks.py
/// (xlwt and odfpy); the CSV must stay what the generator above writes.
#[test]
fn the_committed_csv_is_the_generated_one() {
    assert_eq!(
        include_str!("../../fixtures/roster-quirks.csv"),
        quirky_csv()
    );
}

/// The file-level part of the map (no database: unknown_cohort needs one) in every format.
#[test]
fn every_format_reads_to_the_same_rows_and_codes() {
    let (_, mut errors, skip) = quirk_rows();
    errors.remove(&17);
    let csv = quirky_csv();
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(csv.as_bytes());
    let (gbk, _, unmappable) = encoding_rs::GB18030.encode(&csv);
    assert!(!unmappable);
    let xlsx = quirky_xlsx();
    for (name, bytes) in [
        ("名单.xlsx", xlsx.clone()),
        ("名单.xlsm", xlsx),
        ("名单.csv", csv.as_bytes().to_vec()),
        ("名单-bom.csv", bom),
        ("名单-gbk.csv", gbk.into_owned()),
        (
            "名单.xls",
            include_bytes!("../../fixtures/roster-quirks.xls").to_vec(),
        ),
        (
            "名单.ods",
            include_bytes!("../../fixtures/roster-quirks.ods").to_vec(),
        ),
        ("名单.xlsb", quirky_xlsb()),
    ] {
        let p = parse(name, &bytes);
        assert_eq!(p.header_row, 2, "{name}");
        if name.ends_with(".xlsb") {
            let wb = sheet::read(name, &bytes, &Limits::default()).unwrap();
            assert_eq!(wb.format, sheet::Format::Xlsb);
            assert_eq!(wb.sheets[0].name, "说明", "the cover sheet is read first");
        }
        assert_eq!(parsed_codes(&p), (errors.clone(), skip.clone()), "{name}");
        let ids: Vec<String> = p
            .rows
            .iter()
            .filter_map(|r| r.line.as_ref().map(|l| l.id().as_str().to_string()))
            .collect();
        assert_eq!(ids.len(), 6, "{name}: {ids:?}");
        assert!(ids.contains(&id_with_x().as_str().to_string()), "{name}");
        let name_row = p.rows.iter().find(|r| r.row == 7).unwrap();
        assert_eq!(roster_line(name_row).name, "欧阳明", "{name}");
        let hours_row = p.rows.iter().find(|r| r.row == 5).unwrap();
        assert_eq!(
            roster_line(hours_row).hours_theory,
            Some(ladder::domain::quantity::Hours::whole(32)),
            "{name}"
        );
    }
}

/// A CSV's blank line is the empty row a spreadsheet shows: the rows after it keep their
/// numbers (they were one too low) and the blank one is reported as skipped, as it is when
/// the row is a line of commas.
#[test]
fn a_blank_line_in_a_csv_is_a_row() {
    let csv = quirky_csv();
    let commas = format!("\n{}\n", ",".repeat(HEADER.len() - 1));
    assert!(csv.contains(&commas), "the fixture has a row of commas");
    let blank_line = csv.replacen(&commas, "\n\n", 1);
    let (want, with_blank) = (
        parsed_codes(&parse("名单.csv", csv.as_bytes())),
        parsed_codes(&parse("名单.csv", blank_line.as_bytes())),
    );
    assert_eq!(with_blank, want);
    assert!(
        want.1.contains(&8),
        "row 8 is skipped as blank: {:?}",
        want.1
    );
}

#[test]
fn the_error_workbook_holds_the_rows_a_problem_column_and_reads_back() {
    let mut p = parse("名单.xlsx", &quirky_xlsx());
    let plan = ladder::import::roster::plan::plan(
        &mut p,
        &Default::default(),
        &ladder::import::roster::plan::Options {
            base_id: 1,
            cohort: None,
            confirm_share_percent: 20,
        },
    );
    let book = ladder::import::report::error_workbook(&p, &plan, ladder::i18n::Lang::Zh).unwrap();
    let wb = sheet::read("errors.xlsx", &book, &Limits::default()).unwrap();
    let rows = wb.sheets[0].rows.clone();
    // Every row keeps the file's row number: the title row (1) is said to be left out, the
    // header stays on row 2, the checksum row on row 10 — its note names D10.
    assert!(rows[0].cells[0].1.display().contains("行号与原文件一致"));
    let header = rows.iter().find(|r| r.index == 1).unwrap();
    assert_eq!(header.cells.last().unwrap().1.display(), "错误说明");
    // Every note sits on the row it names ("J4: …" on row 4).
    let errors_col = header.cells.last().unwrap().0;
    let mut noted = 0;
    for r in rows.iter().filter(|r| r.index > 1) {
        if let Some((_, note)) = r.cells.iter().find(|(c, _)| *c == errors_col) {
            for line in note.display().lines() {
                let at: String = line
                    .split(':')
                    .next()
                    .unwrap()
                    .chars()
                    .skip_while(char::is_ascii_uppercase)
                    .collect();
                assert_eq!(at, (r.index + 1).to_string(), "{line}");
                noted += 1;
            }
        }
    }
    assert!(noted >= 10, "{noted}");
    let note_of = |row: u32| {
        rows.iter()
            .find(|r| r.index == row - 1)
            .map(|r| r.cells.last().unwrap().1.display())
            .unwrap_or_default()
    };
    assert!(note_of(10).contains("校验位"), "{}", note_of(10));
    // 龙文思's ID, which Excel stored as a number (3.20102E+17), stays a number: imported
    // again it is flagged again, never 18 digits that could pass for someone.
    let long = rows.iter().find(|r| r.index == 8).unwrap();
    let id_col = p.columns[&ladder::import::roster::fields::Field::IdNumber];
    let id_cell = &long.cells.iter().find(|(c, _)| *c == id_col).unwrap().1;
    assert!(matches!(id_cell, sheet::Cell::Number(_)), "{id_cell:?}");
    // Re-reading it finds the header on its row and the same problems (unknown_cohort aside).
    let again = ladder::import::roster::parse(wb).unwrap();
    assert_eq!(again.header_row, 2);
    assert!(again.ignored.contains(&"错误说明".to_string()));
    let (before, after) = (
        parsed_codes(&parse("名单.xlsx", &quirky_xlsx())),
        parsed_codes(&again),
    );
    assert_eq!(before.0.get(&9), Some(&"id_number"));
    assert_eq!(
        after.0.get(&9),
        before.0.get(&9),
        "row 9 flagged the same way"
    );
    assert_eq!(after.0.get(&10), before.0.get(&10));
}
