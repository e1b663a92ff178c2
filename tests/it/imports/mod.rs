//! Roster import end to end: generated workbooks with every quirk a training base's file has,
//! in every format we can write here, the row → code map, all-or-nothing commits, idempotent
//! re-imports, the confirmation threshold, re-validation at commit, and hostile files.
//! This file holds the generated roster and shared helpers; the tests are in the modules.

mod attendance;
mod corrections;
mod flow;
mod formats;
mod hostile;
mod web;
mod xlsb;

use crate::common::actor;
use chrono::NaiveDate;
use ladder::db::Db;
use ladder::db::bases;
use ladder::domain::id_number::{IdNumber, compose};
use ladder::import::roster::plan::Outcome;
use ladder::import::sheet::{self, Limits, SheetError};
use ladder::server::config::ImportSettings;
use ladder::server::imports::{self, CommitChoice, ImportError, ImportFile};
use ladder::server::{clock, org};
use rust_xlsxwriter::{Format, Workbook};
use std::collections::BTreeMap;
use std::sync::Arc;

pub const COHORT: &str = "2024-T-JR-03";

pub fn id(region: &str, y: i32, m: u32, d: u32, seq: u16) -> IdNumber {
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

pub fn person(no: u32, name: &str, male: bool, id: V, phone: V, cohort: &str) -> Vec<V> {
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
    write_table(ws, &HEADER, &rows);
    book.save_to_buffer().unwrap()
}

/// The header on the sheet's second row and `rows` below it.
pub fn write_table(ws: &mut rust_xlsxwriter::Worksheet, header: &[&str], rows: &[Vec<V>]) {
    for (c, h) in header.iter().enumerate() {
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
}

/// The summaries of the audit entries of `action`, newest first.
pub async fn audit_of(db: &Db, action: &str) -> Vec<String> {
    ladder::db::audit::list(
        db,
        &ladder::db::audit::AuditFilter {
            action: action.into(),
            limit: 10,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .0
    .into_iter()
    .map(|e| e.after_summary.unwrap_or_default())
    .collect()
}

/// A cell as Excel writes it into a CSV file.
pub fn csv_text(v: &V) -> String {
    match v {
        V::S(t) => t.clone(),
        // Excel writes a big number the way it shows it.
        V::N(n) if *n > 1e15 => format!("{:.5E}", n).replace("E", "E+"),
        V::N(n) => sheet::number_text(*n),
        V::Empty => String::new(),
    }
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
        let cells: Vec<String> = row.iter().map(csv_text).collect();
        w.write_record(&cells).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

pub async fn base_and_cohort(db: &Db) -> i64 {
    base_with_cohort(db, "T-BASE", COHORT).await
}

/// A base and one junior cohort of it (autumn 2024); the base's id.
pub async fn base_with_cohort(db: &Db, base_code: &str, cohort: &str) -> i64 {
    let now = clock::now();
    let base = org::add_base(db, &actor(), base_code, "测试基地", "", now)
        .await
        .unwrap();
    org::add_cohort(
        db,
        &actor(),
        &org::CohortInput {
            base_code: base_code.into(),
            code: cohort.into(),
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

pub fn file(base_id: i64, name: &str, bytes: Vec<u8>) -> ImportFile {
    ImportFile {
        kind: ladder::import::roster::Kind::Roster,
        base_id,
        cohort: None,
        file_name: name.into(),
        bytes: Arc::new(bytes),
    }
}

async fn commit(
    db: &Db,
    f: &ImportFile,
    digest: &str,
    choice: CommitChoice,
) -> Result<imports::Analysed, ImportError> {
    let settings = ImportSettings::default();
    imports::commit(
        db,
        &actor(),
        f,
        Some(digest),
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
