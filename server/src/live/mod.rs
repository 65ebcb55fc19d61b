//! Live status (spec §6): one [`WorkflowHub`] per workflow that someone is looking at (kept a
//! little while after the last viewer leaves, so a reload replays from its buffer), fed by the
//! shared watchers and by deploy runs, streamed over SSE by [`route`].

pub mod hub;
pub mod route;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::sync::OnceCell;

use app::model::{NodeStatus, ObjectRef, Run};

use crate::cluster::resources::Resolver;
use crate::cluster::watch::{Listener, ObjectVersion, WatchKey, Watchers};
use crate::cluster::ClientFactory;
use crate::store::DynStore;
pub use hub::WorkflowHub;

/// Sizes and times of the live streams.
#[derive(Clone, Debug)]
pub struct LiveConfig {
    /// Events a hub keeps for replay.
    pub buffer: usize,
    /// Events a client may fall behind before it is dropped (it reconnects).
    pub queue: usize,
    /// How long a hub (and its watchers) stays after its last viewer leaves.
    pub linger: Duration,
    /// Interval of the heartbeat comment.
    pub heartbeat: Duration,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig {
            buffer: 1024,
            queue: 512,
            linger: Duration::from_secs(30),
            heartbeat: Duration::from_secs(15),
        }
    }
}

struct Entry {
    hub: Arc<WorkflowHub>,
    ready: OnceCell<()>,
}

/// The workflow hubs and the watchers behind them.
pub struct Live {
    store: DynStore,
    clients: Arc<ClientFactory>,
    watchers: Arc<Watchers>,
    config: LiveConfig,
    hubs: Mutex<HashMap<String, Arc<Entry>>>,
    me: Weak<Live>,
}

/// Keeps a viewer counted; dropping it starts the hub's linger.
pub struct Viewer {
    hub: Arc<WorkflowHub>,
    live: Weak<Live>,
}

impl Drop for Viewer {
    fn drop(&mut self) {
        if self.hub.subscribers.fetch_sub(1, Ordering::AcqRel) == 1 {
            if let Some(live) = self.live.upgrade() {
                live.linger(self.hub.clone());
            }
        }
    }
}

