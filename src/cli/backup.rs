//! `ladder backup FILE` and `ladder restore FILE` for the embedded database (issue 7).
//!
//! A backup is taken online with SQLite's `VACUUM INTO`: one consistent snapshot, written
//! while the server goes on serving (WAL readers do not block it), then opened and checked
//! (`PRAGMA integrity_check`, the migration table) before it is reported. A restore checks
//! the file the same way, copies it beside the database and renames it into place, so the
//! database is either the old one or the whole backup; it refuses to replace an existing
//! database without `--force` (stop the server first). PostgreSQL deployments back up with
//! `pg_dump -Fc` and restore with `pg_restore` (README).

use anyhow::{Context, bail};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The file behind a `sqlite:` URL, or why there is none.
pub fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let Some(rest) = url.strip_prefix("sqlite:") else {
        bail!(
            "backup and restore work on the embedded SQLite database; for PostgreSQL use \
             `pg_dump -Fc` and `pg_restore` (see the README)"
        );
    };
    let path = rest.trim_start_matches("//");
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() || path == ":memory:" {
        bail!("the database URL names no file");
    }
    Ok(PathBuf::from(path))
}

/// What a checked database file holds.
pub struct Checked {
    pub bytes: u64,
    pub migrations: i64,
    /// Meetings whose ballot is open: the file holds their sealed keys.
    pub open_ballots: i64,
}

/// Opens `file` read-only and checks it is a whole SQLite database of this application.
pub async fn check_file(file: &Path) -> anyhow::Result<Checked> {
    let opts = SqliteConnectOptions::from_str(&format!("sqlite:{}", file.display()))?
        .read_only(true)
        .create_if_missing(false);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .with_context(|| format!("{} is not a database Ladder can open", file.display()))?;
    let result = async {
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await
            .with_context(|| format!("{} is not an SQLite database", file.display()))?;
        if integrity != "ok" {
            bail!(
                "{} fails SQLite's integrity check: {integrity}",
                file.display()
            );
        }
        let migrations: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
                .fetch_one(&pool)
                .await
                .with_context(|| format!("{} holds no Ladder database", file.display()))?;
        // Meetings whose ballot is still open (their sealed keys are in the file); databases
        // from before the encrypted ballot have no such table.
        let open_ballots: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ballot_secrets")
            .fetch_one(&pool)
            .await
            .unwrap_or(0);
        Ok((migrations, open_ballots))
    }
    .await;
    pool.close().await;
    let (migrations, open_ballots) = result?;
    Ok(Checked {
        bytes: std::fs::metadata(file)?.len(),
        migrations,
        open_ballots,
    })
}

/// Writes a consistent copy of the database at `url` to `file`, which must not exist.
pub async fn backup(url: &str, file: &Path) -> anyhow::Result<String> {
    let source = sqlite_path(url)?;
    if file.exists() {
        bail!("{} already exists; choose a new file", file.display());
    }
    if !source.exists() {
        bail!("there is no database at {}", source.display());
    }
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the folder {}", dir.display()))?;
    }
    let opts = SqliteConnectOptions::from_str(url)?
        .create_if_missing(false)
        .busy_timeout(std::time::Duration::from_secs(30));
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .with_context(|| format!("opening {}", source.display()))?;
    let written = sqlx::query("VACUUM INTO $1")
        .bind(file.display().to_string())
        .execute(&pool)
        .await;
    pool.close().await;
    written.with_context(|| format!("writing the backup to {}", file.display()))?;
    let c = check_file(file).await?;
    let mut out = format!(
        "backup written: {} ({} bytes, {} migrations, integrity ok)\n",
        file.display(),
        c.bytes,
        c.migrations
    );
    // The keys are never in the database (docs/security.md).
    out.push_str(
        "note: the server's key file (LADDER_KEY_FILE) is not in this backup; keep a copy of it \
         apart from the backups: without it a restored database refuses to start\n",
    );
    if c.open_ballots > 0 {
        out.push_str(&format!(
            "note: {} meeting(s) were voting when this backup was taken; it holds their sealed \
             ballot keys: with the key file it could decrypt single ballots, so keep it as safe \
             as the key file\n",
            c.open_ballots
        ));
    }
    Ok(out)
}

/// Replaces the database at `url` with the backup `file`; an existing database only with
/// `force`.
pub async fn restore(url: &str, file: &Path, force: bool) -> anyhow::Result<String> {
    let target = sqlite_path(url)?;
    if !file.exists() {
        bail!("there is no backup at {}", file.display());
    }
    let c = check_file(file).await?;
    if target.exists() && std::fs::metadata(&target)?.len() > 0 && !force {
        bail!(
            "{} exists: restoring replaces it. Stop the server, then run again with --force",
            target.display()
        );
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    // Copy beside the target, then rename: the database is the old one or the whole backup.
    let staging = target.with_extension("restoring");
    std::fs::copy(file, &staging)
        .with_context(|| format!("copying {} to {}", file.display(), staging.display()))?;
    std::fs::File::open(&staging)?.sync_all()?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side).with_context(|| format!("removing {}", side.display()))?;
        }
    }
    std::fs::rename(&staging, &target)
        .with_context(|| format!("moving the restored database to {}", target.display()))?;
    Ok(format!(
        "restored {} from {} ({} bytes, {} migrations)\n",
        target.display(),
        file.display(),
        c.bytes,
        c.migrations
    ))
}

/// How many backups taken before migrations are kept; older ones are removed.
pub const KEEP_BEFORE_MIGRATION: usize = 5;

/// Before migrations change an embedded database that already holds data, a backup of it in
/// `backups/` beside the database file, named by the time (UTC). Returns the file written,
/// or None when there was nothing to protect (no pending migration, a new database, or
/// PostgreSQL, which applies each migration in a transaction and is backed up with pg_dump).
pub async fn before_migration(
    url: &str,
    db: &crate::db::Db,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Option<PathBuf>> {
    let (applied, pending) = db.migration_counts().await?;
    if pending == 0 || applied == 0 {
        return Ok(None);
    }
    if !matches!(db.pool(), crate::db::Pool::Sqlite(_)) {
        tracing::info!(
            pending,
            "applying migrations (each in its own transaction; back up with pg_dump -Fc first)"
        );
        return Ok(None);
    }
    let source = sqlite_path(url)?;
    let dir = source
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups");
    let stem = source
        .file_stem()
        .map_or_else(|| "ladder".into(), |s| s.to_string_lossy().into_owned());
    let prefix = format!("{stem}-before-migration-");
    let file = dir.join(format!("{prefix}{}.db", now.format("%Y%m%dT%H%M%S%.3fZ")));
    backup(url, &file)
        .await
        .context("backing up the database before migrating it (nothing was migrated)")?;
    tracing::info!(
        file = %file.display(),
        pending,
        "backed up the database before applying migrations"
    );
    prune(&dir, &prefix, KEEP_BEFORE_MIGRATION);
    Ok(Some(file))
}

/// Removes all but the `keep` newest files in `dir` whose names start with `prefix` (the
/// names sort by time). A file that cannot be removed is logged and left.
fn prune(dir: &Path, prefix: &str, keep: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect();
    names.sort();
    let surplus = names.len().saturating_sub(keep);
    for old in names.into_iter().take(surplus) {
        if let Err(e) = std::fs::remove_file(&old) {
            tracing::warn!(file = %old.display(), error = %e, "could not remove an old backup");
        }
    }
}
