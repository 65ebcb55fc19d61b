//! Shared watchers (spec §6): one kube-rs `watcher` per (cluster, resource, namespace), selecting
//! objects that carry the `kubeorch.io/workflow` label, shared by every workflow that looks at
//! that resource there. A watcher starts with its first [`Lease`] and stops when the last lease
//! is dropped (its task ends; nothing lingers). kube's watcher re-lists after `410 Gone` and on
//! errors the stream backs off exponentially (kube's default backoff) and re-lists on reconnect;
//! objects that vanished meanwhile are reported as gone once the re-list completes.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use futures::StreamExt;
use kube::api::{Api, DynamicObject};
use kube::runtime::watcher::{watcher, Config as WatchConfig, Event};
use kube::runtime::WatchStreamExt;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use app::domain::deploy::{NODE_LABEL, WORKFLOW_LABEL};
use app::domain::status::derive;
use app::model::{NodeStatus, ObjectRef};

use super::client::ClusterClient;
use super::resources::Resource;

/// What a watcher is keyed by.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WatchKey {
    /// The cluster id.
    pub cluster_id: String,
    /// The cluster record's version (its last edit, ms since the epoch): an edit starts new
    /// watchers, with the new credentials, instead of sharing the old ones.
    pub generation: i64,
    /// apiVersion of the resource.
    pub api_version: String,
    /// Kind of the resource.
    pub kind: String,
    /// Namespace (`None` for cluster-scoped resources).
    pub namespace: Option<String>,
}

/// One observed change, routed to the workflow named by the object's label.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    /// The cluster it was seen in.
    pub cluster_id: String,
    /// The node (from the `kubeorch.io/node` label).
    pub node_id: String,
    /// The object.
    pub object: ObjectRef,
    /// Its status, `None` when it is gone.
    pub status: Option<NodeStatus>,
    /// Which version of the object the status is of.
    pub version: Option<ObjectVersion>,
}

/// One object's identity and resourceVersion, to tell an older status from a newer one.
/// resourceVersions are opaque to clients, but an API server's (etcd's revisions) are increasing
/// integers; where one does not read as an integer, statuses are taken in the order they come.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectVersion {
    /// `metadata.uid`: a deleted and re-created object is another one.
    pub uid: String,
    /// `metadata.resourceVersion`.
    pub resource_version: u64,
}

impl ObjectVersion {
    /// From an object's `metadata.uid` and `metadata.resourceVersion`.
    pub fn of(uid: Option<&str>, resource_version: Option<&str>) -> Option<Self> {
        Some(Self {
            uid: uid?.to_string(),
            resource_version: resource_version?.parse().ok()?,
        })
    }

    /// From an object as JSON (an apply's answer).
    pub fn of_json(object: &Value) -> Option<Self> {
        let metadata = object.get("metadata")?;
        Self::of(
            metadata.get("uid").and_then(Value::as_str),
            metadata.get("resourceVersion").and_then(Value::as_str),
        )
    }

    /// True when `self` is an older version of the same object than `current`.
    pub fn is_older_than(&self, current: &ObjectVersion) -> bool {
        self.uid == current.uid && self.resource_version < current.resource_version
    }
}

/// Receives the observations of one workflow.
pub trait Listener: Send + Sync {
    /// Called for every change of an object labelled with the listener's workflow.
    fn observe(&self, observation: Observation);
}

struct Seen {
    workflow: String,
    observation: Observation,
}

#[derive(Default)]
struct State {
    objects: HashMap<(String, String), Seen>,
    listeners: HashMap<u64, (String, Weak<dyn Listener>)>,
    /// Keys seen during a re-list in progress.
    relisting: Option<HashSet<(String, String)>>,
}

struct Inner {
    key: WatchKey,
    state: Mutex<State>,
}

impl Inner {
    fn notify(&self, workflow: &str, observation: &Observation) {
        let targets: Vec<Arc<dyn Listener>> = match self.state.lock() {
            Ok(state) => state
                .listeners
                .values()
                .filter(|(w, _)| w == workflow)
                .filter_map(|(_, l)| l.upgrade())
                .collect(),
            Err(_) => return,
        };
        for target in targets {
            target.observe(observation.clone());
        }
    }

    fn apply(&self, object: &DynamicObject) {
        let Some((key, workflow, observation)) = self.observation_of(object, true) else {
            return;
        };
        let changed = match self.state.lock() {
            Ok(mut state) => {
                if let Some(seen) = state.relisting.as_mut() {
                    seen.insert(key.clone());
                }
                let previous = state.objects.insert(
                    key,
                    Seen {
                        workflow: workflow.clone(),
                        observation: observation.clone(),
                    },
                );
                previous.is_none_or(|p| p.observation != observation || p.workflow != workflow)
            }
            Err(_) => false,
        };
        if changed {
            self.notify(&workflow, &observation);
        }
    }

    fn delete(&self, object: &DynamicObject) {
        let key = (
            object.metadata.namespace.clone().unwrap_or_default(),
            object.metadata.name.clone().unwrap_or_default(),
        );
        self.forget(&key);
    }

    fn forget(&self, key: &(String, String)) {
        let removed = self
            .state
            .lock()
            .ok()
            .and_then(|mut s| s.objects.remove(key));
        if let Some(seen) = removed {
            let gone = Observation {
                status: None,
                ..seen.observation
            };
            self.notify(&seen.workflow, &gone);
        }
    }

