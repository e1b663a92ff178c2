//! The command line, run as a user would run it, against its own SQLite file.

use std::path::PathBuf;
use std::process::{Command, Output};

struct Cli {
    url: String,
}

impl Cli {
    fn new(name: &str) -> Cli {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli");
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(format!("{name}-{}.db", std::process::id()));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let url = format!("sqlite:{}", path.display());
        let _ = std::fs::remove_file(crate::common::checkpoint_file_for(&url));
        let cli = Cli { url };
        // Only `migrate`, `serve` and `demo` make a database; the other commands want one.
        cli.ok(&["migrate"]);
        cli
    }

    /// Runs with the default log level, as a user would: stdout must hold only the output.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_ladder"))
            .env("LADDER_KEY_FILE", crate::common::key_file())
            .env(
                "LADDER_CHECKPOINT_FILE",
                crate::common::checkpoint_file_for(&self.url),
            )
            .args(args)
            .env("DATABASE_URL", &self.url)
            .env_remove("RUST_LOG")
            .output()
            .expect("ladder runs")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should fail");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

#[test]
fn help_documents_every_subcommand() {
    let cli = Cli::new("help");
    let help = cli.ok(&["--help"]);
    for cmd in [
        "ruleset",
        "serve",
        "migrate",
        "demo",
        "user",
        "base",
        "cohort",
        "committee",
        "audit",
        "import",
        "backup",
        "restore",
    ] {
        assert!(help.contains(cmd), "--help lacks {cmd}:\n{help}");
    }
    let user = cli.ok(&["user", "--help"]);
    for cmd in ["add", "list", "set-roles", "reset-password", "deactivate"] {
        assert!(user.contains(cmd), "user --help lacks {cmd}");
    }
}

#[test]
fn administers_bases_cohorts_and_users() {
    let cli = Cli::new("admin");
    assert!(cli.ok(&["migrate"]).contains("up to date"));
    cli.ok(&[
        "base",
        "add",
        "--code",
        "SH-XH-01",
        "--name",
        "徐汇实训基地",
        "--region",
        "上海",
    ]);
    assert!(cli.ok(&["base", "list"]).contains("SH-XH-01"));

    // Bad input: every problem named, nothing written.
    let err = cli.fails(&[
        "cohort",
        "add",
        "--base",
        "SH-XH-01",
        "--code",
        "bad code",
        "--name",
        "班",
        "--level",
        "expert",
        "--starts",
        "2026-09-01",
        "--ends",
        "2026-08-01",
    ]);
    assert!(
        err.contains("code:") && err.contains("level:") && err.contains("ends_on:"),
        "{err}"
    );
    assert!(!cli.ok(&["cohort", "list"]).contains("bad code"));
    cli.ok(&[
        "cohort",
        "add",
        "--base",
        "SH-XH-01",
        "--code",
        "2026-SH-JR-01",
        "--name",
        "初级班",
        "--level",
        "junior",
        "--starts",
        "2026-09-01",
        "--ends",
        "2026-12-31",
    ]);
    assert!(
        cli.ok(&["cohort", "list", "--base", "SH-XH-01"])
            .contains("2026-SH-JR-01")
    );

    let out = cli.ok(&[
        "user",
        "add",
        "--username",
        "zhao.min",
        "--name",
        "赵敏",
        "--role",
        "base_admin@SH-XH-01",
    ]);
    assert!(out.contains("initial password:"), "{out}");
    let err = cli.fails(&[
        "user",
        "add",
        "--username",
        "x",
        "--name",
        "某",
        "--role",
        "base_admin",
    ]);
    assert!(err.contains("needs @SCOPE"), "{err}");
    let list = cli.ok(&["user", "list"]);
    assert!(
        list.contains("zhao.min") && list.contains("base_admin@徐汇实训基地"),
        "{list}"
    );

    cli.ok(&["user", "set-roles", "zhao.min", "auditor"]);
    let list = cli.ok(&["user", "list"]);
    assert!(
        list.contains("auditor") && !list.contains("base_admin"),
        "{list}"
    );
    cli.ok(&[
        "user",
        "reset-password",
        "zhao.min",
        "--password",
        "another-password",
    ]);
    cli.ok(&["user", "deactivate", "zhao.min"]);
    assert!(cli.ok(&["user", "list"]).contains("inactive"));
    assert!(
        cli.fails(&["user", "deactivate", "nobody"])
            .contains("no user named nobody")
    );
    assert!(cli.ok(&["audit", "verify"]).contains("audit log verified"));
}

#[test]
fn demo_loads_once_and_gives_roster_people_logins() {
    let cli = Cli::new("demo");
    assert!(cli.ok(&["demo"]).contains("demo data loaded"));
    assert!(cli.ok(&["demo"]).contains("not loaded"));
    // A roster person (no login yet) gets one by ID number; a second login for them is refused.
    let out = cli.ok(&[
        "user",
        "add",
        "--username",
        "roster.one",
        "--person",
        "310104197001011007",
        "--password",
        "password-1",
    ]);
    assert!(out.contains("created"), "{out}");
    let err = cli.fails(&[
        "user",
        "add",
        "--username",
        "roster.two",
        "--person",
        "310104197001011007",
        "--password",
        "password-1",
    ]);
    assert!(err.contains("id_number"), "{err}");
    let err = cli.fails(&["--database-url", "mysql://x", "migrate"]);
    assert!(err.contains("unsupported database URL"), "{err}");
}

#[test]
fn rulesets_are_validated_and_shown_without_a_database() {
    let cli = Cli::new("ruleset");
    let default = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/rulesets/shanghai-default.toml"
    );
    assert!(
        cli.ok(&["ruleset", "validate", default])
            .contains("valid (shanghai-default v2)")
    );
    let shown = cli.ok(&["ruleset", "show", default, "--lang", "en"]);
    assert!(
        shown.contains("weights: Training and continuing education 15%, Deal performance 35%"),
        "{shown}"
    );
    assert!(shown.contains("not configured (4)"), "{shown}");
    assert!(
        shown.contains("curriculum junior technology broker: public knowledge, policy and law, practice skills (placeholder); hours 48 class hours (placeholder)"),
        "{shown}"
    );
    // The [NF] module set and years in practice are placeholders, named as such (issue 21).
    assert!(
        shown.contains("years in practice 1 (placeholder)"),
        "{shown}"
    );
    assert!(shown.contains("curriculum.junior.modules"), "{shown}");
    // Every part of the ruleset (issue 21): the D1–D3 splits, D3's parameters, the D4
    // rubric and its reviewer rules, the D5 prices and caps, the title's eligibility years.
    for needle in [
        "D1 split: curriculum 60%, continuing education 40%",
        "D2 split: deal count",
        "D3 split: commercialisation events 60% (each 25, cap 100), contract performance 40% (penalty per dispute 50)",
        "teaching (per class hour) 1",
        "penalty per dispute 50",
        "D4 case rubric: complexity and scale 20",
        "reviews needed 3, drop highest and lowest from 5",
        "D5 points each: ",
        "teaching cap 30, cap 100",
        "title eligibility: ",
        "doctorate 2",
        "continuing education: the last 1 full years, each 90 class hours (professional 60 class hours)",
        "title performance minima: registered deals not configured",
    ] {
        assert!(shown.contains(needle), "lacks {needle}:\n{shown}");
    }
    let shown = cli.ok(&["ruleset", "show", default]);
    assert!(shown.contains("权重: 培训与继续教育 15%"), "{shown}");
    assert!(shown.contains("D4 案例评分表: "), "{shown}");
    assert!(shown.contains("授课上限 30，总上限 100"), "{shown}");
    // The caps are data: a file may set them (within 1–100).
    let text = std::fs::read_to_string(default).unwrap();
    let capped = text
        .replace(
            "dispute_penalty = 50",
            "dispute_penalty = 50\nevents_cap = 75",
        )
        .replace("teaching_cap = 30", "teaching_cap = 30\ncap = 80");
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("capped-ruleset.toml");
    std::fs::write(&path, &capped).unwrap();
    let shown = cli.ok(&["ruleset", "show", path.to_str().unwrap(), "--lang", "en"]);
    assert!(
        shown.contains("each 25, cap 75") && shown.contains("teaching cap 30, cap 80"),
        "{shown}"
    );
    std::fs::write(&path, capped.replace("cap = 80", "cap = 120")).unwrap();
    let err = cli.fails(&["ruleset", "validate", path.to_str().unwrap()]);
    assert!(err.contains("contribution.cap"), "{err}");

