//! Roster import end to end: generated workbooks with every quirk a training base's file has,
//! in every format we can write here, the row → code map, all-or-nothing commits, idempotent
//! re-imports, the confirmation threshold, re-validation at commit, and hostile files.

use crate::common::actor;
use chrono::NaiveDate;
use ladder::db::Db;
use ladder::db::bases;
use ladder::domain::id_number::{IdNumber, compose};
use ladder::import::roster::plan::Outcome;
use ladder::import::sheet::{self, Limits, SheetError};
use ladder::server::config::ImportSettings;
use ladder::server::imports::{self, CommitChoice, ImportError, RosterFile};
use ladder::server::{clock, org};
use rust_xlsxwriter::{Format, Workbook};
use std::collections::BTreeMap;
use std::sync::Arc;

pub const COHORT: &str = "2024-T-JR-03";

fn id(region: &str, y: i32, m: u32, d: u32, seq: u16) -> IdNumber {
    compose(region, NaiveDate::from_ymd_opt(y, m, d).unwrap(), seq).unwrap()
}

/// A valid ID whose check character is X.
fn id_with_x() -> IdNumber {
    (1..999)
        .map(|s| id("310107", 1984, 8, 10, s))
        .find(|i| i.as_str().ends_with('X'))
        .unwrap()
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                char::from_u32(c as u32 + 0xFEE0).unwrap()
            } else {
                c
            }
        })
        .collect()
}

/// One cell of the generated sheet.
#[derive(Clone)]
pub enum V {
    S(String),
    N(f64),
    Empty,
}

fn s(x: &str) -> V {
    V::S(x.to_string())
}

pub const HEADER: [&str; 14] = [
    "序号",
    "姓名",
    "性别",
    "身份证\n号码",
    "工作单位",
    "职务",
    "手机号码 ",
    "电子邮箱",
    "学历",
    "培训班次",
    "理论学时",
    "实训学时",
    "考核成绩",
    "备注",
];

fn person(no: u32, name: &str, male: bool, id: V, phone: V, cohort: &str) -> Vec<V> {
    vec![
        V::N(f64::from(no)),
        s(name),
        s(if male { "男" } else { "女" }),
        id,
        s("上海理工大学技术转移中心"),
        s("科员"),
        phone,
        V::S(format!("user{no}@example.cn")),
        s("大学本科"),
        s(cohort),
        V::N(32.0),
        V::N(16.0),
        V::N(85.0),
        V::Empty,
    ]
}