    fn relist_started(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.relisting = Some(HashSet::new());
        }
    }

    fn relist_done(&self) {
        let stale: Vec<(String, String)> = match self.state.lock() {
            Ok(mut state) => {
                let seen = state.relisting.take().unwrap_or_default();
                state
                    .objects
                    .keys()
                    .filter(|k| !seen.contains(*k))
                    .cloned()
                    .collect()
            }
            Err(_) => return,
        };
        for key in stale {
            self.forget(&key);
        }
    }

    fn observation_of(
        &self,
        object: &DynamicObject,
        with_status: bool,
    ) -> Option<((String, String), String, Observation)> {
        let labels = object.metadata.labels.as_ref()?;
        let workflow = labels.get(WORKFLOW_LABEL)?.clone();
        let node_id = labels.get(NODE_LABEL)?.clone();
        let namespace = object.metadata.namespace.clone();
        let name = object.metadata.name.clone()?;
        let object_ref = ObjectRef {
            api_version: self.key.api_version.clone(),
            kind: self.key.kind.clone(),
            namespace: namespace.clone(),
            name: name.clone(),
        };
        let status = with_status.then(|| derive(&as_json(object, &self.key)));
        Some((
            (namespace.unwrap_or_default(), name),
            workflow,
            Observation {
                cluster_id: self.key.cluster_id.clone(),
                node_id,
                object: object_ref,
                status,
                version: ObjectVersion::of(
                    object.metadata.uid.as_deref(),
                    object.metadata.resource_version.as_deref(),
                ),
            },
        ))
    }
}

/// A dynamic object as the JSON the status rules read (with its apiVersion and kind).
fn as_json(object: &DynamicObject, key: &WatchKey) -> Value {
    let mut value = serde_json::to_value(object).unwrap_or(Value::Null);
    if let Some(map) = value.as_object_mut() {
        map.insert("apiVersion".into(), Value::String(key.api_version.clone()));
        map.insert("kind".into(), Value::String(key.kind.clone()));
    }
    value
}

/// Keeps a watcher running; dropping the last one stops it.
struct Handle {
    inner: Arc<Inner>,
    stop: CancellationToken,
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// A workflow's interest in one watcher. Dropping it unregisters the listener.
pub struct Lease {
    id: u64,
    handle: Arc<Handle>,
}

impl Lease {
    /// The watched key.
    pub fn key(&self) -> &WatchKey {
        &self.handle.inner.key
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Ok(mut state) = self.handle.inner.state.lock() {
            state.listeners.remove(&self.id);
        }
    }
}

/// The running watchers.
#[derive(Default)]
pub struct Watchers {
    running: Mutex<HashMap<WatchKey, Weak<Handle>>>,
    next_id: AtomicU64,
}

impl Watchers {
    /// Registers `listener` for `workflow` on the watcher of `key`, starting it with `cluster`
    /// when none runs. The listener first receives what the watcher already knows.
    pub fn acquire(
        &self,
        key: WatchKey,
        resource: &Resource,
        cluster: &ClusterClient,
        workflow: &str,
        listener: Weak<dyn Listener>,
    ) -> Lease {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let handle = {
            let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
            running.retain(|_, h| h.strong_count() > 0);
            match running.get(&key).and_then(Weak::upgrade) {
                Some(handle) => handle,
                None => {
                    let handle = Arc::new(start(key.clone(), resource, cluster));
                    running.insert(key, Arc::downgrade(&handle));
                    handle
                }
            }
        };
        let known: Vec<Observation> = match handle.inner.state.lock() {
            Ok(mut state) => {
                state
                    .listeners
                    .insert(id, (workflow.to_string(), listener.clone()));
                state
                    .objects
                    .values()
                    .filter(|s| s.workflow == workflow)
                    .map(|s| s.observation.clone())
                    .collect()
            }
            Err(_) => Vec::new(),
        };
        if let Some(listener) = listener.upgrade() {
            for observation in known {
                listener.observe(observation);
            }
        }
        Lease { id, handle }
    }

    /// How many watchers run now.
    pub fn running(&self) -> usize {
        let running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        running.values().filter(|h| h.strong_count() > 0).count()
    }
}

fn start(key: WatchKey, resource: &Resource, cluster: &ClusterClient) -> Handle {
    let inner = Arc::new(Inner {
        key: key.clone(),
        state: Mutex::new(State::default()),
    });
    let stop = CancellationToken::new();
    let api: Api<DynamicObject> = match (&key.namespace, resource.namespaced) {
        (Some(ns), true) => Api::namespaced_with(cluster.client.clone(), ns, &resource.api),
        _ => Api::all_with(cluster.client.clone(), &resource.api),
    };
    tokio::spawn(run(api, inner.clone(), stop.clone(), cluster.clone()));
    Handle { inner, stop }
}

async fn run(
    api: Api<DynamicObject>,
    inner: Arc<Inner>,
    stop: CancellationToken,
    cluster: ClusterClient,
) {
    let config = WatchConfig::default().labels(WORKFLOW_LABEL);
    let mut events = watcher(api, config).default_backoff().boxed();
    tracing::debug!(key = ?inner.key, "watcher started");
    loop {
        let next = tokio::select! {
            _ = stop.cancelled() => break,
            next = events.next() => next,
        };
        match next {
            Some(Ok(Event::Init)) => inner.relist_started(),
            Some(Ok(Event::InitApply(object))) | Some(Ok(Event::Apply(object))) => {
                inner.apply(&object)
            }
            Some(Ok(Event::InitDone)) => inner.relist_done(),
            Some(Ok(Event::Delete(object))) => inner.delete(&object),
            Some(Err(error)) => {
                let message = cluster.scrub(&error.to_string());
                tracing::debug!(key = ?inner.key, "watch interrupted, retrying: {message}");
            }
            None => break,
        }
    }
    tracing::debug!(key = ?inner.key, "watcher stopped");
}
