//! Persistence behind repository traits.
//!
//! Services talk to a [`Store`] (an `Arc<dyn Store>`), never to a database: the handlers do not
//! know which backend is behind them. Two implementations keep the same semantics, checked by one
//! contract suite (`server/tests/store_contract.rs`):
//! - [`mongo::MongoStore`]: the official `mongodb` driver, chosen when `MONGODB_URI` is set;
//!   indexes are created at start-up and no operation needs a multi-document transaction, so a
//!   standalone `mongod` works.
//! - [`sqlite::SqliteStore`]: SQLite (bundled) in the data directory, WAL mode; the default, so
//!   `make run` needs nothing installed.
//!
//! Every workflow operation is scoped by owner: a workflow of another user is simply not found.
//! Archived (deleted) workflows are invisible through these traits; their rows are kept.
//! Timestamps are stored with millisecond precision (see [`records::now`]).

pub mod builds;
pub mod clusters;
pub mod error;
pub mod identity;
pub mod later;
pub mod mongo;
pub mod records;
pub mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;

use app::model::{Version, VersionInfo, Workflow, WorkflowSummary};

pub use builds::{BuildEventRecord, BuildRecord, BuildStore, RegistryRecord, RegistryStore};
pub use clusters::{ClusterRecord, ClusterStore, RunRecord, RunStore};
pub use error::StoreError;
pub use identity::{IdentityRecord, SsoCodeRecord, SsoStateRecord, Unlink};
pub use records::{
    GraphSave, InviteRecord, NewUser, Revocation, SavedGraph, SignupGate, UserRecord,
    VersionAnnotation, VersionDraft, VersionListing, VersionMeta, WorkflowPatch,
};

/// The result type of every store call.
pub type StoreResult<T> = Result<T, StoreError>;

/// Accounts and invitations.
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Creates a user. The very first user becomes [`app::model::Role::Admin`] atomically
    /// (whatever `gate` says); later users pass `gate` or get [`StoreError::SignupClosed`] /
    /// [`StoreError::InviteInvalid`]. A taken email is [`StoreError::EmailTaken`].
    async fn create_user(&self, user: NewUser, gate: SignupGate) -> StoreResult<UserRecord>;
    /// The user with this id.
    async fn user_by_id(&self, id: &str) -> StoreResult<Option<UserRecord>>;
    /// The user with this (already normalised) email.
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>>;
    /// Replaces the password hash and increments `token_generation`, which revokes every session
    /// issued before. `None` when the user does not exist.
    async fn set_password(
        &self,
        id: &str,
        password_hash: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Option<UserRecord>>;
    /// Stores a single-use invitation (only its hash).
    async fn create_invite(&self, invite: InviteRecord) -> StoreResult<()>;
}

/// Identities at external providers (single sign-on) linked to users.
#[async_trait]
pub trait IdentityStore: Send + Sync {
    /// The identity `(provider, subject)`, whoever it belongs to.
    async fn identity(&self, provider: &str, subject: &str) -> StoreResult<Option<IdentityRecord>>;
    /// The user's identities, oldest first.
    async fn identities(&self, user_id: &str) -> StoreResult<Vec<IdentityRecord>>;
    /// Links an identity to an existing user; [`StoreError::IdentityTaken`] when
    /// `(provider, subject)` is already linked (to anyone).
    async fn link_identity(&self, identity: IdentityRecord) -> StoreResult<()>;
    /// Creates a user (as [`UserStore::create_user`], same `gate` rules) together with its first
    /// identity (`identity.user_id` is `user.id`): both or neither.
    /// [`StoreError::IdentityTaken`] or [`StoreError::EmailTaken`] when either exists.
    async fn create_user_with_identity(
        &self,
        user: NewUser,
        identity: IdentityRecord,
        gate: SignupGate,
    ) -> StoreResult<UserRecord>;
    /// Unlinks one of the user's identities, unless it is their last way to sign in.
    async fn unlink_identity(
        &self,
        user_id: &str,
        provider: &str,
        subject: &str,
    ) -> StoreResult<Unlink>;
}

