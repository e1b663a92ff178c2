//! What the benchmarks and the fault tests share (`benches/import.rs`, `benches/export.rs`,
//! `bench/faults.rs`): the generated roster — the shared sample's 14 columns under a title
//! row, `rows` distinct valid trainees of one cohort, from a fixed seed, so every run reads the
//! same file — a cohort for it to join, and running the Python peers. Included with `#[path]`
//! (it is not part of the library); not every includer uses every item.
#![allow(dead_code)]

use ladder::domain::id_number::compose;
use std::path::{Path, PathBuf};

/// A small deterministic generator (64-bit LCG), so every run reads the same file.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

pub fn xlsx(path: &Path, rows: u32, cohort: &str) {
    use rust_xlsxwriter::{Format, Workbook};
    const SURNAMES: [&str; 12] = [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
    ];
    const GIVEN: [&str; 12] = [
        "伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "杰", "娟",
    ];
    const UNITS: [&str; 6] = [
        "上海理工大学技术转移中心",
        "同济大学技术转移中心",
        "华东理工大学科技处",
        "国家技术转移东部中心",
        "中科院上海硅酸盐研究所",
        "上海交通大学先进产业技术研究院",
    ];
    const REGIONS: [&str; 6] = ["310101", "310104", "310105", "320102", "330106", "440305"];
    let mut rng = Lcg(20_241_203);
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("学员名单").expect("name");
    ws.merge_range(
        0,
        0,
        0,
        13,
        "2026年初级技术经纪人培训班学员名单",
        &Format::new(),
    )
    .expect("title");
    let header = [
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
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, *h).expect("header");
    }
    let start = chrono::NaiveDate::from_ymd_opt(1960, 1, 1).expect("date");
    for i in 0..rows {
        let r = i + 2;
        // Unique: each (region, birth date, sequence) is used once.
        let birth = start + chrono::Days::new(u64::from(i / 600));
        let region = REGIONS[(i % 6) as usize];
        let id = compose(
            region,
            birth,
            ((i / 6) % 100) as u16 * 10 + rng.next(10) as u16,
        )
        .expect("id");
        let name = format!(
            "{}{}{}",
            SURNAMES[rng.next(12) as usize],
            GIVEN[rng.next(12) as usize],
            GIVEN[rng.next(12) as usize]
        );
        let cells: [(u16, Result<String, f64>); 14] = [
            (0, Err(f64::from(i + 1))),
            (1, Ok(name)),
            (2, Ok(if id.is_male() { "男" } else { "女" }.into())),
            (3, Ok(id.as_str().to_string())),
            (4, Ok(UNITS[rng.next(6) as usize].into())),
            (5, Ok("科员".into())),
            (6, Err(13_000_000_000.0 + f64::from(i))),
            (7, Ok(format!("user{i}@example.cn"))),
            (8, Ok("大学本科".into())),
            (9, Ok(cohort.into())),
            (10, Err(f64::from(24 + 8 * rng.next(3) as u32))),
            (11, Err(f64::from(8 * rng.next(4) as u32))),
            (12, Err(f64::from(60 + rng.next(40) as u32))),
            (13, Ok(String::new())),
        ];
        for (c, v) in cells {
            match v {
                Ok(s) if s.is_empty() => {}
                Ok(s) => {
                    ws.write_string(r, c, s).expect("cell");
                }
                Err(n) => {
                    ws.write_number(r, c, n).expect("cell");
                }
            }
        }
    }
    book.save(path).expect("save");
}

/// A cohort `code` (junior, spring 2026) for the roster to join, on the base `base` or on a
/// new base `BENCH`: (the base's id, the cohort's id).
pub async fn cohort(db: &ladder::db::Db, base: Option<&str>, code: &str) -> (i64, i64) {
    use ladder::server::{clock, org};
    let actor = ladder::db::audit::Actor::system("bench");
    let now = clock::now();
    let base_code = base.unwrap_or("BENCH");
    let base_id = match base {
        Some(code) => ladder::db::bases::base_id_by_code(db, code)
            .await
            .expect("base")
            .expect("the base exists"),
        None => org::add_base(db, &actor, base_code, "基准测试基地", "", now)
            .await
            .expect("base"),
    };
    let cohort_id = org::add_cohort(
        db,
        &actor,
        &org::CohortInput {
            base_code: base_code.into(),
            code: code.into(),
            name: "基准班".into(),
            level: "junior".into(),
            starts_on: "2026-03-01".into(),
            ends_on: "2026-06-30".into(),
        },
        |_| true,
        now,
    )
    .await
    .expect("cohort");
    (base_id, cohort_id)
}

/// Runs `benches/peers/SCRIPT ARGS…`, which prints the seconds it took.
pub fn python(script: &str, args: &[&std::ffi::OsStr]) -> f64 {
    let out = std::process::Command::new("python3")
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("benches/peers")
                .join(script),
        )
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("seconds")
}

/// Installs the pip packages `packages` unless python can import `modules` already.
pub fn ensure_python(modules: &str, packages: &[&str]) {
    let ok = std::process::Command::new("python3")
        .args(["-c", &format!("import {modules}")])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let status = std::process::Command::new("python3")
            .args(["-m", "pip", "install", "-q"])
            .args(packages)
            .status()
            .expect("pip runs");
        assert!(status.success(), "pip install of {packages:?} failed");
    }
}

pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The benchmarks' key file (`target/bench/ladder.key`), created on first use: every `ladder`
/// process a benchmark starts is given it (LADDER_KEY_FILE), as a deployment's instances share
/// one.
#[allow(dead_code)]
pub fn key_file() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench/ladder.key");
    if !path.exists() {
        ladder::service::keys::Keyring::create(&path, ladder::server::clock::now())
            .expect("bench key file");
    }
    path
}

/// Opens and migrates a database and binds it to the benchmarks' key file, as `serve` does.
#[allow(dead_code)]
pub async fn open(url: &str) -> ladder::db::Db {
    let keys = std::sync::Arc::new(
        ladder::service::keys::Keyring::load(&key_file()).expect("bench key file reads"),
    );
    let db = ladder::db::Db::connect(url).await.expect("database");
    db.migrate().await.expect("migrations");
    let db = db.with_chain_key(keys.clone());
    ladder::service::keys::bind(&db, &keys, ladder::server::clock::now())
        .await
        .expect("keys bind");
    db
}
