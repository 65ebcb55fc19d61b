//! Kube clients for registered clusters: built from the decrypted credentials (or the user's
//! Sandbox), cached per cluster until the record changes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use app::model::ClusterAuth;

use super::credentials::{self, ConfigError, StoredSecret};
use super::crypto::{OpenError, Sealer};
use super::sandboxes::Sandboxes;
use crate::store::ClusterRecord;

/// Why no client could be made.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The credentials do not decrypt.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// The configuration is unusable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// kube could not build the client (TLS setup).
    #[error("cannot set up a connection to the cluster: {0}")]
    Build(String),
    /// The built-in Sandbox is switched off or failed to start.
    #[error("the built-in Sandbox cluster is not available on this server: {0}")]
    Sandbox(String),
}

/// A client and the secrets to scrub from its errors.
#[derive(Clone)]
pub struct ClusterClient {
    /// The client.
    pub client: kube::Client,
    /// Secret strings that must never appear in messages.
    pub secrets: Arc<Vec<String>>,
}

impl ClusterClient {
    /// `message` scrubbed of this cluster's secrets and credential-looking text.
    pub fn scrub(&self, message: &str) -> String {
        super::scrub::scrub(message, &self.secrets)
    }
}

/// Builds and caches clients.
pub struct ClientFactory {
    sealer: Sealer,
    sandboxes: Option<Arc<Sandboxes>>,
    cache: Mutex<HashMap<String, (DateTime<Utc>, ClusterClient)>>,
}

impl ClientFactory {
    /// A factory decrypting with `sealer`; `sandboxes` is `None` when the built-in Sandbox is off.
    pub fn new(sealer: Sealer, sandboxes: Option<Arc<Sandboxes>>) -> Self {
        ClientFactory {
            sealer,
            sandboxes,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The sealer (for the cluster service).
    pub fn sealer(&self) -> &Sealer {
        &self.sealer
    }

    /// The Sandboxes, when enabled.
    pub fn sandboxes(&self) -> Option<&Arc<Sandboxes>> {
        self.sandboxes.as_ref()
    }

    /// A client for `record` (cached while the record is unchanged).
    pub async fn client(&self, record: &ClusterRecord) -> Result<ClusterClient, ClientError> {
        if let Some(cached) = self.cached(record) {
            return Ok(cached);
        }
        let built = self.build(record).await?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(record.id.clone(), (record.updated_at, built.clone()));
        }
        Ok(built)
    }

    /// Forgets the cached client of a cluster (after an edit or delete).
    pub fn forget(&self, cluster_id: &str) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.remove(cluster_id);
        }
    }

    fn cached(&self, record: &ClusterRecord) -> Option<ClusterClient> {
        let cache = self.cache.lock().ok()?;
        let (at, client) = cache.get(&record.id)?;
        (*at == record.updated_at).then(|| client.clone())
    }

    async fn build(&self, record: &ClusterRecord) -> Result<ClusterClient, ClientError> {
        if record.auth == ClusterAuth::Sandbox {
            let sandboxes = self
                .sandboxes
                .as_ref()
                .ok_or_else(|| ClientError::Sandbox("it is switched off".into()))?;
            let client = sandboxes
                .client(&record.owner_id)
                .await
                .map_err(|e| ClientError::Sandbox(e.to_string()))?;
            return Ok(ClusterClient {
                client,
                secrets: Arc::new(Vec::new()),
            });
        }
        let secret: StoredSecret = credentials::open(&self.sealer, record)?;
        let secrets = Arc::new(secret.secrets());
        let config = credentials::kube_config(&record.server, &secret).await?;
        let client = kube::Client::try_from(config)
            .map_err(|e| ClientError::Build(super::scrub::scrub(&e.to_string(), &secrets)))?;
        Ok(ClusterClient { client, secrets })
    }
}
