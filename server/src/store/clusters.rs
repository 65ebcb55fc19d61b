//! Registered clusters and deployment runs, always scoped by owner.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use app::model::{Cluster, ClusterAuth, ClusterConnection, Run};

use super::StoreResult;

/// A registered Kubernetes API endpoint. `credentials` is ciphertext (AES-256-GCM with the
/// server's encryption key, see `crate::cluster::credentials`) and never leaves the server.
#[derive(Clone, PartialEq, Eq)]
pub struct ClusterRecord {
    /// Server-assigned id.
    pub id: String,
    /// The owner.
    pub owner_id: String,
    /// Display name, unique per owner.
    pub name: String,
    /// API server URL (`built-in` for the Sandbox).
    pub server: String,
    /// How it is reached.
    pub auth: ClusterAuth,
    /// The kubeconfig context in use.
    pub context: Option<String>,
    /// Encrypted credentials (nonce + ciphertext); empty for the Sandbox.
    pub credentials: Vec<u8>,
    /// The last connection test.
    pub connection: ClusterConnection,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl ClusterRecord {
    /// What the API shows: everything but the credentials; `insecure` tells whether they skip
    /// TLS verification (read from the decrypted credentials by the caller).
    pub fn public(&self, insecure: bool) -> Cluster {
        Cluster {
            id: self.id.clone(),
            name: self.name.clone(),
            server: self.server.clone(),
            auth: self.auth,
            context: self.context.clone(),
            insecure_skip_tls_verify: insecure,
            connection: self.connection.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

impl std::fmt::Debug for ClusterRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClusterRecord")
            .field("id", &self.id)
            .field("owner_id", &self.owner_id)
            .field("name", &self.name)
            .field("server", &self.server)
            .field("auth", &self.auth)
            .field("credentials", &"<encrypted>")
            .finish_non_exhaustive()
    }
}

/// Registered clusters.
#[async_trait]
pub trait ClusterStore: Send + Sync {
    /// Stores a new cluster; a name the owner already uses is [`super::StoreError::NameTaken`].
    async fn insert_cluster(&self, cluster: &ClusterRecord) -> StoreResult<()>;
    /// The owner's cluster.
    async fn cluster(&self, owner_id: &str, id: &str) -> StoreResult<Option<ClusterRecord>>;
    /// The owner's clusters, by name.
    async fn list_clusters(&self, owner_id: &str) -> StoreResult<Vec<ClusterRecord>>;
    /// Replaces the owner's cluster (matched by `id` and `owner_id`); false when not found. A
    /// name the owner already uses for another cluster is [`super::StoreError::NameTaken`].
    async fn update_cluster(&self, cluster: &ClusterRecord) -> StoreResult<bool>;
    /// Records a connection test; false when not found.
    async fn set_connection(
        &self,
        owner_id: &str,
        id: &str,
        connection: &ClusterConnection,
    ) -> StoreResult<bool>;
    /// Deletes a cluster; false when not found.
    async fn delete_cluster(&self, owner_id: &str, id: &str) -> StoreResult<bool>;
}

/// A run and its owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRecord {
    /// The owner (for scoping).
    pub owner_id: String,
    /// The run.
    pub run: Run,
}

/// Deployment runs.
#[async_trait]
pub trait RunStore: Send + Sync {
    /// Stores a new run.
    async fn insert_run(&self, run: &RunRecord) -> StoreResult<()>;
    /// Replaces a run (matched by id and owner); false when not found.
    async fn update_run(&self, run: &RunRecord) -> StoreResult<bool>;
    /// The owner's run.
    async fn run(&self, owner_id: &str, id: &str) -> StoreResult<Option<Run>>;
    /// The owner's runs of a workflow, newest first, at most `limit`.
    async fn runs(&self, owner_id: &str, workflow_id: &str, limit: u32) -> StoreResult<Vec<Run>>;
    /// Marks every queued or running run as failed with `message` (a restarted server cannot
    /// finish them); returns how many.
    async fn interrupt_unfinished(&self, now: DateTime<Utc>, message: &str) -> StoreResult<u64>;
}

/// What an interrupted run becomes.
pub fn interrupted(mut run: Run, now: DateTime<Utc>, message: &str) -> Run {
    run.state = app::model::RunState::Failed;
    run.error = Some(message.to_string());
    run.phase = "interrupted".into();
    run.finished_at = Some(now);
    for result in run.nodes.values_mut() {
        if matches!(
            result.state,
            app::model::StepState::Waiting | app::model::StepState::Applying
        ) {
            result.state = app::model::StepState::Skipped;
            result.message = message.to_string();
        }
    }
    run
}
