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

#[path = "../bench/shared.rs"]
mod shared;

use ladder::db::audit::Actor;
use ladder::server::clock;
use ladder::server::config::ImportSettings;
use ladder::server::imports::{self, CommitChoice, ImportFile};
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
    let db = shared::open(&format!("sqlite:{}", db_path.display())).await;
    let (base, _) = shared::cohort(&db, None, COHORT).await;
    let (actor, now) = (Actor::system("bench"), clock::now());
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
                Some(&digest),
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
    shared::xlsx(&file, ROWS, COHORT);
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    println!(
        "generated {} rows x 14 columns ({:.1} MB) in {:.1} s",
        ROWS,
        size as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    shared::ensure_python(
        "openpyxl, pandas, python_calamine",
        &["openpyxl", "pandas", "python-calamine"],
    );
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
        .map(|_| shared::python("openpyxl_read.py", &[file.as_os_str()]))
        .collect();
    let pandas_db = dir.join("pandas.db");
    let pandas: Vec<f64> = (0..RUNS)
        .map(|_| {
            shared::python(
                "pandas_to_sql.py",
                &[file.as_os_str(), pandas_db.as_os_str()],
            )
        })
        .collect();
    let (cells, parse) = (shared::median(cells), shared::median(parse));
    let (dry, commit, openpyxl, pandas) = (
        shared::median(dry),
        shared::median(commit),
        shared::median(openpyxl),
        shared::median(pandas),
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
