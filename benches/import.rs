//! Roster import at scale, beside its peers (README, "Benchmarks"):
//!
//! 1. generates a 100,000-row roster with the shared sample's 14 columns (fixed seed), as .xlsx;
//! 2. times Ladder's full validated dry run and its commit (parse + validate + upsert of 100,000
//!    new people in one transaction) on a fresh SQLite database, each in a child process that
//!    reports its peak resident memory (VmHWM);
//! 3. times the same file read by Python openpyxl (`load_workbook(read_only=True)`, every row
//!    iterated) and loaded by pandas (`read_excel(engine="calamine")` + `to_sql` into SQLite);
//! 4. prints the figures, the ratios and the goals.
//!
//! Run: `cargo bench --no-default-features --features ssr --bench import` (installs openpyxl,
//! pandas and python-calamine with pip when missing). Not part of the test command.

use ladder::db::Db;
use ladder::db::audit::Actor;
use ladder::domain::id_number::compose;
use ladder::server::config::ImportSettings;
use ladder::server::imports::{self, CommitChoice, ImportFile};
use ladder::server::{clock, org};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

// The allocator the server uses (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROWS: u32 = 100_000;
const COHORT: &str = "2026-BENCH-01";
const RUNS: usize = 3;

/// A small deterministic generator (64-bit LCG), so every run reads the same file.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn generate(path: &Path) {
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
    for i in 0..ROWS {
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
            (9, Ok(COHORT.into())),
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

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .unwrap_or(0.0)
        / 1024.0
}