/// The data rows (Excel rows 3…) and the expected outcome of each: the sample's quirks plus
/// every other code. Excel row = index + 3.
pub fn quirk_rows() -> (Vec<Vec<V>>, BTreeMap<u32, &'static str>, Vec<u32>) {
    let male = id("320506", 1985, 3, 21, 13);
    let x = id_with_x();
    let fw = id("440305", 1978, 8, 2, 5);
    let spaced = id("310105", 1984, 12, 25, 28);
    let named = id("320102", 1966, 12, 1, 73);
    let lost = id("320102", 1997, 11, 9, 98);
    let good = id("110105", 1983, 5, 18, 627);
    let mut bad_check = good.as_str().to_string();
    let last = bad_check.pop().unwrap();
    bad_check.push(if last == '0' { '1' } else { '0' });
    let mismatch = id("310106", 1968, 12, 26, 866);
    let mut rows = vec![
        person(
            1,
            "钟娜阳",
            male.is_male(),
            s(male.as_str()),
            V::N(13030769801.0),
            COHORT,
        ),
        person(
            2,
            "李强",
            x.is_male(),
            s(&x.as_str().to_lowercase()),
            V::N(13812345678.0),
            COHORT,
        ),
        person(
            3,
            "王芳",
            fw.is_male(),
            s(&full_width(fw.as_str())),
            s("139 1234 5678"),
            COHORT,
        ),
        person(
            4,
            "陈静",
            spaced.is_male(),
            s(&format!(
                "{} {} {}",
                &spaced.as_str()[..6],
                &spaced.as_str()[6..14],
                &spaced.as_str()[14..]
            )),
            V::N(13512345678.0),
            COHORT,
        ),
        person(
            5,
            "欧阳\u{3000}明",
            named.is_male(),
            s(named.as_str()),
            V::N(13612345678.0),
            COHORT,
        ),
        vec![V::Empty; 14],
        person(
            7,
            "龙文思",
            lost.is_male(),
            V::N(lost.as_str().parse::<f64>().unwrap()),
            V::N(17516534569.0),
            COHORT,
        ),
        person(
            8,
            "陶帅颖",
            true,
            s(&bad_check),
            V::N(15611672810.0),
            COHORT,
        ),
        person(
            9,
            "熊健洋",
            !mismatch.is_male(),
            s(mismatch.as_str()),
            V::N(15611672811.0),
            COHORT,
        ),
        person(
            10,
            "钟娜阳",
            male.is_male(),
            s(male.as_str()),
            V::N(13030769801.0),
            COHORT,
        ),
        person(
            11,
            "郝敏",
            true,
            s("310109197113283505"),
            V::N(15611672812.0),
            COHORT,
        ),
        person(
            12,
            "许诺",
            good.is_male(),
            s(good.as_str()),
            s("1381234"),
            COHORT,
        ),
        person(
            13,
            "许诺二",
            good.is_male(),
            s(id("110105", 1990, 1, 2, 11).as_str()),
            V::N(13900000001.0),
            COHORT,
        ),
        person(
            14,
            "许诺三",
            true,
            s(id("110105", 1990, 1, 3, 13).as_str()),
            V::N(13900000002.0),
            COHORT,
        ),
        person(
            15,
            "许诺四",
            true,
            s(id("110105", 1990, 1, 4, 15).as_str()),
            V::N(13900000003.0),
            "2024-XX-99",
        ),
        person(
            16,
            "",
            true,
            s(id("110105", 1990, 1, 5, 17).as_str()),
            V::N(13900000004.0),
            COHORT,
        ),
        vec![
            s("合计"),
            s("16人"),
            V::Empty,
            V::Empty,
            V::Empty,
            V::Empty,
            V::Empty,
            V::Empty,
            V::Empty,
            V::Empty,
            V::N(512.0),
        ],
    ];
    // Row 7 of the sheet's name column has a full-width space; row 5 says "32学时".
    rows[2][10] = s("32学时");
    // Row 15: a bad e-mail; row 16: hours in words.
    rows[12][7] = s("xu.nuo2@example");
    rows[13][10] = s("三十二");
    let errors = BTreeMap::from([
        (9, "id_number"),
        (10, "id_checksum"),
        (11, "gender_mismatch"),
        (12, "duplicate_in_file"),
        (13, "id_birth_date"),
        (14, "bad_phone"),
        (15, "bad_email"),
        (16, "bad_hours"),
        (17, "unknown_cohort"),
        (18, "missing_required"),
    ]);
    (rows, errors, vec![8, 19])
}

