//! The database: one [`Db`] handle over SQLite (the default, embedded) or PostgreSQL (for several
//! app instances). Queries are written once where the SQL is portable (`$1` placeholders work on
//! both) and run through [`on_db!`]/[`on_tx!`], which expand the same code for each engine.

pub mod attendance;
pub mod audit;
pub mod ballot;
pub mod bases;
pub mod check;
pub mod collation;
pub mod committees;
pub mod corrections;
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
pub mod trust;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static PG_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The one database handle, cloned cheaply into the application state: the pool of either
/// engine, and the key the audit log's new rows are authenticated with (kept outside the
/// database, in the server's key file; see [`audit::AuditKeys`]).
#[derive(Clone, Debug)]
pub struct Db {
    pool: Pool,
    chain: Option<std::sync::Arc<dyn audit::AuditKeys>>,
}

/// The connection pool of either engine.
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A transaction on either engine, carrying the audit key of the handle it began on.
pub struct Tx {
    pub conn: TxConn,
    pub(crate) chain: Option<std::sync::Arc<dyn audit::AuditKeys>>,
}

pub enum TxConn {
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
    /// The handle has no audit key: nothing that must be audited can be written.
    #[error("no server key: audit rows cannot be written without it")]
    NoAuditKey,
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
        match $db.pool() {
            $crate::db::Pool::Sqlite($c) => $body,
            $crate::db::Pool::Postgres($c) => $body,
        }
    };
}

/// Runs `$body` with `$c` bound to the transaction's connection.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match &mut $tx.conn {
            $crate::db::TxConn::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::db::TxConn::Postgres(t) => {
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

/// The file a `sqlite:` URL names (None for PostgreSQL and in-memory databases).
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let path = url.strip_prefix("sqlite:")?.trim_start_matches("//");
    let (path, options) = path.split_once('?').unwrap_or((path, ""));
    if path.is_empty() || path == ":memory:" || options.contains("mode=memory") {
        return None;
    }
    Some(std::path::PathBuf::from(path))
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
                .busy_timeout(Duration::from_secs(5))
                // Deleted content is overwritten with zeros, so a meeting's erased ballot
                // secret leaves nothing in free pages (db::ballot::scrub_secrets).
                .pragma("secure_delete", "on");
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(opts)
                .await?;
            Ok(Db::new(Pool::Sqlite(pool)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(10)
                .connect(url)
                .await?;
            Ok(Db::new(Pool::Postgres(pool)))
        } else {
            Err(DbError::UnsupportedUrl)
        }
    }

    fn new(pool: Pool) -> Db {
        Db { pool, chain: None }
    }

    /// The same pool, authenticating the audit rows it writes with `key`.
    pub fn with_chain_key(mut self, key: std::sync::Arc<dyn audit::AuditKeys>) -> Db {
        self.chain = Some(key);
        self
    }

    /// The audit keys, if the handle has them.
    pub fn audit_keys(&self) -> Option<&std::sync::Arc<dyn audit::AuditKeys>> {
        self.chain.as_ref()
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Another handle on the same database through a pool of its own (several instances).
    pub fn with_pool(&self, pool: Pool) -> Db {
        Db {
            pool,
            chain: self.chain.clone(),
        }
    }

    pub async fn migrate(&self) -> DbResult<()> {
        match self.pool() {
            Pool::Sqlite(p) => SQLITE_MIGRATOR.run(p).await?,
            Pool::Postgres(p) => PG_MIGRATOR.run(p).await?,
        }
        // Values the program derives from stored ones (the names' sort keys) follow the schema.
        collation::refresh(self).await?;
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
        let migrator = match self.pool() {
            Pool::Sqlite(_) => &SQLITE_MIGRATOR,
            Pool::Postgres(_) => &PG_MIGRATOR,
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
        match self.pool() {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// Begins a transaction that only reads: on SQLite a deferred `BEGIN`, which takes no
    /// write lock (in WAL mode readers and the writer do not wait on each other).
    pub async fn begin_read(&self) -> DbResult<Tx> {
        let conn = match self.pool() {
            Pool::Sqlite(p) => TxConn::Sqlite(p.begin().await?),
            Pool::Postgres(p) => TxConn::Postgres(p.begin().await?),
        };
        Ok(self.tx(conn))
    }

    fn tx(&self, conn: TxConn) -> Tx {
        Tx {
            conn,
            chain: self.chain.clone(),
        }
    }

    /// Begins a writing transaction. On SQLite this is `BEGIN IMMEDIATE`, which takes the write
    /// lock up front: a deferred transaction that reads and then writes fails with "database is
    /// locked" when another writer committed in between, busy timeout or not.
    pub async fn begin_write(&self) -> DbResult<Tx> {
        let conn = match self.pool() {
            Pool::Sqlite(p) => TxConn::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => TxConn::Postgres(p.begin().await?),
        };
        Ok(self.tx(conn))
    }

    pub async fn close(&self) {
        on_db!(self, p => p.close().await)
    }
}

impl Tx {
    /// The audit keys of the handle the transaction began on.
    pub fn audit_keys(&self) -> Option<&std::sync::Arc<dyn audit::AuditKeys>> {
        self.chain.as_ref()
    }

    /// A table `j` with one text column `value`: the elements of a JSON array bound as `param`,
    /// to join with any number of values through one parameter.
    pub fn json_table(&self, param: &str) -> String {
        match self.conn {
            TxConn::Sqlite(_) => format!("json_each({param}) AS j"),
            TxConn::Postgres(_) => format!("json_array_elements_text({param}::json) AS j(value)"),
        }
    }

    /// Ends the transaction without writing; dropping a `Tx` does the same, later.
    pub async fn rollback(self) -> DbResult<()> {
        match self.conn {
            TxConn::Sqlite(t) => t.rollback().await?,
            TxConn::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }

    pub async fn commit(self) -> DbResult<()> {
        match self.conn {
            TxConn::Sqlite(t) => t.commit().await?,
            TxConn::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}
