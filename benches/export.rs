//! A cohort's roster exported as .xlsx, beside Python's XlsxWriter (README, "Benchmarks
//! against peers"; `bench/peers.sh` runs it with the others):
//!
//! 1. generates the shared 100,000-row roster (`bench/shared.rs`) and imports it into a fresh
//!    SQLite database, as a base would;
//! 2. times Ladder's export of that cohort as the endpoint does it: the roster read from the
//!    database, the table built (ID numbers and phones masked, every cell neutralised), the
//!    workbook written (text cells, a bold frozen header with filters) — and the writing alone;
//! 3. times XlsxWriter writing the very same cells with the same formats (its default mode and
//!    `constant_memory`), and pandas reading the same rows with SQL and writing them with
//!    `to_excel(engine="xlsxwriter")`;
//! 4. prints the medians of three runs and the ratios.
//!
//! Run: `cargo bench --no-default-features --features ssr --bench export` (installs pandas and
//! XlsxWriter with pip when missing). Not part of the test command.

#[path = "../bench/shared.rs"]
mod shared;

use ladder::db::Db;
use ladder::db::audit::Actor;
use ladder::server::clock;
use ladder::server::config::ImportSettings;
use ladder::server::exports;
use ladder::server::imports::{self, CommitChoice, ImportFile};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

// The allocator the server uses (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROWS: u32 = 100_000;
const COHORT: &str = "2026-EXPORT-01";
const RUNS: usize = 3;

async fn cohort_with_roster(db: &Db, file: &Path) -> i64 {
    db.migrate().await.expect("migrate");
    let (base, cohort) = shared::cohort(db, None, COHORT).await;
    let (actor, now) = (Actor::system("bench"), clock::now());
    let file = ImportFile {
        kind: ladder::import::roster::Kind::Roster,
        base_id: base,
        cohort: None,
        file_name: "roster-100k.xlsx".into(),
        bytes: Arc::new(std::fs::read(file).expect("file")),
    };
    let settings = ImportSettings::default();
    let analysed = imports::analyse(db, &file, &settings)
        .await
        .expect("analyse");
    let done = imports::commit(
        db,
        &actor,
        &file,
        Some(&analysed.plan.digest),
        None,
        CommitChoice::default(),
        &settings,
        now,
    )
    .await
    .expect("commit");
    assert_eq!(done.plan.counts.new, u64::from(ROWS));
    cohort
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-export");
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("roster-100k.xlsx");
    shared::xlsx(&file, ROWS, COHORT);
    shared::ensure_python("pandas, xlsxwriter", &["pandas", "XlsxWriter"]);
    let db_path = dir.join("export.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db_path.display()));
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let db = rt.block_on(shared::open(&format!("sqlite:{}", db_path.display())));
    let cohort = rt.block_on(cohort_with_roster(&db, &file));

    let (mut whole, mut write, mut size) = (Vec::new(), Vec::new(), 0);
    let mut table = exports::Table::default();
    for _ in 0..RUNS {
        let t = Instant::now();
        let rows = rt
            .block_on(ladder::db::overview::roster(&db, cohort))
            .expect("roster");
        table = exports::roster_table(&rows, COHORT, false);
        let w = Instant::now();
        let bytes = exports::xlsx(&table).expect("xlsx");
        write.push(w.elapsed().as_secs_f64());
        whole.push(t.elapsed().as_secs_f64());
        size = bytes.len();
    }
    assert_eq!(table.rows.len(), ROWS as usize);
    rt.block_on(db.close());
    // The very cells Ladder wrote, for XlsxWriter to write.
    let cells = dir.join("cells.tsv");
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b'\t')
            .from_path(&cells)
            .expect("tsv");
        w.write_record(&table.headers).expect("header");
        for row in &table.rows {
            w.write_record(row.iter().map(String::as_str)).expect("row");
        }
        w.flush().expect("flush");
    }
    let db_arg = db_path.as_path();
    let peer = |script: &str, arg: &Path, mode: &str| {
        shared::median(
            (0..RUNS)
                .map(|_| shared::python(script, &[arg.as_os_str(), mode.as_ref()]))
                .collect(),
        )
    };
    let xw = peer("xlsxwriter_write.py", &cells, "default");
    let xw_const = peer("xlsxwriter_write.py", &cells, "constant_memory");
    let pandas = peer("pandas_to_excel.py", db_arg, COHORT);
    let (whole, write) = (shared::median(whole), shared::median(write));

    println!("| step ({ROWS} rows x 14 columns, median of {RUNS}) | seconds | vs Ladder |");
    println!("|---|---:|---|");
    println!(
        "| Ladder export: read the cohort, build the table (masked, neutralised), write .xlsx ({:.1} MB) | {whole:.2} | — |",
        size as f64 / 1e6
    );
    println!("| of which: writing the .xlsx (rust_xlsxwriter) | {write:.2} | — |");
    println!(
        "| XlsxWriter writing the same cells and formats (in memory) | {xw:.2} | Ladder's writing {:.1}x faster |",
        xw / write
    );
    println!(
        "| XlsxWriter, `constant_memory` mode | {xw_const:.2} | Ladder's writing {:.1}x faster |",
        xw_const / write
    );
    println!(
        "| pandas `read_sql` + `to_excel(engine=\"xlsxwriter\")` (no masking) | {pandas:.2} | Ladder's whole export {:.1}x faster |",
        pandas / whole
    );
}
