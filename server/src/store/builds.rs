//! Container registries and image builds with their event logs, always scoped by owner.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use app::model::build::{Build, BuildState, Registry, RegistryCheck};

use super::StoreResult;

/// A user's registry. `password` is ciphertext (AES-256-GCM with the server's encryption key,
/// like cluster credentials; see `crate::build::registry`) or empty, and never leaves the server.
#[derive(Clone, PartialEq, Eq)]
pub struct RegistryRecord {
    /// Server-assigned id.
    pub id: String,
    /// The owner.
    pub owner_id: String,
    /// Display name, unique per owner.
    pub name: String,
    /// Normalised URL (`https://host[:port]` or `http://…`).
    pub url: String,
    /// User name, if any.
    pub username: Option<String>,
    /// Encrypted password or token; empty when none.
    pub password: Vec<u8>,
    /// When it was made the default (the latest one is the default).
    pub default_at: Option<DateTime<Utc>>,
    /// The last connection test.
    pub check: RegistryCheck,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl RegistryRecord {
    /// What the API shows: everything but the password.
    pub fn public(&self, is_default: bool) -> Registry {
        Registry {
            id: self.id.clone(),
            name: self.name.clone(),
            url: self.url.clone(),
            username: self.username.clone(),
            has_password: !self.password.is_empty(),
            is_default,
            check: self.check.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

impl std::fmt::Debug for RegistryRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryRecord")
            .field("id", &self.id)
            .field("owner_id", &self.owner_id)
            .field("name", &self.name)
            .field("url", &self.url)
            .field("password", &"<encrypted>")
            .finish_non_exhaustive()
    }
}

/// Registries.
#[async_trait]
pub trait RegistryStore: Send + Sync {
    /// Stores a new registry; a name the owner already uses is [`super::StoreError::NameTaken`].
    async fn insert_registry(&self, registry: &RegistryRecord) -> StoreResult<()>;
    /// The owner's registry.
    async fn registry(&self, owner_id: &str, id: &str) -> StoreResult<Option<RegistryRecord>>;
    /// The owner's registries, by name.
    async fn list_registries(&self, owner_id: &str) -> StoreResult<Vec<RegistryRecord>>;
    /// Replaces the owner's registry (matched by id and owner); false when not found.
    async fn update_registry(&self, registry: &RegistryRecord) -> StoreResult<bool>;
    /// Deletes a registry; false when not found.
    async fn delete_registry(&self, owner_id: &str, id: &str) -> StoreResult<bool>;
}

/// The registry of `records` that is the default: the one made default last.
pub fn default_registry(records: &[RegistryRecord]) -> Option<&RegistryRecord> {
    records
        .iter()
        .filter(|r| r.default_at.is_some())
        .max_by_key(|r| (r.default_at, r.id.clone()))
}

/// A build and its owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildRecord {
    /// The owner (for scoping).
    pub owner_id: String,
    /// The build.
    pub build: Build,
}

/// One event of a build's stream, as persisted: `seq` is its SSE id (1, 2, 3, … per build).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildEventRecord {
    /// Position in the build's stream, from 1.
    pub seq: u64,
    /// `progress`, `log`, `complete` or `failed`.
    pub event: String,
    /// The JSON data.
    pub data: String,
}

/// Image builds and their event logs.
#[async_trait]
pub trait BuildStore: Send + Sync {
    /// Stores a new build.
    async fn insert_build(&self, build: &BuildRecord) -> StoreResult<()>;
    /// Replaces a build (matched by id and owner); false when not found.
    async fn update_build(&self, build: &BuildRecord) -> StoreResult<bool>;
    /// The owner's build.
    async fn build(&self, owner_id: &str, id: &str) -> StoreResult<Option<Build>>;
    /// The owner's builds, newest first, at most `limit`.
    async fn builds(&self, owner_id: &str, limit: u32) -> StoreResult<Vec<Build>>;
    /// Appends events to a build's log (their `seq` are new for this build).
    async fn append_build_events(
        &self,
        build_id: &str,
        events: &[BuildEventRecord],
    ) -> StoreResult<()>;
    /// The build's events with `seq` above `after`, in order.
    async fn build_events(&self, build_id: &str, after: u64) -> StoreResult<Vec<BuildEventRecord>>;
    /// Marks every unfinished build as failed with `message` (a restarted server cannot finish
    /// them); returns how many.
    async fn interrupt_unfinished_builds(
        &self,
        now: DateTime<Utc>,
        message: &str,
    ) -> StoreResult<u64>;
}

/// What an interrupted build becomes.
pub fn interrupted(mut build: Build, now: DateTime<Utc>, message: &str) -> Build {
    build.error_stage = Some(build.state);
    build.state = BuildState::Failed;
    build.error = Some(message.to_string());
    build.finished_at = Some(now);
    for stage in build.stages.iter_mut() {
        stage.finished_at.get_or_insert(now);
    }
    build
}
