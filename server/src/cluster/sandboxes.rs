//! The built-in "Sandbox — simulated, nothing runs" cluster: one stand-in API server (the
//! `sandbox` crate) per user, started on 127.0.0.1 on first use and kept for the life of the
//! process. The app talks to it exactly like to a real cluster: a `kube::Client` over HTTP.
//! Its objects live in memory only, so a restart of the server empties it.

use std::collections::HashMap;
use std::sync::Arc;

use sandbox::{Sandbox, SandboxConfig};
use tokio::sync::Mutex;

/// The display name of the built-in cluster.
pub const SANDBOX_NAME: &str = "Sandbox — simulated, nothing runs";
/// What the clusters page shows as its server.
pub const SANDBOX_SERVER: &str = "built-in";

/// The running sandboxes, by owner.
pub struct Sandboxes {
    config: SandboxConfig,
    running: Mutex<HashMap<String, Arc<Sandbox>>>,
}

impl Sandboxes {
    /// Sandboxes started with `config`.
    pub fn new(config: SandboxConfig) -> Self {
        Sandboxes {
            config,
            running: Mutex::new(HashMap::new()),
        }
    }

    /// The owner's sandbox, started when needed.
    pub async fn get(&self, owner_id: &str) -> Result<Arc<Sandbox>, sandbox::SandboxError> {
        let mut running = self.running.lock().await;
        if let Some(existing) = running.get(owner_id) {
            return Ok(existing.clone());
        }
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        let started = Arc::new(Sandbox::start_with(addr, self.config.clone()).await?);
        tracing::info!(
            "started the Sandbox cluster for a user on {}",
            started.url()
        );
        running.insert(owner_id.to_string(), started.clone());
        Ok(started)
    }

    /// A kube client for the owner's sandbox.
    pub async fn client(&self, owner_id: &str) -> Result<kube::Client, sandbox::SandboxError> {
        self.get(owner_id).await?.client()
    }

    /// The owner's sandbox if it is running (tests reach it to inject faults).
    pub async fn running(&self, owner_id: &str) -> Option<Arc<Sandbox>> {
        self.running.lock().await.get(owner_id).cloned()
    }
}
