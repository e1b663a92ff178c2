//! Issue 20's attacks on the keys and the audit log, tried through the command line as an
//! operator and an attacker would: the key file is private, required and bound to its
//! database; and an attacker who can write the database but not read the key file cannot
//! delete the newest audit rows, edit a row and recompute every hash after it, or change a
//! certified tally without `ladder audit verify` and `ladder check` saying so.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// An installation: a database file, its key file and the checkpoint file beside it.
struct Install {
    db: PathBuf,
    key: PathBuf,
}

impl Install {
    fn new(name: &str) -> Install {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join("trust")
            .join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Install {
            db: dir.join("ladder.db"),
            key: dir.join("ladder.key"),
        }
    }

    /// A copy of this installation's database (closed, so whole in its file), with the same
    /// key and checkpoint files: what an attacker would edit and an operator would serve.
    fn copy(&self, name: &str) -> Install {
        let to = self.db.with_file_name(format!("{name}.db"));
        std::fs::copy(&self.db, &to).unwrap();
        Install {
            db: to,
            key: self.key.clone(),
        }
    }

    fn checkpoints(&self) -> PathBuf {
        self.key.with_file_name("audit-checkpoints.jsonl")
    }

    fn run_with(&self, key: &Path, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_ladder"))
            .args(args)
            .env("DATABASE_URL", format!("sqlite:{}", self.db.display()))
            .env("LADDER_KEY_FILE", key)
            .env_remove("LADDER_CHECKPOINT_FILE")
            .env_remove("RUST_LOG")
            .output()
            .expect("ladder runs")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run_with(&self.key, args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Fails; returns stdout and stderr together.
    fn fails_with(&self, key: &Path, args: &[&str]) -> String {
        let out = self.run_with(key, args);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.status.success(), "{args:?} should fail: {text}");
        text
    }

    fn fails(&self, args: &[&str]) -> String {
        self.fails_with(&self.key, args)
    }

    /// The public key `ladder keys show` prints for the current key.
    fn public_key(&self) -> String {
        let out = self.ok(&["keys", "show"]);
        let current = out
            .lines()
            .find_map(|l| l.strip_prefix("current"))
            .and_then(|l| l.split_whitespace().next())
            .expect("a current key")
            .to_string();
        out.lines()
            .filter_map(|l| l.strip_prefix("public key "))
            .find_map(|l| l.strip_prefix(current.as_str()))
            .map(|k| k.trim().to_string())
            .expect("the current public key")
    }

    /// Runs SQL on the database file directly, as someone with the file but not the key.
    fn sql(&self, statements: &[&str]) {
        let url = format!("sqlite:{}", self.db.display());
        let statements: Vec<String> = statements.iter().map(|s| s.to_string()).collect();
        crate::common::run(async move {
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            for s in statements {
                sqlx::query(sqlx::AssertSqlSafe(s))
                    .execute(&pool)
                    .await
                    .unwrap();
            }
            pool.close().await;
        });
    }

    fn scalar(&self, sql: &str) -> i64 {
        let url = format!("sqlite:{}", self.db.display());
        let sql = sql.to_string();
        crate::common::run_value(async move {
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            let v = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&pool)
                .await
                .unwrap();
            pool.close().await;
            v
        })
    }

    /// The attacker's rewrite (see [`crate::common::rewrite_audit`]).
    fn rehash_from(&self, from: i64, edit: &[&str]) {
        let url = format!("sqlite:{}", self.db.display());
        let edit: Vec<String> = edit.iter().map(|s| s.to_string()).collect();
        crate::common::run(async move {
            let db = ladder::db::Db::connect(&url).await.unwrap();
            let edit: Vec<&str> = edit.iter().map(String::as_str).collect();
            crate::common::rewrite_audit(&db, from, &edit).await;
            db.close().await;
        });
    }
}

