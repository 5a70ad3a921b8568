//! The registry version, as cheaply as it can be known exactly. Every write to projects,
//! objects or organisations moves one number on in its own transaction, and the public pages
//! and totals a process keeps are kept per version, so every request asks for it: through a
//! pooled connection that is a round trip to another thread (SQLite) or to the server
//! (PostgreSQL), most of the cost of serving a kept page.
//!
//! On SQLite the number is read on the asking thread through a connection of its own, a few
//! microseconds, and still sees a write made by any process on the file.
//!
//! On PostgreSQL, a process that follows the registry (`Store::follow_registry`) listens on a
//! channel the database notifies at every commit that moves the number on, and answers from
//! memory; a write committed by this process is read back at the next ask, so a writer always
//! sees its own write, and a write of another process is known when its notification arrives,
//! a fraction of a millisecond after the commit on one network. One ask a second reads the
//! database all the same, which bounds what a lost notification can cost. While the
//! listening connection is down, and in a process that does not follow, every ask reads the
//! database.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

use sqlx::postgres::{PgListener, PgPool};

/// The channel PostgreSQL notifies with each new version (see the migration
/// `0015_registry_version_notify.sql`).
pub(crate) const CHANNEL: &str = "dream_registry_version";

pub(crate) const READ_VERSION: &str = "SELECT version FROM registry_version WHERE id = 1";

/// What this process knows of the registry version.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    /// The latest version heard of.
    known: AtomicI64,
    /// Whether notifications are arriving, so that `known` is current.
    listening: AtomicBool,
    /// How many write transactions this process has committed.
    writes: AtomicU64,
    /// `writes` as it stood when the last read of the database began: while it lags behind,
    /// this process wrote something `known` may not yet hold.
    read_after: AtomicU64,
    /// When the database was last read, in milliseconds of [`monotonic_ms`].
    read_at: AtomicU64,
    /// SQLite's own connection for reading the version on the asking thread.
    sqlite: Option<SqliteReader>,
}

impl Clock {
    /// A clock reading the SQLite file at `path` directly, when it is a file (an in-memory
    /// database is only reachable through the pool).
    pub(crate) fn for_sqlite(path: &Path) -> Clock {
        Clock {
            sqlite: path.is_file().then(|| SqliteReader {
                path: path.to_owned(),
                connection: Mutex::new(None),
            }),
            ..Clock::default()
        }
    }

    /// Notes that this process committed a write transaction.
    pub(crate) fn wrote(&self) {
        self.writes.fetch_add(1, Ordering::AcqRel);
    }