/// The quirky roster as .xlsx: a cover sheet, then a merged title row above the header.
pub fn quirky_xlsx() -> Vec<u8> {
    let (rows, _, _) = quirk_rows();
    let mut book = Workbook::new();
    let cover = book.add_worksheet();
    cover.set_name("说明").unwrap();
    cover.write_string(0, 0, "本表由培训基地填写").unwrap();
    let ws = book.add_worksheet();
    ws.set_name("学员名单").unwrap();
    ws.merge_range(
        0,
        0,
        0,
        13,
        "2024年初级技术经纪人培训班（第三期）学员名单",
        &Format::new(),
    )
    .unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 2, c as u16);
            match v {
                V::S(t) => ws.write_string(r, c, t).map(|_| ()).unwrap(),
                V::N(n) => ws.write_number(r, c, *n).map(|_| ()).unwrap(),
                V::Empty => {}
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// The same roster as CSV text (title row included, as Excel saves it).
pub fn quirky_csv() -> String {
    let (rows, _, _) = quirk_rows();
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    w.write_record(["2024年初级技术经纪人培训班（第三期）学员名单"])
        .unwrap();
    w.write_record(HEADER).unwrap();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|v| match v {
                V::S(t) => t.clone(),
                // Excel writes a big number the way it shows it.
                V::N(n) if *n > 1e15 => format!("{:.5E}", n).replace("E", "E+"),
                V::N(n) => sheet::number_text(*n),
                V::Empty => String::new(),
            })
            .collect();
        w.write_record(&cells).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

pub async fn base_and_cohort(db: &Db) -> i64 {
    let now = clock::now();
    let base = org::add_base(db, &actor(), "T-BASE", "测试基地", "", now)
        .await
        .unwrap();
    org::add_cohort(
        db,
        &actor(),
        &org::CohortInput {
            base_code: "T-BASE".into(),
            code: COHORT.into(),
            name: "测试班".into(),
            level: "junior".into(),
            starts_on: "2024-09-02".into(),
            ends_on: "2024-12-20".into(),
        },
        |_| true,
        now,
    )
    .await
    .unwrap();
    base
}

pub fn file(base_id: i64, name: &str, bytes: Vec<u8>) -> RosterFile {
    RosterFile {
        base_id,
        cohort: None,
        file_name: name.into(),
        bytes: Arc::new(bytes),
    }
}

async fn commit(
    db: &Db,
    f: &RosterFile,
    digest: &str,
    choice: CommitChoice,
) -> Result<imports::Analysed, ImportError> {
    let settings = ImportSettings::default();
    imports::commit(
        db,
        &actor(),
        f,
        digest,
        None,
        choice,
        &settings,
        clock::now(),
    )
    .await
}

fn code_map(a: &imports::Analysed) -> BTreeMap<u32, &'static str> {
    a.plan
        .rows
        .iter()
        .filter(|r| r.outcome == Outcome::Error)
        .map(|r| (r.row, r.issues[0].code.as_str()))
        .collect()
}

fn skipped(a: &imports::Analysed) -> Vec<u32> {
    a.plan
        .rows
        .iter()
        .filter(|r| r.outcome == Outcome::Skipped)
        .map(|r| r.row)
        .collect()
}

async fn members(db: &Db) -> i64 {
    let k = bases::cohort_by_code(db, COHORT).await.unwrap().unwrap();
    bases::list_cohorts(
        db,
        &ladder::domain::access::Visibility::All,
        Some(k.base_id),
    )
    .await
    .unwrap()
    .into_iter()
    .find(|c| c.code == COHORT)
    .map(|c| c.members)
    .unwrap()
}

