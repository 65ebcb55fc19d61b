//! The embedded store: SQLite (compiled in) in one file in the data directory, WAL mode.
//!
//! All writes go through one connection (SQLite allows one writer at a time anyway) inside
//! `BEGIN IMMEDIATE` transactions where a call touches more than one row; reads use a small pool
//! of connections, which WAL lets run beside the writer. Calls run on Tokio's blocking pool.
//! Graphs and version contents are JSON columns; timestamps are Unix milliseconds.

mod builds;
mod clusters;
mod documents;
mod identities;
mod schema;
mod users;
mod versions;
mod workflows;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::Connection;

use super::{Store, StoreError, StoreResult};

/// How many idle read connections are kept.
const MAX_IDLE_READERS: usize = 8;

/// The SQLite store (cheap to clone).
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> StoreResult<Self> {
        let path = path.to_path_buf();
        tokio::task::spawn_blocking(move || {
            let mut writer = connect(&path)?;
            // Password hashes live here: readable by the server's user only.
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                .map_err(StoreError::backend)?;
            schema::migrate(&mut writer)?;
            Ok(SqliteStore {
                inner: Arc::new(Inner {
                    path,
                    writer: Mutex::new(writer),
                    readers: Mutex::new(Vec::new()),
                }),
            })
        })
        .await
        .map_err(StoreError::backend)?
    }

    /// Runs `f` with the writer connection on the blocking pool.
    async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = inner
                .writer
                .lock()
                .map_err(|_| StoreError::Corrupt("the writer connection was poisoned".into()))?;
            f(&mut conn)
        })
        .await
        .map_err(StoreError::backend)?
    }

    /// Runs `f` with a pooled read connection on the blocking pool.
    async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = inner.readers.lock().ok().and_then(|mut idle| idle.pop());
            let conn = match pooled {
                Some(conn) => conn,
                None => connect(&inner.path)?,
            };
            let result = f(&conn);
            if let Ok(mut idle) = inner.readers.lock() {
                if idle.len() < MAX_IDLE_READERS {
                    idle.push(conn);
                }
            }
            result
        })
        .await
        .map_err(StoreError::backend)?
    }
}

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }
}

fn connect(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open(path).map_err(StoreError::backend)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(StoreError::backend)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
    )
    .map_err(StoreError::backend)?;
    Ok(conn)
}

/// Milliseconds since the epoch, as stored.
fn millis(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

/// A stored millisecond timestamp as a time.
fn from_millis(ms: i64) -> StoreResult<DateTime<Utc>> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .ok_or_else(|| StoreError::Corrupt(format!("timestamp {ms} is out of range")))
}

/// Maps a driver error, turning a failed conversion inside a row into [`StoreError::Corrupt`].
fn db(error: rusqlite::Error) -> StoreError {
    StoreError::backend(error)
}
