//! The database: embedded SQLite by default, PostgreSQL for a `postgres://`
//! URL, both through sqlx's `Any` driver so one set of queries serves both.

mod migrations;

use std::path::Path;
use std::sync::Once;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyConnection;
use sqlx::{AnyPool, Executor};

/// How long SQLite waits for a lock held by another connection before
/// reporting "database is locked".
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

/// The database server behind the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A failure to open the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite: or postgres://, got '{0}'")]
    UnsupportedUrl(String),
    #[error("could not create the database directory {path}: {source}")]
    Directory { path: String, source: std::io::Error },
    #[error("could not connect to the database: {0}")]
    Connect(sqlx::Error),
    #[error("could not apply migration {version} ({name}): {source}")]
    Migration { version: i64, name: &'static str, source: sqlx::Error },
    #[error("database query failed: {0}")]
    Query(#[from] sqlx::Error),
}

/// A connection pool with migrations applied.
#[derive(Clone, Debug)]
pub struct Database {
    pool: AnyPool,
    backend: Backend,
}

impl Database {
    /// Opens the database at `url`, creating a SQLite file and its directory
    /// if needed, and applies pending migrations.
    pub async fn connect(url: &str) -> Result<Database, DbError> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);

        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(DbError::UnsupportedUrl(url.to_owned()));
        };

        let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        let pool = match backend {
            Backend::Sqlite => {
                let url = prepare_sqlite(url)?;
                options
                    .max_connections(8)
                    .after_connect(|connection, _| Box::pin(configure_sqlite(connection)))
                    .connect(&url)
                    .await
            }
            Backend::Postgres => options.max_connections(10).connect(url).await,
        }
        .map_err(DbError::Connect)?;

        let database = Database { pool, backend };
        migrations::apply(&database.pool).await?;
        Ok(database)
    }

    /// Returns the pool, for queries.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Returns the kind of server behind the pool.
    pub fn backend(&self) -> Backend {
        self.backend
    }
}

/// Creates the directory of a SQLite file and adds `mode=rwc` so sqlx creates the file.
fn prepare_sqlite(url: &str) -> Result<String, DbError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:"
        && !path.is_empty()
        && let Some(parent) = Path::new(path).parent().filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(|source| DbError::Directory { path: parent.display().to_string(), source })?;
    }
    Ok(if query.contains("mode=") { url.to_owned() } else if query.is_empty() {
        format!("{url}?mode=rwc")
    } else {
        format!("{url}&mode=rwc")
    })
}

/// WAL lets readers work while one connection writes; the busy timeout makes
/// concurrent writers wait their turn instead of failing.
async fn configure_sqlite(connection: &mut AnyConnection) -> Result<(), sqlx::Error> {
    connection.execute("PRAGMA journal_mode = WAL").await?;
    connection.execute("PRAGMA synchronous = NORMAL").await?;
    connection.execute("PRAGMA foreign_keys = ON").await?;
    let timeout = format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}");
    connection.execute(sqlx::AssertSqlSafe(timeout)).await?;
    Ok(())
}