async fn quirks_import_all_or_nothing_then_idempotent(db: Db) {
    let base = base_and_cohort(&db).await;
    let settings = ImportSettings::default();
    let f = file(base, "名单.xlsx", quirky_xlsx());
    let a = imports::analyse(&db, &f, &settings).await.unwrap();
    let (_, errors, skip) = quirk_rows();
    assert_eq!(a.parsed.sheet, "学员名单");
    assert_eq!(a.parsed.header_row, 2);
    assert_eq!(code_map(&a), errors);
    assert_eq!(skipped(&a), skip);
    assert_eq!(a.plan.counts.new, 5);
    // Errors present and no choice made: nothing is written.
    let err = commit(&db, &f, &a.plan.digest, CommitChoice::default())
        .await
        .unwrap_err();
    assert!(matches!(err, ImportError::HasErrors(10)), "{err:?}");
    assert_eq!(members(&db).await, 0);
    // The valid rows only.
    let choice = CommitChoice {
        valid_only: true,
        confirm: false,
    };
    let done = commit(&db, &f, &a.plan.digest, choice).await.unwrap();
    assert_eq!(done.plan.counts.new, 5);
    assert_eq!(members(&db).await, 5);
    // Normalised values were stored: the lower-case x, the full-width digits, the spaces.
    let mut tx = db.begin_write().await.unwrap();
    let x = id_with_x().as_str().to_string();
    let fw = id("440305", 1978, 8, 2, 5).as_str().to_string();
    let stored = ladder::db::imports::stored_for(&mut tx, &[x.clone(), fw.clone()])
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(stored.people.len(), 2);
    assert_eq!(stored.people[&x].phone.as_deref(), Some("13812345678"));
    assert_eq!(stored.people[&fw].phone.as_deref(), Some("13912345678"));
    // The same file again: everything unchanged, nothing written.
    let again = imports::analyse(&db, &f, &settings).await.unwrap();
    assert_eq!(again.plan.counts.unchanged, 5);
    assert_eq!(again.plan.counts.new + again.plan.counts.updated, 0);
    assert!(again.plan.writes.people.is_empty() && again.plan.writes.members.is_empty());
    commit(&db, &f, &again.plan.digest, choice).await.unwrap();
    assert_eq!(members(&db).await, 5);
    let audit = ladder::db::audit::list(
        &db,
        &ladder::db::audit::AuditFilter {
            action: "import.roster.commit".into(),
            limit: 10,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .0;
    assert_eq!(audit.len(), 2);
    assert!(audit[1].after_summary.as_deref().unwrap().contains("new=5"));
    assert!(
        audit[0]
            .after_summary
            .as_deref()
            .unwrap()
            .contains("unchanged=5")
    );
}

async fn updates_show_their_diff_and_large_ones_need_confirming(db: Db) {
    let base = base_and_cohort(&db).await;
    let settings = ImportSettings::default();
    let choice = CommitChoice {
        valid_only: true,
        confirm: false,
    };
    let f = file(base, "名单.xlsx", quirky_xlsx());
    let a = imports::analyse(&db, &f, &settings).await.unwrap();
    commit(&db, &f, &a.plan.digest, choice).await.unwrap();
    // Two of the five change their phone: 40% of the cohort, over the 20% default.
    let csv = quirky_csv()
        .replace("13030769801", "13030769809")
        .replace("13812345678", "13812345670");
    let f2 = file(base, "名单.csv", csv.into_bytes());
    let b = imports::analyse(&db, &f2, &settings).await.unwrap();
    assert_eq!(b.plan.counts.updated, 2, "{:?}", b.plan.counts);
    let update = b
        .plan
        .rows
        .iter()
        .find(|r| r.outcome == Outcome::Update)
        .unwrap();
    assert_eq!(update.changes.len(), 1);
    assert_eq!(update.changes[0].before, "130****9801");
    assert_eq!(update.changes[0].after, "130****9809");
    assert_eq!(b.plan.over_share.len(), 1);
    let err = commit(&db, &f2, &b.plan.digest, choice).await.unwrap_err();
    assert!(matches!(err, ImportError::NeedsConfirmation(_)));
    let confirmed = CommitChoice {
        valid_only: true,
        confirm: true,
    };
    commit(&db, &f2, &b.plan.digest, confirmed).await.unwrap();
    let c = imports::analyse(&db, &f2, &settings).await.unwrap();
    assert_eq!(c.plan.counts.unchanged, 5);
}

async fn a_commit_refuses_when_the_data_changed_since_the_preview(db: Db) {
    let base = base_and_cohort(&db).await;
    let settings = ImportSettings::default();
    let now = clock::now();
    let f = file(base, "名单.xlsx", quirky_xlsx());
    let a = imports::analyse(&db, &f, &settings).await.unwrap();
    let kept = imports::keep_preview(&db, &actor(), &f, &a, now)
        .await
        .unwrap();
    // Meanwhile someone else imports a file holding the first person under another phone.
    let csv = quirky_csv().replace("13030769801", "13030769809");
    let other = file(base, "另一个.csv", csv.into_bytes());
    let o = imports::analyse(&db, &other, &settings).await.unwrap();
    let choice = CommitChoice {
        valid_only: true,
        confirm: true,
    };
    commit(&db, &other, &o.plan.digest, choice).await.unwrap();
    let before = members(&db).await;
    let row = ladder::db::imports::import_by_id(&db, kept)
        .await
        .unwrap()
        .unwrap();
    let err = imports::commit_kept(&db, &actor(), &row, choice, &settings, now)
        .await
        .unwrap_err();
    assert!(matches!(err, ImportError::Changed), "{err:?}");
    assert_eq!(members(&db).await, before);
    let row = ladder::db::imports::import_by_id(&db, kept)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.state, "previewed");
}

crate::on_both_engines!(
    quirks_import_all_or_nothing_then_idempotent,
    updates_show_their_diff_and_large_ones_need_confirming,
    a_commit_refuses_when_the_data_changed_since_the_preview,
);

fn parse(name: &str, bytes: &[u8]) -> ladder::import::roster::Parsed {
    let wb = sheet::read(name, bytes, &Limits::default()).unwrap();
    ladder::import::roster::parse(&wb).unwrap()
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

/// The file-level part of the map (no database: unknown_cohort needs one) in every format.
/// The .xls and .ods fixtures are made from this CSV by tests/fixtures/make_roster_quirks.py
/// (xlwt and odfpy); the CSV must stay what the generator above writes.
#[test]
fn the_committed_csv_is_the_generated_one() {
    assert_eq!(include_str!("../fixtures/roster-quirks.csv"), quirky_csv());
}

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
            include_bytes!("../fixtures/roster-quirks.xls").to_vec(),
        ),
        (
            "名单.ods",
            include_bytes!("../fixtures/roster-quirks.ods").to_vec(),
        ),
    ] {
        let p = parse(name, &bytes);
        assert_eq!(p.header_row, 2, "{name}");
        assert_eq!(parsed_codes(&p), (errors.clone(), skip.clone()), "{name}");
        let ids: Vec<String> = p
            .rows
            .iter()
            .filter_map(|r| r.line.as_ref().map(|l| l.id.as_str().to_string()))
            .collect();
        assert_eq!(ids.len(), 6, "{name}: {ids:?}");
        assert!(ids.contains(&id_with_x().as_str().to_string()), "{name}");
        let name_row = p.rows.iter().find(|r| r.row == 7).unwrap();
        assert_eq!(name_row.line.as_ref().unwrap().name, "欧阳明", "{name}");
        let hours_row = p.rows.iter().find(|r| r.row == 5).unwrap();
        assert_eq!(
            hours_row.line.as_ref().unwrap().hours_theory,
            Some(ladder::domain::quantity::Hours::whole(32)),
            "{name}"
        );
    }
}

