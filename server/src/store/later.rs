//! Repository traits for the parts that come in later issues (import sessions, image builds).
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

/// An image build.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BuildRecord {
    /// Server-assigned id.
    pub id: String,
    /// The owner.
    pub owner_id: String,
    /// Repository, branch, context, image, tag, registry as JSON.
    pub request: serde_json::Value,
    /// `pending`, `cloning`, `building`, `pushing`, `completed`, `failed`, `cancelled`.
    pub state: String,
    /// The pushed image reference once completed.
    pub image_ref: Option<String>,
    /// A user-facing error once failed.
    pub error: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// End time, once finished.
    pub finished_at: Option<DateTime<Utc>>,
}

/// Image builds and their logs.
#[async_trait]
pub trait BuildStore: Send + Sync {
    /// Stores a new build.
    async fn insert_build(&self, build: &BuildRecord) -> StoreResult<()>;
    /// Replaces a build; false when not found.
    async fn update_build(&self, build: &BuildRecord) -> StoreResult<bool>;
    /// The owner's build.
    async fn build(&self, owner_id: &str, id: &str) -> StoreResult<Option<BuildRecord>>;
    /// The owner's builds, newest first, at most `limit`.
    async fn builds(&self, owner_id: &str, limit: u32) -> StoreResult<Vec<BuildRecord>>;
    /// Appends log lines to a build.
    async fn append_build_log(&self, build_id: &str, lines: &[String]) -> StoreResult<()>;
    /// The build's log lines from `from` on.
    async fn build_log(&self, build_id: &str, from: u64) -> StoreResult<Vec<String>>;
}
