//! The database of DREAM: one [`Store`] over SQLite (the embedded default) or PostgreSQL,
//! chosen by the URL, with the same queries and the same behaviour on both.
//!
//! Each table family has its module: `territories` (the KATOTTG codifier), `organisations`,
//! `objects`, `projects`, `revisions`, `search`, and `jobs` (the queue of background work).
//! Every write to a project, object or organisation runs in one transaction with the
//! revision that records it, so a failed write leaves nothing behind.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use dream_domain::FieldErrors;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::SqliteSynchronous;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

pub mod accounts;
mod bulk;
pub mod calls;
pub mod comments;
pub mod jobs;
pub mod objects;
pub mod organisations;
pub mod projects;
pub mod register_data;
pub mod registers;
pub mod revisions;
mod search;
pub mod territories;
#[cfg(feature = "testing")]
pub mod testing;
pub mod timestamp;
pub mod totals;
mod version;

/// Runs `$body` with `$pool` bound to whichever pool the store holds. The body is compiled
/// once per backend, so it may use any query that both SQLite and PostgreSQL accept.
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` inside a write transaction of `$store` bound to `$tx`, with `$backend`
/// naming the database for the few statements that differ. SQLite takes its write lock at
/// `BEGIN` so that two writers wait for each other instead of failing halfway. A commit is
/// noted on the store's clock, so that this process reads its own writes.
macro_rules! in_write_tx {
    ($store:expr, $tx:ident, $backend:ident => $body:expr) => {{
        let store: &$crate::Store = $store;
        let result = match store.db() {
            $crate::Db::Sqlite(pool) => {
                #[allow(unused_variables)]
                let $backend = $crate::Backend::Sqlite;
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let result = $body;
                match result {
                    Ok(value) => $tx.commit().await.map(|()| value).map_err(Into::into),
                    Err(error) => Err(error),
                }
            }
            $crate::Db::Postgres(pool) => {
                #[allow(unused_variables)]
                let $backend = $crate::Backend::Postgres;
                let mut $tx = pool.begin().await?;
                let result = $body;
                match result {
                    Ok(value) => $tx.commit().await.map(|()| value).map_err(Into::into),
                    Err(error) => Err(error),
                }
            }
        };
        // Even a failed commit may have landed.
        store.clock.wrote();
        result
    }};
}

pub(crate) use {in_write_tx, on_pool};

/// The two databases the store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection pool to one of the two databases.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// What can go wrong in the store, each case mapping to one kind of answer for a client.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{entity} {id} does not exist")]
    NotFound { entity: &'static str, id: String },
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    #[error("{0}")]
    Conflict(String),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl From<FieldErrors> for StoreError {
    fn from(errors: FieldErrors) -> Self {
        StoreError::Invalid(errors)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The whole database of one DREAM installation.
#[derive(Debug, Clone)]
pub struct Store {
    db: Db,
    /// What this process knows of the registry version (see `version.rs`).
    clock: Arc<version::Clock>,
    /// On PostgreSQL, the pool of the one connection that listens for new versions, opened
    /// by [`Store::follow_registry`].
    listening: Option<PgPool>,
}

impl Store {
    /// Connects to `url`: `sqlite://path/to/file.db` (created when missing) or
    /// `postgres://user@host/database`.
    pub async fn connect(url: &str) -> Result<Self> {
        let (db, listening, clock) = if url.starts_with("postgres://")
            || url.starts_with("postgresql://")
        {
            // The list queries are long but their plans do not depend on the values bound,
            // so a plan made once per connection serves every later call; replanning each
            // call cost more than running it.
            let options = PgConnectOptions::from_str(url)?
                .options([("plan_cache_mode", "force_generic_plan")]);
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options.clone())
                .await?;
            // Its one connection stays open for as long as it listens.
            let listening = PgPoolOptions::new()
                .max_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .acquire_timeout(Duration::from_secs(10))
                .connect_lazy_with(options);
            (
                Db::Postgres(pool),
                Some(listening),
                version::Clock::default(),
            )
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .pragma("cache_size", "-32000");
            // The database is a local file, so checking each connection before handing it
            // out (a round trip to its worker thread) buys nothing and costs every query.
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .test_before_acquire(false)
                .min_connections(1)
                .connect_with(options.clone())
                .await?;
            (
                Db::Sqlite(pool),
                None,
                version::Clock::for_sqlite(options.get_filename()),
            )
        } else {
            return Err(StoreError::Database(sqlx::Error::Configuration(
                format!("DATABASE_URL must start with sqlite: or postgres://, got {url:?}").into(),
            )));
        };
        Ok(Self {
            db,
            clock: Arc::new(clock),
            listening,
        })
    }

    /// Keeps this process's knowledge of the registry version current from the database's
    /// notifications instead of asking on every request (PostgreSQL; SQLite reads it
    /// directly anyway). For a process that serves the registry from this database, not for
    /// a replica, which is not notified and whose version trails the primary's.
    pub fn follow_registry(&self) {
        if let (Db::Postgres(pool), Some(listening)) = (&self.db, &self.listening) {
            tokio::spawn(version::listen(
                Arc::downgrade(&self.clock),
                pool.clone(),
                listening.clone(),
            ));
        }
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    /// Brings the schema up to date and loads the territories when they are missing.
    pub async fn migrate(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        territories::load_codifier(self).await?;
        self.reindex_projects().await?;
        self.fold_tallies().await?;
        Ok(())
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<()> {
        on_pool!(&self.db, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Refreshes the planner's statistics; worth it after a bulk load, so that queries pick
    /// the right index from the first request. On PostgreSQL this is `VACUUM ANALYZE`: the
    /// vacuum marks the new pages all-visible, which lets counts answer from an index alone.
    pub async fn analyze(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query("ANALYZE").execute(pool).await?;
            }
            Db::Postgres(pool) => {
                sqlx::query("VACUUM ANALYZE").execute(pool).await?;
            }
        }
        Ok(())
    }

    pub async fn close(&self) {
        if let Some(listening) = &self.listening {
            listening.close().await;
        }
        on_pool!(&self.db, pool => pool.close().await);
    }
}

/// The current time, cut to microseconds: the precision both databases keep, so a time
/// read back equals the time written.
pub fn now() -> time::OffsetDateTime {
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(now.nanosecond() / 1000 * 1000)
        .unwrap_or(now)
}
