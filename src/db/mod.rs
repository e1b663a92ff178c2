//! The database: one [`Db`] handle over SQLite (the default, embedded) or PostgreSQL (for several
//! app instances). Queries are written once where the SQL is portable (`$1` placeholders work on
//! both) and run through [`on_db!`]/[`on_tx!`], which expand the same code for each engine.

pub mod attendance;
pub mod audit;
pub mod ballot;
pub mod bases;
pub mod check;
pub mod committees;
pub mod courses;
pub mod defense;
pub mod files;
pub mod imports;
pub mod notice;
pub mod overview;
pub mod panels;
pub mod people;
pub mod profile;
pub mod records;
pub mod review;
pub mod rulesets;
pub mod schedule;
pub mod scores;
pub mod scoring;
pub mod sessions;
pub mod stats;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static PG_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The one database handle, cloned cheaply into the application state.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A writing transaction on either engine.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    #[error("conflicts with an existing record ({constraint})")]
    Conflict { constraint: String },
    #[error("unsupported database URL (use sqlite:PATH or postgres://...)")]
    UnsupportedUrl,
    #[error(transparent)]
    Other(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("could not create the database folder: {0}")]
    Folder(#[from] std::io::Error),
}

impl DbError {
    /// Sorts sqlx errors into the kinds callers act on: missing rows and constraint conflicts.
    pub fn classify(err: sqlx::Error) -> DbError {
        match err {
            sqlx::Error::RowNotFound => DbError::NotFound,
            // A reference to a row that does not exist (a grant for a deleted user, say).
            sqlx::Error::Database(ref db) if db.is_foreign_key_violation() => DbError::NotFound,
            sqlx::Error::Database(ref db)
                if db.is_unique_violation() || db.is_check_violation() =>
            {
                let constraint = db
                    .constraint()
                    .map(str::to_string)
                    // SQLite names the columns in the message instead of a constraint.
                    .unwrap_or_else(|| {
                        db.message()
                            .rsplit(": ")
                            .next()
                            .unwrap_or_default()
                            .to_string()
                    });
                DbError::Conflict { constraint }
            }
            other => DbError::Other(other),
        }
    }
}

/// Runs `$body` with `$c` bound to the engine's pool, for reads outside a transaction.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $c:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($c) => $body,
            $crate::db::Db::Postgres($c) => $body,
        }
    };
}

/// Runs `$body` with `$c` bound to the transaction's connection.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

pub type DbResult<T> = Result<T, DbError>;

/// Maps a sqlx result through [`DbError::classify`].
pub(crate) fn ok<T>(r: Result<T, sqlx::Error>) -> DbResult<T> {
    r.map_err(DbError::classify)
}

impl Db {
    /// Opens the database named by `url`: `sqlite:PATH` (the file and its folder are created)
    /// or `postgres://...`.
    pub async fn connect(url: &str) -> DbResult<Db> {
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.trim_start_matches("//");
            if let Some(dir) = std::path::Path::new(path).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir)?;
            }
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(opts)
                .await?;
            Ok(Db::Sqlite(pool))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(10)
                .connect(url)
                .await?;
            Ok(Db::Postgres(pool))
        } else {
            Err(DbError::UnsupportedUrl)
        }
    }

    pub async fn migrate(&self) -> DbResult<()> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATOR.run(p).await?,
            Db::Postgres(p) => PG_MIGRATOR.run(p).await?,
        }
        Ok(())
    }

    /// How many of the migrations this build carries the database has not applied (all of
    /// them before the first run); an error when the database does not answer.
    pub async fn pending_migrations(&self) -> DbResult<usize> {
        Ok(self.migration_counts().await?.1)
    }

    /// How many of this build's migrations the database has applied, and how many not.
    pub async fn migration_counts(&self) -> DbResult<(usize, usize)> {
        on_db!(self, c => ok(sqlx::query("SELECT 1").execute(c).await.map(|_| ())))?;
        let migrator = match self {
            Db::Sqlite(_) => &SQLITE_MIGRATOR,
            Db::Postgres(_) => &PG_MIGRATOR,
        };
        // No table yet: nothing applied.
        let applied: Vec<i64> = on_db!(self, c => sqlx::query_scalar(
            "SELECT version FROM _sqlx_migrations WHERE success",
        ).fetch_all(c).await)
        .unwrap_or_default();
        let pending = migrator
            .iter()
            .filter(|m| !applied.contains(&m.version))
            .count();
        Ok((migrator.iter().count() - pending, pending))
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Begins a transaction that only reads: on SQLite a deferred `BEGIN`, which takes no
    /// write lock (in WAL mode readers and the writer do not wait on each other).
    pub async fn begin_read(&self) -> DbResult<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Begins a writing transaction. On SQLite this is `BEGIN IMMEDIATE`, which takes the write
    /// lock up front: a deferred transaction that reads and then writes fails with "database is
    /// locked" when another writer committed in between, busy timeout or not.
    pub async fn begin_write(&self) -> DbResult<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    pub async fn close(&self) {
        on_db!(self, p => p.close().await)
    }
}

impl Tx {
    /// A table `j` with one text column `value`: the elements of a JSON array bound as `param`,
    /// to join with any number of values through one parameter.
    pub fn json_table(&self, param: &str) -> String {
        match self {
            Tx::Sqlite(_) => format!("json_each({param}) AS j"),
            Tx::Postgres(_) => format!("json_array_elements_text({param}::json) AS j(value)"),
        }
    }

    /// Ends the transaction without writing; dropping a `Tx` does the same, later.
    pub async fn rollback(self) -> DbResult<()> {
        match self {
            Tx::Sqlite(t) => t.rollback().await?,
            Tx::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }

    pub async fn commit(self) -> DbResult<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}