    let text = std::fs::read_to_string(default).unwrap();
    let bad = text
        .replace("deals = 35 ", "deals = 30 ")
        .replace("lead = 1.0", "lead = 1.0\nleed = 2");
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bad-ruleset.toml");
    std::fs::write(&path, bad).unwrap();
    let err = cli.fails(&["ruleset", "validate", path.to_str().unwrap()]);
    assert!(
        err.contains("roles.leed: unknown key") && err.contains("weights: the parts sum to 95"),
        "{err}"
    );
}

fn repo(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn temp_file(name: &str, text: &str) -> String {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn score_explains_the_documented_example() {
    let cli = Cli::new("score");
    let (rules, example) = (
        repo("rulesets/shanghai-default.toml"),
        repo("examples/evidence/zhang-wei.json"),
    );
    let base = [
        "score",
        "--ruleset",
        &rules,
        "--evidence",
        &example,
        "--as-of",
        "2026-11-26",
    ];
    let zh = cli.ok(&base);
    for needle in [
        "总分: 47.4",
        "D2b 技术交易额（按角色与份额加权） — 原始分 50.0 × 60% × 35% = 10.5",
        "技术交易额分档第 2 档（≥ 50.00 万元 → 50 分），取值 168.00 万元",
        "t3 2026-11-07 实务技能  未计入: 未核验",
        "实务技能还需 16 学时（已完成 0 / 16）",
        "再以主导身份完成 2 项登记技术合同",
    ] {
        assert!(zh.contains(needle), "lacks {needle}:\n{zh}");
        assert!(
            !zh.contains("deals."),
            "a ruleset key reached the reader:\n{zh}"
        );
    }
    let en = cli.ok(&[&base[..], &["--lang", "en"]].concat());
    for needle in [
        "Total: 47.4",
        "not counted: not verified",
        "16 more class hours of practice skills (done 0 of 16)",
        "2 more registered deals as lead lift the contract count to 60.0",
        // The ruleset's tables in words, never their keys (deals.count_tiers).
        "deal-amount tiers, row 2 (≥ 50.00 ×10k CNY → 50 points) for 168.00 ×10k CNY",
    ] {
        assert!(en.contains(needle), "lacks {needle}:\n{en}");
        assert!(
            !en.contains("deals."),
            "a ruleset key reached the reader:\n{en}"
        );
    }
    // JSON: stable, and the total is the sum of the ledger.
    let json: serde_json::Value =
        serde_json::from_str(&cli.ok(&[&base[..], &["--format", "json"]].concat())).unwrap();
    assert_eq!(json["schema"], "ladder.score/1");
    assert_eq!(json["total"], 47_432);
    let sum: i64 = json["ledger"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["points"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, 47_432);
    assert_eq!(
        json["ledger"][0]["items"][2]["effect"]["excluded"]["reason"],
        "unverified"
    );
    assert_eq!(json["position"]["next"], "junior");

    // What if: the practicum record verified closes the module gap.
    let added = temp_file(
        "what-if.json",
        r#"{"training": [{"id": "t4", "module": "practice_skills", "mode": "practicum",
            "hours": 1600, "date": "2026-11-20", "provider": "基地", "verification": "base_verified"}]}"#,
    );
    let what_if = cli.ok(&[&base[..], &["--add", &added, "--lang", "en"]].concat());
    assert!(what_if.contains("total: 47.4 → 50.4 (+3.0)"), "{what_if}");
    assert!(
        what_if.contains("No longer missing:\n    - 16 more class hours of practice skills (done 0 of 16)\n  Still needed:"),
        "{what_if}"
    );
}