/// A child's measured phase: prints "seconds peak_mib".
async fn child(phase: &str, file: &Path, db_path: &Path) {
    let _ = std::fs::remove_file(db_path);
    let db = Db::connect(&format!("sqlite:{}", db_path.display()))
        .await
        .expect("db");
    db.migrate().await.expect("migrate");
    let actor = Actor::system("bench");
    let now = clock::now();
    let base = org::add_base(&db, &actor, "BENCH", "基准测试基地", "", now)
        .await
        .expect("base");
    org::add_cohort(
        &db,
        &actor,
        &org::CohortInput {
            base_code: "BENCH".into(),
            code: COHORT.into(),
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
    let file = ImportFile {
        kind: ladder::import::roster::Kind::Roster,
        base_id: base,
        cohort: None,
        file_name: "roster-100k.xlsx".into(),
        bytes: Arc::new(std::fs::read(file).expect("file")),
    };
    let settings = ImportSettings::default();
    let (secs, ok) = match phase {
        // The floor: the cells as calamine streams them, into a sink that keeps nothing.
        "cells" => {
            struct Count(u64);
            impl ladder::import::sheet::RowSink for Count {
                fn start_sheet(&mut self, _: &str, _: bool) -> bool {
                    true
                }
                fn row(&mut self, _: ladder::import::sheet::Row) {
                    self.0 += 1;
                }
            }
            let t = Instant::now();
            let mut sink = Count(0);
            ladder::import::sheet::read_into(
                &file.file_name,
                &file.bytes,
                &settings.limits(),
                &mut sink,
            )
            .expect("read");
            (t.elapsed().as_secs_f64(), sink.0 == u64::from(ROWS) + 2)
        }
        // Reading and validating every row, without the database.
        "parse" => {
            let t = Instant::now();
            let (_, parsed) = ladder::import::roster::read(
                ladder::import::roster::Kind::Roster,
                &file.file_name,
                &file.bytes,
                &settings.limits(),
                false,
            )
            .expect("parse");
            (
                t.elapsed().as_secs_f64(),
                parsed.rows.len() == ROWS as usize,
            )
        }
        "dry-run" => {
            let t = Instant::now();
            let a = imports::analyse(&db, &file, &settings)
                .await
                .expect("dry run");
            (
                t.elapsed().as_secs_f64(),
                a.plan.counts.new == u64::from(ROWS),
            )
        }
        _ => {
            let digest = imports::analyse(&db, &file, &settings)
                .await
                .expect("dry run")
                .plan
                .digest;
            let t = Instant::now();
            let done = imports::commit(
                &db,
                &actor,
                &file,
                &digest,
                None,
                CommitChoice::default(),
                &settings,
                now,
            )
            .await
            .expect("commit");
            (
                t.elapsed().as_secs_f64(),
                done.plan.counts.new == u64::from(ROWS),
            )
        }
    };
    assert!(ok, "every generated row imports as new");
    db.close().await;
    println!("{secs} {}", peak_mib());
}

fn run_child(phase: &str, file: &Path, db: &Path) -> (f64, f64) {
    let out = Command::new(std::env::current_exe().expect("exe"))
        .args(["--child", phase])
        .arg(file)
        .arg(db)
        .output()
        .expect("child runs");
    assert!(
        out.status.success(),
        "{phase}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text
        .split_whitespace()
        .filter_map(|v| v.parse::<f64>().ok());
    (it.next().unwrap_or(0.0), it.next().unwrap_or(0.0))
}

fn python(script: &str, args: &[&Path]) -> f64 {
    let out = Command::new("python3")
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

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ensure_python_peers() {
    let ok = Command::new("python3")
        .args(["-c", "import openpyxl, pandas, python_calamine"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let status = Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "-q",
                "openpyxl",
                "pandas",
                "python-calamine",
            ])
            .status()
            .expect("pip runs");
        assert!(status.success(), "pip install of the Python peers failed");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        // LADDER_BENCH_LOG=debug shows the phases of a child's import on stderr.
        if let Ok(filter) = std::env::var("LADDER_BENCH_LOG") {
            tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_writer(std::io::stderr)
                .init();
        }
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(child(&args[2], Path::new(&args[3]), Path::new(&args[4])));
        return;
    }
    // `cargo bench` passes --bench; nothing else is accepted.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-import");
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("roster-100k.xlsx");
    let t = Instant::now();
    generate(&file);
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    println!(
        "generated {} rows x 14 columns ({:.1} MB) in {:.1} s",
        ROWS,
        size as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    ensure_python_peers();
    let db = dir.join("bench.db");
    let (mut dry, mut commit, mut peak) = (Vec::new(), Vec::new(), 0.0_f64);
    let (mut cells, mut parse) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        cells.push(run_child("cells", &file, &db).0);
        parse.push(run_child("parse", &file, &db).0);
        let (s, m) = run_child("dry-run", &file, &db);
        dry.push(s);
        peak = peak.max(m);
        let (s, m) = run_child("commit", &file, &db);
        commit.push(s);
        peak = peak.max(m);
    }
    let openpyxl: Vec<f64> = (0..RUNS)
        .map(|_| python("openpyxl_read.py", &[&file]))
        .collect();
    let pandas_db = dir.join("pandas.db");
    let pandas: Vec<f64> = (0..RUNS)
        .map(|_| python("pandas_to_sql.py", &[&file, &pandas_db]))
        .collect();
    let (cells, parse) = (median(cells), median(parse));
    let (dry, commit, openpyxl, pandas) = (
        median(dry),
        median(commit),
        median(openpyxl),
        median(pandas),
    );
    println!();
    println!("| step ({ROWS} rows, median of {RUNS}) | seconds | vs Ladder |");
    println!("|---|---|---|");
    println!("| Ladder dry run (read + validate + compare) | {dry:.2} | 1.0x |");
    println!("| of which: the cells as calamine streams them | {cells:.2} | |");
    println!("| of which: cells read and every row validated | {parse:.2} | |");
    println!(
        "| openpyxl read_only, rows iterated (no validation) | {openpyxl:.2} | {:.1}x slower |",
        openpyxl / dry
    );
    println!("| Ladder commit (read + validate + upsert, one transaction) | {commit:.2} | 1.0x |");
    println!(
        "| pandas read_excel(calamine) + to_sql | {pandas:.2} | {:.1}x slower |",
        pandas / commit
    );
    println!();
    println!("peak resident memory of a Ladder dry run or commit: {peak:.0} MiB");
    println!(
        "goals: dry run >= 10x faster than openpyxl: {}; commit < 3 s: {}; commit faster than pandas: {}; peak < 256 MiB: {}",
        verdict(openpyxl / dry >= 10.0),
        verdict(commit < 3.0),
        verdict(commit < pandas),
        verdict(peak < 256.0)
    );
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
}
