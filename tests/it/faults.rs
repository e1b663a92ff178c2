//! The quick fault case the test command keeps (the full set, at twenty points of a
//! 100,000-row import and during voting, is `bench/faults.sh`): `ladder import` killed with
//! SIGKILL while it writes a roster leaves a database that passes `ladder check`, with the
//! import either whole or absent, and the same import then goes through.

use crate::imports::{HEADER, V, id, person};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

const ROWS: u32 = 20_000;
const COHORT: &str = "2026-KILL-01";

/// A roster of `ROWS` valid, distinct trainees as CSV (a title row, then the header).
fn roster() -> String {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    w.write_record(["2026年初级技术经纪人培训班学员名单"])
        .unwrap();
    w.write_record(HEADER).unwrap();
    let first = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    for i in 0..ROWS {
        let born = first + chrono::Days::new(u64::from(i / 900));
        let number = id(
            "310104",
            chrono::Datelike::year(&born),
            chrono::Datelike::month(&born),
            chrono::Datelike::day(&born),
            u16::try_from(i % 900 + 1).unwrap(),
        );
        let row = person(
            i + 1,
            "测试学员",
            i % 2 == 0,
            V::S(number.as_str().to_string()),
            V::S(format!("139{i:08}")),
            COHORT,
        );
        let cells: Vec<String> = row
            .into_iter()
            .map(|v| match v {
                V::S(t) => t,
                V::N(n) => n.to_string(),
                V::Empty => String::new(),
            })
            .collect();
        w.write_record(&cells).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn ladder(url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ladder"))
        .env("LADDER_KEY_FILE", crate::common::key_file())
        .env(
            "LADDER_CHECKPOINT_FILE",
            crate::common::checkpoint_file_for(url),
        )
        .args(args)
        .env("DATABASE_URL", url)
        .env_remove("RUST_LOG")
        .output()
        .expect("ladder runs")
}

fn members(url: &str) -> i64 {
    let out = ladder(url, &["cohort", "list"]);
    let list = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = list
        .lines()
        .find(|l| l.starts_with(COHORT))
        .unwrap_or_else(|| panic!("{list}"));
    line.split("trainees")
        .next()
        .unwrap()
        .split_whitespace()
        .last()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn an_import_killed_while_writing_is_whole_or_absent() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("faults");
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join(format!("kill-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let url = format!("sqlite:{}", db.display());
    let file = dir.join(format!("roster-{}.csv", std::process::id()));
    std::fs::write(&file, roster()).unwrap();
    for args in [
        &["migrate"][..],
        &["base", "add", "--code", "KILL-01", "--name", "故障测试基地"],
        &[
            "cohort",
            "add",
            "--base",
            "KILL-01",
            "--code",
            COHORT,
            "--name",
            "故障测试班",
            "--level",
            "junior",
            "--starts",
            "2026-03-01",
            "--ends",
            "2026-06-30",
        ],
    ] {
        assert!(ladder(&url, args).status.success(), "{args:?}");
    }
    let file_arg = file.display().to_string();
    let import = ["import", "roster", &file_arg, "--base", "KILL-01"];

    // Killed the moment it starts writing, inside its transaction.
    let mut child = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .env("LADDER_KEY_FILE", crate::common::key_file())
        .env(
            "LADDER_CHECKPOINT_FILE",
            crate::common::checkpoint_file_for(&url),
        )
        .args(import)
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut log = String::new();
    for line in stderr.lines().map_while(Result::ok) {
        log.push_str(&line);
        log.push('\n');
        if line.contains("import validated; writing") {
            child.kill().unwrap();
            break;
        }
    }
    let status = child.wait().unwrap();
    assert!(
        log.contains("writing"),
        "the import never began writing:\n{log}"
    );

    let check = ladder(&url, &["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let n = members(&url);
    assert!(
        n == 0 || n == i64::from(ROWS),
        "{n} of {ROWS} rows (status {status:?})"
    );

    // The database is usable: the import goes through (or finds everything already there).
    let again = ladder(&url, &[&import[..], &["--format", "json"]].concat());
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(members(&url), i64::from(ROWS));
    assert!(ladder(&url, &["check"]).status.success());
    let _ = std::fs::remove_file(&file);
}