#[test]
fn the_key_file_is_private_required_and_bound_to_its_database() {
    let site = Install::new("keys");
    // The database exists (`migrate` needs no key); without the key file nothing that touches
    // it runs, `serve` included, and the message says how to make one.
    site.ok(&["migrate"]);
    for args in [&["serve"][..], &["check"], &["base", "list"]] {
        let err = site.fails(args);
        assert!(err.contains("ladder keys init"), "{args:?}: {err}");
    }
    let out = site.ok(&["keys", "init"]);
    let mode = std::fs::metadata(&site.key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&site.key).unwrap();
    // What is printed is the public part: no line of the file's secrets.
    for secret in text
        .lines()
        .filter(|l| l.contains("secret") || l.contains("seal"))
    {
        if let Some((_, value)) = secret.split_once('=') {
            let value = value.trim().trim_matches('"');
            if value.len() >= 32 {
                assert!(!out.contains(value), "the secret is printed: {out}");
            }
        }
    }
    // Never overwritten.
    assert!(site.fails(&["keys", "init"]).contains("never overwritten"));
    assert_eq!(std::fs::read_to_string(&site.key).unwrap(), text);
    // Readable by others: refused until it is private again.
    std::fs::set_permissions(&site.key, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(site.fails(&["base", "list"]).contains("chmod 600"));
    std::fs::set_permissions(&site.key, std::fs::Permissions::from_mode(0o600)).unwrap();
    site.ok(&["base", "add", "--code", "SH-K-01", "--name", "密钥测试基地"]);

    // Another key file with the same database (an instance given the wrong file): refused.
    let other = site.key.with_file_name("other.key");
    assert!(
        Command::new(env!("CARGO_BIN_EXE_ladder"))
            .args(["keys", "init"])
            .env("LADDER_KEY_FILE", &other)
            .output()
            .unwrap()
            .status
            .success()
    );
    for args in [&["serve"][..], &["check"]] {
        let err = site.fails_with(&other, args);
        assert!(
            err.contains("give every instance the same key file"),
            "{err}"
        );
    }
    site.ok(&["check"]);
}

#[test]
fn a_database_writer_cannot_rewrite_the_audit_log_unnoticed() {
    let site = Install::new("audit");
    site.ok(&["keys", "init"]);
    site.ok(&["demo"]);
    let signed = site.ok(&["audit", "checkpoint"]);
    assert!(signed.contains("checkpoint #"), "{signed}");
    let public = site.public_key();
    let nowhere = site.key.with_file_name("no-such.key");
    let offline = |s: &Install, extra: &[&str]| -> Output {
        let mut args = vec!["audit", "verify", "--public-key", &public];
        args.extend_from_slice(extra);
        s.run_with(&nowhere, &args)
    };
    let checkpoints = site.checkpoints().display().to_string();
    // The honest log verifies with the key file, and offline with the public key alone.
    assert!(site.ok(&["audit", "verify"]).contains("audit log verified"));
    assert!(
        offline(&site, &["--checkpoints", &checkpoints])
            .status
            .success()
    );
    site.ok(&["check"]);
    let rows = site.scalar("SELECT MAX(id) FROM audit_log");
    assert!(rows > 100, "the demo leaves a long log: {rows}");

    // 1. The newest 40 rows deleted (all covered by the checkpoint just signed).
    let cut = site.copy("cut");
    cut.sql(&[
        "DROP TRIGGER audit_log_no_delete",
        &format!("DELETE FROM audit_log WHERE id > {}", rows - 40),
    ]);
    let out = cut.fails(&["audit", "verify"]);
    assert!(out.contains("problem"), "{out}");
    assert!(cut.fails(&["check"]).contains("PROBLEM [audit]"));
    assert!(!offline(&cut, &[]).status.success());
    // …and the checkpoints that covered them deleted too: the checkpoint file outside the
    // database still has them.
    cut.sql(&[&format!(
        "DELETE FROM audit_checkpoints WHERE last_id > {}",
        rows - 40
    )]);
    let out = cut.fails(&["audit", "verify"]);
    assert!(out.contains("missing from the database"), "{out}");
    assert!(cut.fails(&["check"]).contains("missing from the database"));
    assert!(
        !offline(&cut, &["--checkpoints", &checkpoints])
            .status
            .success()
    );

    // 2. A row in the middle edited and every hash after it recomputed.
    let edited = site.copy("edited");
    let middle = rows / 2;
    edited.rehash_from(
        middle,
        &[&format!(
            "UPDATE audit_log SET actor_label = 'someone else' WHERE id = {middle}"
        )],
    );
    let out = edited.fails(&["audit", "verify"]);
    assert!(out.contains(&format!("row {middle}")), "{out}");
    assert!(edited.fails(&["check"]).contains("PROBLEM [audit]"));
    // Offline, the signed head no longer matches the rewritten chain.
    assert!(!offline(&edited, &[]).status.success());

    // (A certified tally changed, alone or with its audit row rewritten to match:
    // review::ballot's check test, on both engines.)

    // The untouched installation still verifies: the attacks were on copies.
    assert!(site.ok(&["audit", "verify"]).contains("audit log verified"));
}

#[test]
fn after_a_key_rotation_old_rows_and_checkpoints_still_verify() {
    let site = Install::new("rotation");
    site.ok(&["keys", "init"]);
    site.ok(&["migrate"]);
    site.ok(&["base", "add", "--code", "SH-R-01", "--name", "轮换前基地"]);
    let old = site.public_key();
    let out = site.ok(&["keys", "rotate"]);
    assert!(out.contains("retired"), "{out}");
    let new = site.public_key();
    assert_ne!(old, new);
    site.ok(&["base", "add", "--code", "SH-R-02", "--name", "轮换后基地"]);
    let out = site.ok(&["audit", "verify"]);
    assert!(out.contains("audit log verified"), "{out}");
    // Rows under both keys carry MACs that were checked.
    assert_eq!(
        site.scalar("SELECT COUNT(DISTINCT key_id) FROM audit_log WHERE mac IS NOT NULL"),
        2
    );
    site.ok(&["check"]);
    // Offline: both public keys verify everything; the new one alone does not vouch for the
    // checkpoints signed before the rotation.
    let nowhere = site.key.with_file_name("no-such.key");
    let both = site.run_with(
        &nowhere,
        &[
            "audit",
            "verify",
            "--public-key",
            &old,
            "--public-key",
            &new,
        ],
    );
    assert!(
        both.status.success(),
        "{}",
        String::from_utf8_lossy(&both.stdout)
    );
    let only_new = site.run_with(&nowhere, &["audit", "verify", "--public-key", &new]);
    assert!(!only_new.status.success());
    assert!(String::from_utf8_lossy(&only_new.stdout).contains("problem"));
}