/// Pending provider sign-ins and one-time sign-in codes: each taken at most once.
#[async_trait]
pub trait SsoStateStore: Send + Sync {
    /// Stores a pending sign-in.
    async fn put_sso_state(&self, state: SsoStateRecord) -> StoreResult<()>;
    /// Removes and returns the pending sign-in with this hash if it has not expired by `now`.
    async fn take_sso_state(
        &self,
        state_hash: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Option<SsoStateRecord>>;
    /// Stores a one-time code.
    async fn put_sso_code(&self, code: SsoCodeRecord) -> StoreResult<()>;
    /// Removes and returns the code with this hash if it has not expired by `now`.
    async fn take_sso_code(
        &self,
        code_hash: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Option<SsoCodeRecord>>;
    /// Deletes states and codes that expired before `now`; returns how many.
    async fn purge_sso(&self, now: chrono::DateTime<chrono::Utc>) -> StoreResult<u64>;
}

/// Revoked sessions (a jti denylist that forgets entries once the token would have expired).
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Records that the token with this `jti` is no longer valid.
    async fn revoke(&self, revocation: Revocation) -> StoreResult<()>;
    /// True when the token with this `jti` was revoked.
    async fn is_revoked(&self, jti: &str) -> StoreResult<bool>;
    /// Deletes revocations of tokens that expired before `now`; returns how many.
    async fn purge_revocations(&self, now: chrono::DateTime<chrono::Utc>) -> StoreResult<u64>;
}

/// Workflows (the working copy and its details), always scoped by owner.
#[async_trait]
pub trait WorkflowStore: Send + Sync {
    /// Stores a new workflow.
    async fn insert_workflow(&self, workflow: &Workflow) -> StoreResult<()>;
    /// The owner's workflow with this id.
    async fn workflow(&self, owner_id: &str, id: &str) -> StoreResult<Option<Workflow>>;
    /// True when the owner has an active workflow with this id (without loading it).
    async fn owns_workflow(&self, owner_id: &str, id: &str) -> StoreResult<bool>;
    /// The owner's workflows, most recently updated first.
    async fn list_workflows(&self, owner_id: &str) -> StoreResult<Vec<WorkflowSummary>>;
    /// Changes name, description and/or cluster; `None` when not found.
    async fn update_details(
        &self,
        owner_id: &str,
        id: &str,
        patch: &WorkflowPatch,
    ) -> StoreResult<Option<Workflow>>;
    /// Sets the status after a run (`deployed` or `failed`) without touching `updated_at`; false
    /// when not found (or archived).
    async fn set_workflow_status(
        &self,
        owner_id: &str,
        id: &str,
        status: app::model::WorkflowStatus,
    ) -> StoreResult<bool>;
    /// Archives (deletes for the user) a workflow; false when not found.
    async fn archive_workflow(
        &self,
        owner_id: &str,
        id: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<bool>;
    /// Replaces the working copy and, when `save.version` is set, creates the next version with
    /// the same content in the same step. `None` when not found.
    async fn save_graph(
        &self,
        owner_id: &str,
        id: &str,
        save: &GraphSave,
    ) -> StoreResult<Option<SavedGraph>>;
}

/// Versions of a workflow: the content never changes; message and tag can be edited.
#[async_trait]
pub trait VersionStore: Send + Sync {
    /// Appends version `current_version + 1` (allocated atomically) to the owner's workflow and
    /// makes it current. `None` when the workflow is not found.
    async fn append_version(
        &self,
        owner_id: &str,
        workflow_id: &str,
        draft: &VersionDraft,
    ) -> StoreResult<Option<Version>>;
    /// All versions of a workflow, newest first.
    async fn versions(&self, workflow_id: &str) -> StoreResult<Vec<Version>>;
    /// One version.
    async fn version(&self, workflow_id: &str, number: u64) -> StoreResult<Option<Version>>;
    /// At most `limit` versions numbered below `before` (all when `None`), newest first, without
    /// their content; and how many versions the workflow has.
    async fn version_page(
        &self,
        workflow_id: &str,
        before: Option<u64>,
        limit: u32,
    ) -> StoreResult<VersionListing>;
    /// Changes a version's message and/or tag; `None` when there is no such version.
    async fn annotate_version(
        &self,
        workflow_id: &str,
        number: u64,
        annotation: &VersionAnnotation,
    ) -> StoreResult<Option<VersionInfo>>;
}

/// Everything the server persists, behind one object.
pub trait Store:
    UserStore
    + SessionStore
    + IdentityStore
    + SsoStateStore
    + WorkflowStore
    + VersionStore
    + ClusterStore
    + RunStore
    + RegistryStore
    + BuildStore
    + Send
    + Sync
{
    /// A short name of the backend for logs (`sqlite`, `mongodb`).
    fn backend(&self) -> &'static str;
}

/// A shared handle to the store.
pub type DynStore = Arc<dyn Store>;

/// Opens the store the configuration asks for: MongoDB when `mongodb_uri` is set, else SQLite
/// in the data directory.
pub async fn open(config: &crate::config::Config) -> StoreResult<DynStore> {
    match &config.mongodb_uri {
        Some(uri) => {
            let store = mongo::MongoStore::connect(uri.expose(), config.db.as_deref()).await?;
            Ok(Arc::new(store))
        }
        None => {
            let path = config.data_dir.join("kubeorch.sqlite3");
            Ok(Arc::new(sqlite::SqliteStore::open(&path).await?))
        }
    }
}