impl Live {
    /// The registry.
    pub fn new(
        store: DynStore,
        clients: Arc<ClientFactory>,
        watchers: Arc<Watchers>,
        config: LiveConfig,
    ) -> Arc<Self> {
        Arc::new_cyclic(|me| Live {
            store,
            clients,
            watchers,
            config,
            hubs: Mutex::new(HashMap::new()),
            me: me.clone(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &LiveConfig {
        &self.config
    }

    /// The shared watchers.
    pub fn watchers(&self) -> &Arc<Watchers> {
        &self.watchers
    }

    fn entry(&self, workflow_id: &str) -> Arc<Entry> {
        let mut hubs = self.hubs.lock().unwrap_or_else(|e| e.into_inner());
        hubs.entry(workflow_id.to_string())
            .or_insert_with(|| {
                Arc::new(Entry {
                    hub: Arc::new(WorkflowHub::new(
                        workflow_id,
                        self.config.buffer,
                        self.config.queue,
                    )),
                    ready: OnceCell::new(),
                })
            })
            .clone()
    }

    /// The hub of the owner's workflow (created and attached to its watchers when needed),
    /// counted as viewed until the returned [`Viewer`] is dropped. The caller checks ownership.
    pub async fn open(&self, owner_id: &str, workflow_id: &str) -> (Arc<WorkflowHub>, Viewer) {
        let entry = self.entry(workflow_id);
        entry.hub.subscribers.fetch_add(1, Ordering::AcqRel);
        entry.hub.generation.fetch_add(1, Ordering::AcqRel);
        let viewer = Viewer {
            hub: entry.hub.clone(),
            live: self.me.clone(),
        };
        entry
            .ready
            .get_or_init(|| self.attach_latest(&entry.hub, owner_id))
            .await;
        (entry.hub.clone(), viewer)
    }

    /// The hub of a workflow if someone looks at it.
    pub fn hub(&self, workflow_id: &str) -> Option<Arc<WorkflowHub>> {
        let hubs = self.hubs.lock().unwrap_or_else(|e| e.into_inner());
        hubs.get(workflow_id).map(|e| e.hub.clone())
    }

    /// How many hubs are open.
    pub fn open_hubs(&self) -> usize {
        self.hubs.lock().map(|h| h.len()).unwrap_or(0)
    }

    fn linger(&self, hub: Arc<WorkflowHub>) {
        let generation = hub.generation.load(Ordering::Acquire);
        let me = self.me.clone();
        let wait = self.config.linger;
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        runtime.spawn(async move {
            tokio::time::sleep(wait).await;
            let Some(live) = me.upgrade() else { return };
            let mut hubs = live.hubs.lock().unwrap_or_else(|e| e.into_inner());
            let idle = hub.subscribers.load(Ordering::Acquire) == 0
                && hub.generation.load(Ordering::Acquire) == generation;
            let same = hubs
                .get(&hub.workflow_id)
                .is_some_and(|e| Arc::ptr_eq(&e.hub, &hub));
            if idle && same {
                hubs.remove(&hub.workflow_id);
            }
        });
    }

    /// A run's progress: stored in the hub (if open) and published.
    pub fn run_update(&self, run: &Run) {
        if let Some(hub) = self.hub(&run.workflow_id) {
            hub.set_run(run);
        }
    }

    /// A node status from a run (pending before apply, from the apply's answer with the
    /// answer's `version`, failed).
    pub fn node_status(
        &self,
        run: &Run,
        node_id: &str,
        object: &ObjectRef,
        status: Option<NodeStatus>,
        version: Option<ObjectVersion>,
    ) {
        if let Some(hub) = self.hub(&run.workflow_id) {
            hub.set_status(&run.cluster_id, node_id, object, status, version);
        }
    }

    /// A new version was saved.
    pub fn saved(&self, workflow_id: &str, version: u64) {
        if let Some(hub) = self.hub(workflow_id) {
            hub.saved(version);
        }
    }

    /// After cluster `cluster_id` of `owner_id` was edited or removed: the open hubs watching
    /// it re-attach (watchers with the new credentials replace the old ones, which stop when
    /// nobody holds them; a removed cluster is no longer watched).
    pub async fn cluster_changed(&self, owner_id: &str, cluster_id: &str) {
        let hubs: Vec<Arc<WorkflowHub>> = {
            let hubs = self.hubs.lock().unwrap_or_else(|e| e.into_inner());
            hubs.values().map(|e| e.hub.clone()).collect()
        };
        for hub in hubs {
            let watching = hub
                .state
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .cluster_id
                .as_deref()
                == Some(cluster_id);
            if !watching {
                continue;
            }
            self.attach_latest(&hub, owner_id).await;
        }
    }

    /// Attaches `hub` to what the workflow's latest run deployed (nothing when it has none).
    async fn attach_latest(&self, hub: &Arc<WorkflowHub>, owner_id: &str) {
        match self.store.runs(owner_id, &hub.workflow_id, 1).await {
            Ok(runs) => {
                if let Some(run) = runs.into_iter().next() {
                    self.attach(hub, owner_id, &run).await;
                }
            }
            Err(error) => tracing::warn!("cannot load the latest run: {error}"),
        }
    }

    /// Points an open hub's watchers at what `run` deployed.
    pub async fn retarget(&self, owner_id: &str, run: &Run) {
        if let Some(hub) = self.hub(&run.workflow_id) {
            self.attach(&hub, owner_id, run).await;
        }
    }

    /// Holds leases on the watchers of every (resource, namespace) `run` deployed to, and
    /// drops the others.
    async fn attach(&self, hub: &Arc<WorkflowHub>, owner_id: &str, run: &Run) {
        hub.set_run(run);
        let record = match self.store.cluster(owner_id, &run.cluster_id).await {
            Ok(Some(record)) => record,
            Ok(None) => {
                let gone =
                    std::mem::take(&mut hub.state.lock().unwrap_or_else(|e| e.into_inner()).leases);
                drop(gone);
                return;
            }
            Err(error) => {
                tracing::warn!("cannot load the cluster to watch: {error}");
                return;
            }
        };
        let cluster = match self.clients.client(&record).await {
            Ok(cluster) => cluster,
            Err(error) => {
                tracing::warn!("cannot watch the cluster: {error}");
                return;
            }
        };
        let mut resolver = Resolver::default();
        let mut wanted = BTreeMap::new();
        for object in run.nodes.values().filter_map(|r| r.object.as_ref()) {
            let Ok(resource) = resolver
                .resolve(&cluster, &object.api_version, &object.kind)
                .await
            else {
                continue;
            };
            let key = WatchKey {
                cluster_id: run.cluster_id.clone(),
                generation: record.updated_at.timestamp_millis(),
                api_version: object.api_version.clone(),
                kind: object.kind.clone(),
                namespace: object.namespace.clone().filter(|_| resource.namespaced),
            };
            wanted.insert(hub::lease_name(&key), (key, resource));
        }
        let listener: Arc<dyn Listener> = hub.clone();
        let weak = Arc::downgrade(&listener);
        let have: Vec<String> = {
            let state = hub.state.lock().unwrap_or_else(|e| e.into_inner());
            state.leases.keys().cloned().collect()
        };
        let mut fresh = Vec::new();
        for (name, (key, resource)) in &wanted {
            if !have.contains(name) {
                let lease = self.watchers.acquire(
                    key.clone(),
                    resource,
                    &cluster,
                    &hub.workflow_id,
                    weak.clone(),
                );
                fresh.push((name.clone(), lease));
            }
        }
        let dropped = {
            let mut state = hub.state.lock().unwrap_or_else(|e| e.into_inner());
            state.leases.extend(fresh);
            let stale: Vec<String> = state
                .leases
                .keys()
                .filter(|name| !wanted.contains_key(*name))
                .cloned()
                .collect();
            stale
                .into_iter()
                .filter_map(|name| state.leases.remove(&name))
                .collect::<Vec<_>>()
        };
        drop(dropped);
    }
}
