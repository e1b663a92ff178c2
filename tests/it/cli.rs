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
        Cli {
            url: format!("sqlite:{}", path.display()),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_ladder"))
            .args(args)
            .env("DATABASE_URL", &self.url)
            .env("RUST_LOG", "warn")
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
    assert!(cli.ok(&["audit", "verify"]).contains("audit chain intact"));
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
            .contains("valid (shanghai-default v1)")
    );
    let shown = cli.ok(&["ruleset", "show", default]);
    assert!(
        shown.contains("weights: training 15%, deals 35%"),
        "{shown}"
    );
    assert!(shown.contains("not configured (11)"), "{shown}");

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