#[test]
fn the_error_workbook_holds_the_rows_a_problem_column_and_reads_back() {
    let p = parse("名单.xlsx", &quirky_xlsx());
    let plan = ladder::import::roster::plan::plan(
        &p,
        &Default::default(),
        &ladder::import::roster::plan::Options {
            base_id: 1,
            cohort: None,
            confirm_share_percent: 20,
        },
    );
    let book = ladder::import::report::error_workbook(&p, &plan, ladder::i18n::Lang::Zh).unwrap();
    let wb = sheet::read("errors.xlsx", &book, &Limits::default()).unwrap();
    let rows = &wb.sheets[0].rows;
    assert_eq!(rows[0].cells.last().unwrap().1.display(), "错误说明");
    // The checksum row (Excel row 10 → row 9 of the error workbook, header on row 1).
    let bad = rows.iter().find(|r| r.index == 8).unwrap();
    let note = bad.cells.last().unwrap().1.display();
    assert!(note.contains("D10") && note.contains("校验位"), "{note}");
    // Re-reading it finds the header on row 1 and the same problems (unknown_cohort aside).
    let again = ladder::import::roster::parse(&wb).unwrap();
    assert_eq!(again.header_row, 1);
    assert!(again.ignored.contains(&"错误说明".to_string()));
}

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
                include_bytes!("../fixtures/roster-quirks.xls").to_vec(),
            ),
            (
                "a.ods",
                include_bytes!("../fixtures/roster-quirks.ods").to_vec(),
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
                let _ = ladder::import::roster::parse(&wb);
            }
        }
    }
}
