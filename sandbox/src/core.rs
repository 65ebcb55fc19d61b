//! The shared state behind every request: the store, the fault switches, the allocators, and the
//! request target and options types the verbs use.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;

use crate::apply::Scope;
use crate::discovery::{ResId, ResourceDef, RESOURCES};
use crate::faults::Faults;
use crate::object::meta_str;
use crate::store::{Key, Store};

/// Which subresource a request addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sub {
    /// `/status`.
    Status,
    /// `/scale`.
    Scale,
}

/// What a request addresses.
#[derive(Clone, Debug)]
pub struct Target {
    /// Resource id.
    pub res: ResId,
    /// Namespace (None for cluster-scoped resources or all-namespace requests).
    pub ns: Option<String>,
    /// Object name (None for collection requests).
    pub name: Option<String>,
    /// Subresource.
    pub sub: Option<Sub>,
}

impl Target {
    /// The resource definition.
    pub fn def(&self) -> &'static ResourceDef {
        &RESOURCES[self.res]
    }

    /// The object's store key.
    pub fn key(&self) -> Key {
        (
            self.ns.clone().unwrap_or_default(),
            self.name.clone().unwrap_or_default(),
        )
    }

    /// The field-ownership scope of a write to this target.
    pub fn scope(&self) -> Scope {
        match self.sub {
            Some(Sub::Status) => Scope::Status,
            _ => Scope::Main {
                has_status: self.def().has_status,
            },
        }
    }
}

/// Options of a write request.
#[derive(Clone, Debug, Default)]
pub struct WriteOpts {
    /// `dryRun=All`: validate and compute, store nothing.
    pub dry_run: bool,
    /// `fieldManager`.
    pub manager: Option<String>,
    /// `force` (server-side apply).
    pub force: bool,
    /// The client's User-Agent (names the manager when `fieldManager` is absent).
    pub user_agent: String,
}

impl WriteOpts {
    /// The field manager of an Update: `fieldManager`, else the User-Agent's product name.
    pub fn manager_name(&self) -> String {
        match &self.manager {
            Some(m) => m.clone(),
            None => {
                let ua = self.user_agent.split('/').next().unwrap_or_default().trim();
                if ua.is_empty() {
                    "unknown".to_string()
                } else {
                    ua.to_string()
                }
            }
        }
    }
}

/// Preconditions and options of a delete.
#[derive(Clone, Debug, Default)]
pub struct DeleteOpts {
    /// `dryRun=All`.
    pub dry_run: bool,
    /// `preconditions.uid`.
    pub uid: Option<String>,
    /// `preconditions.resourceVersion`.
    pub resource_version: Option<String>,
}

/// Tunables of the API side of the sandbox.
#[derive(Clone, Debug)]
pub struct ApiConfig {
    /// Events kept per resource for watch replay and paged lists (older → 410 Expired).
    pub watch_log_capacity: usize,
    /// How often a watch with `allowWatchBookmarks=true` gets a BOOKMARK.
    pub bookmark_interval: Duration,
    /// How long a watch without `timeoutSeconds` stays open.
    pub default_watch_timeout: Duration,
    /// The resourceVersion the store starts at; watches from before it get 410 Expired, like a
    /// restarted API server whose watch cache is empty (tests restart a sandbox with the old
    /// one's [`crate::Sandbox::resource_version`]).
    pub first_resource_version: u64,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            watch_log_capacity: 10_000,
            bookmark_interval: Duration::from_secs(30),
            default_watch_timeout: Duration::from_secs(1800),
            first_resource_version: 1,
        }
    }
}

/// State shared by the HTTP handlers and the simulator.
pub struct Core {
    store: Mutex<Store>,
    /// Fault switches.
    pub faults: Faults,
    /// API tunables.
    pub config: ApiConfig,
    /// Set to true when the sandbox shuts down (ends open watches).
    pub shutdown: tokio::sync::watch::Sender<bool>,
    next_ip: AtomicU32,
    next_port: AtomicU32,
}

impl Core {
    /// A core with an empty store.
    pub fn new(config: ApiConfig) -> Self {
        Self {
            store: Mutex::new(Store::starting_at(
                config.watch_log_capacity,
                config.first_resource_version,
            )),
            faults: Faults::default(),
            config,
            shutdown: tokio::sync::watch::Sender::new(false),
            next_ip: AtomicU32::new(1),
            next_port: AtomicU32::new(0),
        }
    }

    /// Locks the store (a poisoned lock is recovered: the store is never left half-written).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next Service clusterIP (10.96.0.0/12).
    pub fn next_cluster_ip(&self) -> String {
        let n = self.next_ip.fetch_add(1, Ordering::Relaxed);
        format!("10.96.{}.{}", (n >> 8) & 0xff, n & 0xff)
    }

    /// The next node port (30000–32767).
    pub fn next_node_port(&self) -> u16 {
        let n = self.next_port.fetch_add(1, Ordering::Relaxed);
        30000 + (n % 2768) as u16
    }

    /// The LoadBalancer / Ingress address of an object, stable per uid (192.0.2.0/24, TEST-NET-1).
    pub fn external_ip(obj: &Value) -> String {
        let uid = meta_str(obj, "uid").unwrap_or_default();
        let sum: u32 = uid.bytes().map(u32::from).sum();
        format!("192.0.2.{}", 1 + sum % 254)
    }
}
