//! A stand-in Kubernetes API server ("the sandbox"): plain HTTP on any address, spoken to
//! unchanged by a real `kube::Client` and by `kubectl --server`, with a small simulator that plays
//! the controllers (rollouts, Jobs, PVC binding, load balancer addresses) and switches to inject
//! failures. Nothing runs: objects are JSON in memory. See README.md for what is simplified.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = sandbox::Sandbox::start("127.0.0.1:0".parse()?).await?;
//! let client = sandbox.client()?;
//! // … use `client` with kube::Api …
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

pub mod apply;
pub mod controllers;
pub mod core;
pub mod delete;
pub mod discovery;
pub mod faults;
pub mod fields;
pub mod http;
pub mod load;
pub mod object;
pub mod patch;
pub mod reads;
pub mod selectors;
pub mod simulator;
pub mod status;
pub mod store;
pub mod subresources;
pub mod verbs;
pub mod watch;

use std::net::SocketAddr;
use std::sync::Arc;

use serde_json::json;
use tokio::task::JoinHandle;

pub use crate::core::ApiConfig;
pub use crate::faults::{Faults, ObjectFault, FAULT_ANNOTATION};
pub use crate::simulator::SimulatorConfig;

/// Errors starting the sandbox or making a client for it.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The address could not be bound.
    #[error("could not listen on {addr}: {source}")]
    Bind {
        /// The requested address.
        addr: SocketAddr,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The kube client could not be built.
    #[error("could not build a kube client for the sandbox: {0}")]
    Client(#[from] kube::Error),
    /// The URL could not be formed.
    #[error("invalid sandbox URL {0}")]
    Url(String),
}

/// Everything adjustable about a sandbox.
#[derive(Clone, Debug, Default)]
pub struct SandboxConfig {
    /// API behaviour (watch history, bookmarks, timeouts).
    pub api: ApiConfig,
    /// The simulated controllers.
    pub simulator: SimulatorConfig,
}

/// A running sandbox API server. Dropping it stops the server.
pub struct Sandbox {
    addr: SocketAddr,
    core: Arc<core::Core>,
    server: JoinHandle<()>,
    simulator: JoinHandle<()>,
}

/// The namespaces every cluster starts with.
pub const INITIAL_NAMESPACES: &[&str] =
    &["default", "kube-system", "kube-public", "kube-node-lease"];

impl Sandbox {
    /// Starts a sandbox with default settings on `addr` (port 0 picks a free port).
    pub async fn start(addr: SocketAddr) -> Result<Self, SandboxError> {
        Self::start_with(addr, SandboxConfig::default()).await
    }

    /// Starts a sandbox with `config` on `addr`.
    pub async fn start_with(addr: SocketAddr, config: SandboxConfig) -> Result<Self, SandboxError> {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| SandboxError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| SandboxError::Bind { addr, source })?;
        let core = Arc::new(core::Core::new(config.api));
        seed(&core);
        let app = http::router(core.clone());
        let mut down = core.shutdown.subscribe();
        let core_for_server = core.clone();
        let server = tokio::spawn(async move {
            let stop = async move {
                let _ = down.wait_for(|d| *d).await;
            };
            if let Err(e) = axum::serve(http::OutageListener::new(listener, core_for_server), app)
                .with_graceful_shutdown(stop)
                .await
            {
                tracing::error!("sandbox API server stopped: {e}");
            }
        });
        let simulator = tokio::spawn(simulator::run(core.clone(), config.simulator));
        Ok(Self {
            addr,
            core,
            server,
            simulator,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The store's current resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.core.store().rv()
    }

    /// The base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A kube client configuration pointing at the sandbox (namespace `default`).
    pub fn kube_config(&self) -> Result<kube::Config, SandboxError> {
        let url = self
            .url()
            .parse()
            .map_err(|_| SandboxError::Url(self.url()))?;
        Ok(kube::Config::new(url))
    }

    /// A kube client talking to the sandbox over HTTP.
    pub fn client(&self) -> Result<kube::Client, SandboxError> {
        Ok(kube::Client::try_from(self.kube_config()?)?)
    }

    /// The fault switches (latency, outage, write rejections), adjustable while running.
    pub fn faults(&self) -> &Faults {
        &self.core.faults
    }

    /// Stops the server and the simulator, ending open watches.
    pub async fn shutdown(mut self) {
        self.core.shutdown.send_replace(true);
        let server = &mut self.server;
        if tokio::time::timeout(std::time::Duration::from_secs(5), server)
            .await
            .is_err()
        {
            self.server.abort();
        }
        self.simulator.abort();
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.core.shutdown.send_replace(true);
        self.server.abort();
        self.simulator.abort();
    }
}

fn seed(core: &core::Core) {
    let opts = core::WriteOpts {
        manager: Some("sandbox".into()),
        ..Default::default()
    };
    for ns in INITIAL_NAMESPACES {
        let t = core::Target {
            res: discovery::namespaces(),
            ns: None,
            name: None,
            sub: None,
        };
        let body = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}});
        if let Err(e) = core.create(&t, body, &opts) {
            tracing::error!("could not create namespace {ns}: {e}");
        }
    }
}
