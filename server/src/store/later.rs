//! Repository traits for the parts that come in later issues (import sessions).
//! They are defined now so every part of the server is written against the same shape of store; each is implemented for both backends by the issue that needs it and
//! joins [`super::Store`] then. Every lookup is scoped by owner (another user's record is `None`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::StoreResult;

/// A compose / Git import in progress or done.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportSessionRecord {
    /// Server-assigned id.
    pub id: String,
    /// The owner.
    pub owner_id: String,
    /// `upload`, `url` or `git`.
    pub source: String,
    /// `pending`, `cloning`, `analyzing`, `completed`, `failed`.
    pub state: String,
    /// The analysis result once completed (nodes, edges, warnings) as JSON.
    pub result: Option<serde_json::Value>,
    /// A user-facing error once failed.
    pub error: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Sessions may be deleted after this.
    pub expires_at: DateTime<Utc>,
}

/// Import sessions.
#[async_trait]
pub trait ImportSessionStore: Send + Sync {
    /// Stores a new session.
    async fn insert_import(&self, session: &ImportSessionRecord) -> StoreResult<()>;
    /// Replaces a session; false when not found.
    async fn update_import(&self, session: &ImportSessionRecord) -> StoreResult<bool>;
    /// The owner's session.
    async fn import(&self, owner_id: &str, id: &str) -> StoreResult<Option<ImportSessionRecord>>;
    /// Deletes sessions that expired before `now`; returns how many.
    async fn purge_imports(&self, now: DateTime<Utc>) -> StoreResult<u64>;
}