#[test]
fn bad_evidence_is_located_and_scores_nothing() {
    let cli = Cli::new("bad-evidence");
    let rules = repo("rulesets/shanghai-default.toml");
    let typo = temp_file("typo.json", r#"{"deals": [], "outcome": []}"#);
    let out = cli.run(&["score", "--ruleset", &rules, "--evidence", &typo]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing is printed but the error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("typo.json is not a valid evidence file")
            && err.contains("outcome: unknown key"),
        "{err}"
    );
    let broken = temp_file("broken.json", "{\"deals\": [\n  {\"id\": 1}\n]}");
    let err = cli.fails(&["score", "--ruleset", &rules, "--evidence", &broken]);
    assert!(err.contains("line 2"), "{err}");
    let err = cli.fails(&[
        "score",
        "--ruleset",
        &rules,
        "--evidence",
        &typo,
        "--as-of",
        "2026-02-30",
    ]);
    assert!(err.contains("--as-of"), "{err}");
}

#[test]
fn ruleset_impact_reports_who_moves() {
    let cli = Cli::new("impact");
    let args = [
        "ruleset",
        "impact",
        "--from",
        &repo("rulesets/shanghai-default.toml"),
        "--to",
        &repo("examples/rulesets/shanghai-v3-draft.toml"),
        "--evidence-dir",
        &repo("examples/population"),
        "--as-of",
        "2026-11-26",
    ]
    .map(String::from);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let zh = cli.ok(&args);
    assert!(
        zh.contains("13 人") && zh.contains("升级 1，降级 1，不变 11"),
        "{zh}"
    );
    assert!(
        zh.contains("wu-lei: 学员（未定级） → 初级技术经纪人"),
        "{zh}"
    );
    assert!(
        zh.contains("qian-wei: 中级技术经纪人 → 初级技术经纪人"),
        "{zh}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&cli.ok(&[&args[..], &["--format", "json"]].concat())).unwrap();
    assert_eq!(json["down"][0]["person"], "qian-wei");
    assert_eq!(json["down"][0]["from_level"], "intermediate");
    assert_eq!(json["people"], 13);

    // One unreadable file stops the run: no impact on part of a population.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("population-with-a-bad-file");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        repo("examples/evidence/zhang-wei.json"),
        dir.join("zhang-wei.json"),
    )
    .unwrap();
    std::fs::write(dir.join("broken.json"), "{").unwrap();
    let mut bad = args.clone();
    let dir = dir.display().to_string();
    bad[7] = &dir;
    let err = cli.fails(&bad);
    assert!(
        err.contains("broken.json is not a valid evidence file"),
        "{err}"
    );
}

#[test]
fn rulesets_are_stored_activated_and_then_frozen() {
    let cli = Cli::new("ruleset-store");
    let default = repo("rulesets/shanghai-default.toml");
    assert!(
        cli.ok(&["ruleset", "import", &default])
            .contains("shanghai-default v2: stored as a draft")
    );
    assert!(
        cli.ok(&["ruleset", "import", &default])
            .contains("already stored, unchanged")
    );
    assert!(
        cli.ok(&["ruleset", "activate", "shanghai-default", "2"])
            .contains("can no longer change")
    );
    let list = cli.ok(&["ruleset", "list"]);
    assert!(
        list.contains("shanghai-default") && list.contains("active") && list.contains("locked"),
        "{list}"
    );
    let changed = temp_file(
        "changed-v2.toml",
        &std::fs::read_to_string(&default)
            .unwrap()
            .replace("dispute_penalty = 50", "dispute_penalty = 40"),
    );
    let err = cli.fails(&["ruleset", "import", &changed]);
    assert!(err.contains("give the file a new version"), "{err}");
    assert!(
        cli.fails(&["ruleset", "activate", "shanghai-default", "9"])
            .contains("no ruleset shanghai-default v9")
    );
    assert!(cli.ok(&["audit", "verify"]).contains("audit log verified"));
}

#[test]
fn imports_a_roster_dry_run_then_valid_rows_then_nothing_new() {
    let cli = Cli::new("import");
    cli.ok(&["demo"]);
    let csv = crate::imports::quirky_csv().replace(crate::imports::COHORT, "2024-SH-JR-03");
    let file = temp_file("roster.csv", &csv);
    let errors_xlsx = temp_file("roster-errors.xlsx", "");
    let args = ["import", "roster", &file, "--base", "SH-XH-01"];
    let json = |out: &Output| -> serde_json::Value {
        serde_json::from_slice(&out.stdout).expect("the report is JSON")
    };
    // Dry run: the report, exit 2 because rows have errors, and the error workbook.
    let dry = cli.run(
        &[
            &args[..],
            &[
                "--dry-run",
                "--format",
                "json",
                "--errors-xlsx",
                &errors_xlsx,
            ],
        ]
        .concat(),
    );
    assert_eq!(dry.status.code(), Some(2));
    let r = json(&dry);
    assert_eq!(r["sheet"], "CSV");
    assert_eq!(r["header_row"], 2);
    assert_eq!(r["rows"]["new"], 5);
    assert_eq!(r["rows"]["error"], 10);
    assert_eq!(r["rows"]["skipped"], 2);
    assert_eq!(r["committed"], false);
    let first = &r["errors"][0];
    assert_eq!(first["row"], 9);
    assert_eq!(first["column"], "D");
    assert_eq!(first["code"], "id_number");
    assert!(first["message"].as_str().unwrap().contains("文本"));
    let book = std::fs::read(&errors_xlsx).unwrap();
    assert!(book.starts_with(b"PK"));
    // Without a choice nothing is imported.
    let refused = cli.run(&args);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("未导入任何内容"));
    // The valid rows, then the same file again: nothing new.
    let done = cli.run(&[&args[..], &["--valid-only", "--format", "json"]].concat());
    assert_eq!(done.status.code(), Some(0));
    assert_eq!(json(&done)["committed"], true);
    let again = cli.run(
        &[
            &args[..],
            &["--valid-only", "--format", "json", "--lang", "en"],
        ]
        .concat(),
    );
    let r = json(&again);
    assert_eq!(
        (r["rows"]["new"].as_u64(), r["rows"]["unchanged"].as_u64()),
        (Some(0), Some(5))
    );
    assert!(r["errors"][0]["message"].as_str().unwrap().contains("Text"));
    let list = cli.ok(&["cohort", "list"]);
    assert!(
        list.lines()
            .any(|l| l.starts_with("2024-SH-JR-03") && l.contains("  5 trainees")),
        "{list}"
    );
    // A file that is not a spreadsheet: exit 1 and a sentence, no panic.
    let bad = temp_file("roster.xlsx", "not a workbook");
    let out = cli.run(&[
        "import", "roster", &bad, "--base", "SH-XH-01", "--lang", "en",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a spreadsheet"));
}

#[test]
fn imports_attendance_as_verified_training_once() {
    let cli = Cli::new("attendance");
    cli.ok(&["demo"]);
    let csv = crate::imports::quirky_csv().replace(crate::imports::COHORT, "2024-SH-JR-03");
    let roster = temp_file("roster.csv", &csv);
    let done = cli.run(&[
        "import",
        "roster",
        &roster,
        "--base",
        "SH-XH-01",
        "--valid-only",
    ]);
    assert_eq!(done.status.code(), Some(0));
    // The roster's first person: one catalog course, and one row with a course nobody offers.
    let who = crate::imports::id("320506", 1985, 3, 21, 13);
    let sheet = format!(
        "序号,姓名,身份证号,课程编号,上课日期,出勤\n\
         1,钟娜阳,{who},JR-PK-01,2024-10-10,√\n\
         2,钟娜阳,{who},NOPE-1,2024-10-10,√\n",
        who = who.as_str()
    );
    let file = temp_file("attendance.csv", &sheet);
    let args = [
        "import",
        "attendance",
        &file,
        "--base",
        "SH-XH-01",
        "--cohort",
        "2024-SH-JR-03",
        "--format",
        "json",
    ];
    let json = |out: &Output| -> serde_json::Value {
        serde_json::from_slice(&out.stdout).expect("the report is JSON")
    };
    let refused = cli.run(&args);
    assert_eq!(refused.status.code(), Some(2));
    let r = json(&refused);
    assert_eq!(r["errors"][0]["code"], "unknown_course");
    assert_eq!(r["errors"][0]["column"], "D");
    let done = cli.run(&[&args[..], &["--valid-only"]].concat());
    assert_eq!(done.status.code(), Some(0));
    let r = json(&done);
    assert_eq!(
        (r["committed"].as_bool(), r["rows"]["new"].as_u64()),
        (Some(true), Some(1))
    );
    let again = json(&cli.run(&[&args[..], &["--valid-only"]].concat()));
    assert_eq!(
        (
            again["rows"]["new"].as_u64(),
            again["rows"]["unchanged"].as_u64()
        ),
        (Some(0), Some(1))
    );
}

#[test]
fn backs_up_and_restores_the_embedded_database() {
    let cli = Cli::new("backup");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli");
    let file = dir.join(format!("snapshot-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let add = |code: &str| {
        cli.ok(&["base", "add", "--code", code, "--name", "备份测试基地"]);
    };
    add("SH-BK-01");
    let file_arg = file.display().to_string();
    let out = cli.ok(&["backup", &file_arg]);
    assert!(out.contains("integrity ok"), "{out}");
    // The key file is not in the backup, and the operator is told.
    assert!(
        out.contains("key file (LADDER_KEY_FILE) is not in this backup"),
        "{out}"
    );
    assert!(!out.contains("were voting"), "{out}");
    // A backup never overwrites a file.
    assert!(cli.fails(&["backup", &file_arg]).contains("already exists"));

    // After the backup a second base is added; restoring without --force is refused and
    // changes nothing.
    add("SH-BK-02");
    let err = cli.fails(&["restore", &file_arg]);
    assert!(err.contains("--force"), "{err}");
    assert!(cli.ok(&["base", "list"]).contains("SH-BK-02"));

    // A file that is not a Ladder database is refused, the database untouched.
    let junk = dir.join(format!("junk-{}.db", std::process::id()));
    std::fs::write(&junk, b"not a database").unwrap();
    let err = cli.fails(&["restore", &junk.display().to_string(), "--force"]);
    assert!(err.contains("not"), "{err}");
    assert!(cli.ok(&["base", "list"]).contains("SH-BK-02"));

    // With --force the database is the backup again: the first base, not the second.
    assert!(
        cli.ok(&["restore", &file_arg, "--force"])
            .contains("restored")
    );
    let bases = cli.ok(&["base", "list"]);
    assert!(
        bases.contains("SH-BK-01") && !bases.contains("SH-BK-02"),
        "{bases}"
    );
    // The restored database carries its audit log whole.
    assert!(cli.ok(&["audit", "verify"]).contains("audit log verified"));

    // PostgreSQL has its own tools; the command says which.
    let pg = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .env("LADDER_KEY_FILE", crate::common::key_file())
        .env(
            "LADDER_CHECKPOINT_FILE",
            crate::common::checkpoint_file_for("postgres-backup"),
        )
        .args(["backup", &file_arg])
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .output()
        .unwrap();
    assert!(!pg.status.success());
    assert!(String::from_utf8_lossy(&pg.stderr).contains("pg_dump"));
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_file(&junk);
}

/// Runs SQL on the CLI's database file directly, as a damaged or older database would be.
fn sql(cli: &Cli, statements: &[&str]) {
    let url = cli.url.clone();
    let statements: Vec<String> = statements.iter().map(|s| s.to_string()).collect();
    crate::common::run(async move {
        let pool = sqlx::SqlitePool::connect(&url).await.expect("opens");
        for s in statements {
            sqlx::query(sqlx::AssertSqlSafe(s))
                .execute(&pool)
                .await
                .expect("statement runs");
        }
        pool.close().await;
    });
}

/// Statements that undo the newest SQLite migration's tables, indexes, triggers, views and
/// added columns, read from its file (so the test holds whichever migration is the newest).
fn undo_last_migration() -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo("migrations/sqlite"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let text = std::fs::read_to_string(files.last().unwrap()).unwrap();
    let mut undo = Vec::new();
    for statement in text.split(';') {
        let words: Vec<&str> = statement
            .lines()
            .filter(|l| !l.trim_start().starts_with("--"))
            .flat_map(str::split_whitespace)
            .collect();
        let upper: Vec<String> = words.iter().map(|w| w.to_uppercase()).collect();
        let at = |i: usize| upper.get(i).map(String::as_str);
        match (at(0), at(1), at(2)) {
            (Some("CREATE"), Some(kind @ ("TABLE" | "INDEX" | "TRIGGER" | "VIEW")), _) => {
                undo.push(format!(
                    "DROP {kind} IF EXISTS {}",
                    words[2].trim_end_matches('(')
                ));
            }
            (Some("CREATE"), Some("UNIQUE"), Some("INDEX")) => {
                undo.push(format!("DROP INDEX IF EXISTS {}", words[3]));
            }
            (Some("ALTER"), Some("TABLE"), _) if at(3) == Some("ADD") => {
                let column = if at(4) == Some("COLUMN") {
                    words[5]
                } else {
                    words[4]
                };
                undo.push(format!("ALTER TABLE {} DROP COLUMN {column}", words[2]));
            }
            _ => {}
        }
    }
    assert!(!undo.is_empty(), "nothing to undo in {:?}", files.last());
    // Undone in reverse: an index goes before the column it covers.
    undo.reverse();
    undo
}

fn before_migration_backups() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join("backups");
    let stem = format!("premigrate-{}-before-migration-", std::process::id());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&stem))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn a_migration_run_backs_up_the_database_first() {
    let cli = Cli::new("premigrate");
    for f in before_migration_backups() {
        std::fs::remove_file(f).unwrap();
    }
    // A new database has nothing to protect.
    cli.ok(&["base", "add", "--code", "SH-PM-01", "--name", "迁移前备份"]);
    assert!(before_migration_backups().is_empty());

    // An older database: the last migration not yet applied (what it created, undone).
    let mut undo = undo_last_migration();
    undo.push(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)"
            .into(),
    );
    sql(&cli, &undo.iter().map(String::as_str).collect::<Vec<_>>());
    let out = cli.run(&["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("backed up the database"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let backups = before_migration_backups();
    assert_eq!(backups.len(), 1, "{backups:?}");
    // The backup is the database as it was: one migration fewer, the base in it.
    let (migrations, bases) = {
        let url = format!("sqlite:{}", backups[0].display());
        let mut found = (0i64, 0i64);
        crate::common::run(async {
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            found.0 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
                .fetch_one(&pool)
                .await
                .unwrap();
            found.1 = sqlx::query_scalar("SELECT COUNT(*) FROM training_bases")
                .fetch_one(&pool)
                .await
                .unwrap();
            pool.close().await;
        });
        found
    };
    let latest: i64 = std::fs::read_dir(repo("migrations/sqlite"))
        .unwrap()
        .count()
        .try_into()
        .unwrap();
    assert_eq!((migrations, bases), (latest - 1, 1));
    // Up to date now: the next run takes no backup.
    cli.ok(&["migrate"]);
    assert_eq!(before_migration_backups().len(), 1);
    assert!(cli.ok(&["base", "list"]).contains("SH-PM-01"));
    for f in backups {
        std::fs::remove_file(f).unwrap();
    }
}

#[test]
fn check_finds_broken_invariants_and_names_the_rows() {
    let cli = Cli::new("check");
    cli.ok(&["demo"]);
    let out = cli.ok(&["check"]);
    assert!(out.contains("all invariants hold"), "{out}");
    // The demo holds stored scores (sheets and ballots: tests/it/review/ballot.rs).
    for what in ["audit rows", "stored scores"] {
        assert!(count_before(&out, what) > 0, "{what} in {out}");
    }

    // A stored total that is not its report's, a roster row of an import that never
    // committed.
    sql(
        &cli,
        &[
            "UPDATE score_snapshots SET total = total + 1 WHERE person_id = (SELECT MIN(person_id) FROM score_snapshots)",
            "INSERT INTO import_files (sha256, size, content, created_at)
             VALUES ('00', 1, X'00', '2026-01-01T00:00:00Z')",
            "INSERT INTO imports (kind, base_id, file_name, size, sha256, state, created_at)
             SELECT 'roster', MIN(id), 'x.xlsx', 1, '00', 'previewed', '2026-01-01T00:00:00Z'
             FROM training_bases",
            "UPDATE cohort_members SET import_id = (SELECT MAX(id) FROM imports)
             WHERE rowid = (SELECT MIN(rowid) FROM cohort_members)",
        ],
    );
    let out = cli.run(&["check"]);
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("PROBLEM [scores] person "), "{stdout}");
    assert!(stdout.contains("is not the report's total"), "{stdout}");
    assert!(
        stdout.contains("PROBLEM [imports] 1 roster rows"),
        "{stdout}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2 problems found"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The number written just before `what` in a summary line ("12 ballots").
fn count_before(out: &str, what: &str) -> i64 {
    let at = out
        .find(what)
        .unwrap_or_else(|| panic!("{what} not in {out}"));
    out[..at]
        .trim_end()
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count before {what} in {out}"))
}

/// `ladder check` (or any command but migrate, serve, demo and restore) with a mistyped SQLite
/// path refuses, says so, and leaves no new file behind; `migrate` creates it.
#[test]
fn a_missing_database_file_is_refused_not_created() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("misspelt-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let cli = Cli {
        url: format!("sqlite:{}", path.display()),
    };
    for args in [
        &["check"][..],
        &["base", "list"],
        &["audit", "verify"],
        &["ruleset", "list"],
        &["calendar", "show", "--year", "2026"],
    ] {
        let err = cli.fails(args);
        assert!(
            err.contains("there is no database at") && err.contains("misspelt-"),
            "{args:?}: {err}"
        );
        assert!(!path.exists(), "{args:?} created {}", path.display());
    }
    cli.ok(&["migrate"]);
    assert!(path.exists());
    assert!(cli.ok(&["check"]).contains("hold"));
    // No working-day calendar yet: this year's is missing, and said so.
    let cal = cli.ok(&["calendar", "show"]);
    assert!(
        cal.contains("stored: none") && cal.contains("(this year) — import it"),
        "{cal}"
    );
}