    /// The version when it can be known without the pool: read directly on SQLite, or
    /// remembered on PostgreSQL while listening and nothing was written here since the last
    /// read. `None` means the caller reads it through the pool and hands it to
    /// [`Clock::read`].
    pub(crate) fn current(&self) -> Option<i64> {
        if let Some(reader) = &self.sqlite {
            return reader.read();
        }
        let writes = self.writes.load(Ordering::Acquire);
        if !self.listening.load(Ordering::Acquire)
            || self.read_after.load(Ordering::Acquire) != writes
        {
            return None;
        }
        // However sure the notifications seem, one asker a second reads the database, so a
        // notification lost on the way delays another process's write by a second at most.
        let now = monotonic_ms();
        let read_at = self.read_at.load(Ordering::Acquire);
        if now.saturating_sub(read_at) >= RECHECK_MS
            && self
                .read_at
                .compare_exchange(read_at, now, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        {
            return None;
        }
        Some(self.known.load(Ordering::Acquire))
    }

    /// The count of writes to pass to [`Clock::read`], taken before a read of the database
    /// begins.
    pub(crate) fn before_read(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }

    /// Records `version`, read from the database after `writes` writes of this process, and
    /// gives the latest version known.
    pub(crate) fn read(&self, version: i64, writes: u64) -> i64 {
        let known = self.heard(version);
        self.read_after.fetch_max(writes, Ordering::AcqRel);
        self.read_at.fetch_max(monotonic_ms(), Ordering::AcqRel);
        known
    }

    /// Records a version heard of, and gives the latest known. Versions only grow; a
    /// database restored to an older one needs its processes restarted.
    fn heard(&self, version: i64) -> i64 {
        self.known.fetch_max(version, Ordering::AcqRel).max(version)
    }
}

/// How long a listening process answers from memory before it reads the database again.
const RECHECK_MS: u64 = 1_000;

/// Milliseconds since this process first asked, on a clock that never goes back.
fn monotonic_ms() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    u64::try_from(START.get_or_init(Instant::now).elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// A connection to the SQLite file used only to read the version, opened when first needed
/// and again after an error.
#[derive(Debug)]
struct SqliteReader {
    path: PathBuf,
    connection: Mutex<Option<rusqlite::Connection>>,
}

impl SqliteReader {
    /// The version, or `None` when the file cannot be read this way (the table not yet made,
    /// say), for the pool to try.
    fn read(&self) -> Option<i64> {
        let mut connection = self.connection.lock().unwrap_or_else(|e| e.into_inner());
        if connection.is_none() {
            *connection = self.open().ok();
        }
        let read = connection
            .as_ref()?
            .prepare_cached(READ_VERSION)
            .and_then(|mut statement| statement.query_row([], |row| row.get(0)));
        match read {
            Ok(version) => Some(version),
            Err(error) => {
                tracing::debug!(%error, "reading the registry version directly failed");
                *connection = None;
                None
            }
        }
    }

    fn open(&self) -> rusqlite::Result<rusqlite::Connection> {
        use rusqlite::OpenFlags;
        let connection = rusqlite::Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // A reader waits only while a checkpoint resets the log, which is brief.
        connection.busy_timeout(Duration::from_secs(1))?;
        Ok(connection)
    }
}

/// Keeps `clock` current from the notifications for as long as a store holds it and
/// `listening` (the pool of the one listening connection) is open; after a lost connection,
/// listens again and reads the version once, so that no version is missed. `pool` is where
/// the version is read.
pub(crate) async fn listen(clock: Weak<Clock>, pool: PgPool, listening: PgPool) {
    let mut pause = Duration::from_millis(100);
    loop {
        let error = match subscribe(&clock, &pool, &listening).await {
            Ok(mut listener) => {
                pause = Duration::from_millis(100);
                loop {
                    let received = listener.try_recv().await;
                    let Some(clock) = clock.upgrade() else { return };
                    match received {
                        Ok(Some(notification)) => match notification.payload().parse() {
                            Ok(version) => {
                                clock.heard(version);
                            }
                            Err(_) => tracing::warn!(
                                payload = notification.payload(),
                                "a registry version notification did not hold a number"
                            ),
                        },
                        Ok(None) => break None,
                        Err(error) => break Some(error),
                    }
                }
            }
            Err(error) => Some(error),
        };
        let Some(clock) = clock.upgrade() else { return };
        clock.listening.store(false, Ordering::Release);
        if matches!(error, Some(sqlx::Error::PoolClosed)) {
            return;
        }
        tracing::warn!(
            error = error.map(|e| e.to_string()),
            "not listening for registry changes; the version is read from the database on \
             every request until listening again"
        );
        drop(clock);
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(10));
    }
}

/// Starts listening, then reads the version, so that a change committed in between is
/// either read or heard.
async fn subscribe(
    clock: &Weak<Clock>,
    pool: &PgPool,
    listening: &PgPool,
) -> sqlx::Result<PgListener> {
    let mut listener = PgListener::connect_with(listening).await?;
    listener.eager_reconnect(false);
    listener.listen(CHANNEL).await?;
    let version: i64 = sqlx::query_scalar(READ_VERSION).fetch_one(pool).await?;
    if let Some(clock) = clock.upgrade() {
        clock.heard(version);
        clock.listening.store(true, Ordering::Release);
        tracing::info!(version, "listening for registry changes");
    }
    Ok(listener)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_is_read_directly_and_sees_another_connections_commit() {
        let path = std::env::temp_dir().join(format!(
            "dream-version-{}-{}.db",
            std::process::id(),
            time::OffsetDateTime::now_utc().unix_timestamp_nanos()
        ));
        let writer = rusqlite::Connection::open(&path).unwrap();
        writer
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 CREATE TABLE registry_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL);
                 INSERT INTO registry_version VALUES (1, 7);",
            )
            .unwrap();
        let clock = Clock::for_sqlite(&path);
        assert_eq!(clock.current(), Some(7));
        writer
            .execute("UPDATE registry_version SET version = version + 1", [])
            .unwrap();
        assert_eq!(clock.current(), Some(8));
        drop(writer);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    #[test]
    fn an_in_memory_database_is_left_to_the_pool() {
        let clock = Clock::for_sqlite(Path::new("file:sqlx-in-memory-1"));
        assert_eq!(clock.current(), None);
    }

    #[test]
    fn without_listening_or_after_a_write_here_the_database_is_asked() {
        let clock = Clock::default();
        assert_eq!(clock.current(), None, "not listening");
        clock.listening.store(true, Ordering::Release);
        let writes = clock.before_read();
        assert_eq!(clock.read(5, writes), 5);
        assert_eq!(clock.current(), Some(5));
        clock.wrote();
        assert_eq!(
            clock.current(),
            None,
            "a write of this process not yet read back"
        );
        let writes = clock.before_read();
        assert_eq!(clock.read(6, writes), 6);
        assert_eq!(clock.current(), Some(6));
        clock.heard(9);
        assert_eq!(clock.current(), Some(9));
        assert_eq!(clock.read(8, writes), 9, "a version never goes back");
    }

    #[test]
    fn a_listening_process_still_reads_the_database_once_a_second() {
        let clock = Clock::default();
        clock.listening.store(true, Ordering::Release);
        assert_eq!(clock.read(5, clock.before_read()), 5);
        assert_eq!(clock.current(), Some(5), "just read");
        // As if the last read were longer ago than the recheck allows.
        let young = RECHECK_MS.saturating_sub(monotonic_ms());
        std::thread::sleep(Duration::from_millis(young));
        clock.read_at.store(0, Ordering::Release);
        assert_eq!(clock.current(), None, "one asker reads the database");
        assert_eq!(
            clock.current(),
            Some(5),
            "the others answer from memory meanwhile"
        );
    }
}
