//! One workflow's live view: node statuses (from the watchers and from runs), the latest run,
//! and its event [`Hub`]. It listens to the shared watchers of the resources its last run
//! deployed, through leases it holds while open.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use app::domain::deploy::same_object;
use app::model::events::{names, NodeUpdate, RunUpdate, Snapshot, WorkflowSaved};
use app::model::{NodeState, NodeStatus, ObjectRef, Run, StepState};

use crate::cluster::watch::{Lease, Listener, ObjectVersion, Observation, WatchKey};
use crate::events::hub::{Hub, Subscription};

#[derive(Default)]
pub(super) struct HubState {
    /// The cluster the watched objects live in (the latest run's).
    pub cluster_id: Option<String>,
    /// Node → (object, status, the object's version the status is of).
    pub statuses: BTreeMap<String, (ObjectRef, NodeStatus, Option<ObjectVersion>)>,
    /// The latest run.
    pub run: Option<Run>,
    /// Leases on the watchers, by key.
    pub leases: BTreeMap<String, Lease>,
}

/// A workflow's live view.
pub struct WorkflowHub {
    /// The workflow.
    pub workflow_id: String,
    pub(super) events: Hub,
    pub(super) state: Mutex<HubState>,
    pub(super) subscribers: AtomicUsize,
    pub(super) generation: AtomicU64,
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// Lease map key for a watch key.
pub(super) fn lease_name(key: &WatchKey) -> String {
    format!(
        "{}@{}|{}|{}|{}",
        key.cluster_id,
        key.generation,
        key.api_version,
        key.kind,
        key.namespace.as_deref().unwrap_or("")
    )
}

impl WorkflowHub {
    pub(super) fn new(workflow_id: &str, buffer: usize, queue: usize) -> Self {
        WorkflowHub {
            workflow_id: workflow_id.to_string(),
            events: Hub::new(buffer, queue),
            state: Mutex::new(HubState::default()),
            subscribers: AtomicUsize::new(0),
            generation: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HubState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Subscribes with the client's `Last-Event-ID`.
    pub fn subscribe(&self, last_event_id: Option<u64>) -> Subscription {
        self.events.subscribe(last_event_id, || {
            (names::SNAPSHOT.to_string(), json(&self.snapshot()))
        })
    }

    /// Every known node status and the latest run. Nodes whose last apply failed and that have
    /// no live object show as failed with the error.
    pub fn snapshot(&self) -> Snapshot {
        let state = self.lock();
        let mut nodes: BTreeMap<String, NodeStatus> = state
            .statuses
            .iter()
            .map(|(node, (_, status, _))| (node.clone(), status.clone()))
            .collect();
        if let Some(run) = &state.run {
            for (node, result) in &run.nodes {
                if result.state == StepState::Failed && !nodes.contains_key(node) {
                    nodes.insert(
                        node.clone(),
                        NodeStatus::new(NodeState::Failed, result.message.clone()),
                    );
                }
            }
        }
        Snapshot {
            nodes,
            run: state.run.clone().map(RunUpdate::from),
        }
    }

    /// Records a node's status (from a watcher or a run) and publishes it when it changed.
    /// Observations of another cluster, or of an object the latest run did not make for that
    /// node (an old one about to be pruned), are ignored, and so is a status of an older
    /// `version` of the object than the one shown (an apply's answer that arrives after the
    /// watcher reported what the controllers did next).
    pub fn set_status(
        &self,
        cluster_id: &str,
        node_id: &str,
        object: &ObjectRef,
        status: Option<NodeStatus>,
        version: Option<ObjectVersion>,
    ) {
        let update = {
            let mut state = self.lock();
            if state.cluster_id.as_deref() != Some(cluster_id) {
                return;
            }
            let expected = state
                .run
                .as_ref()
                .and_then(|r| r.nodes.get(node_id))
                .and_then(|r| r.object.as_ref());
            if expected.is_some_and(|e| !same_object(e, object)) {
                return;
            }
            let current = state.statuses.get(node_id);
            match status {
                Some(status) => {
                    let shown = current.filter(|(o, ..)| o == object);
                    if let (Some(new), Some((_, _, Some(old)))) = (&version, shown) {
                        if new.is_older_than(old) {
                            return;
                        }
                    }
                    let same = shown.is_some_and(|(_, s, _)| *s == status);
                    state.statuses.insert(
                        node_id.to_string(),
                        (object.clone(), status.clone(), version),
                    );
                    if same {
                        return;
                    }
                    Some(status)
                }
                None => {
                    if !current.is_some_and(|(o, ..)| same_object(o, object)) {
                        return;
                    }
                    state.statuses.remove(node_id);
                    None
                }
            }
        };
        let payload = NodeUpdate {
            node_id: node_id.to_string(),
            status: update,
        };
        self.events.publish(names::NODE_UPDATE, &json(&payload));
    }

    /// Records and publishes a run's progress.
    pub fn set_run(&self, run: &Run) {
        {
            let mut state = self.lock();
            state.cluster_id = Some(run.cluster_id.clone());
            state.run = Some(run.clone());
        }
        self.events
            .publish(names::RUN_UPDATE, &json(&RunUpdate::from(run.clone())));
    }

    /// Publishes that a version was saved.
    pub fn saved(&self, version: u64) {
        self.events
            .publish(names::WORKFLOW_SAVED, &json(&WorkflowSaved { version }));
    }

    /// How many clients are connected.
    pub fn subscriber_count(&self) -> usize {
        self.subscribers.load(Ordering::Relaxed)
    }
}

impl Listener for WorkflowHub {
    fn observe(&self, observation: Observation) {
        self.set_status(
            &observation.cluster_id,
            &observation.node_id,
            &observation.object,
            observation.status,
            observation.version,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(uid: &str, resource_version: u64) -> Option<ObjectVersion> {
        Some(ObjectVersion {
            uid: uid.into(),
            resource_version,
        })
    }

    #[test]
    fn a_status_of_an_older_version_of_the_object_does_not_replace_a_newer_one() {
        let hub = WorkflowHub::new("w", 16, 16);
        hub.lock().cluster_id = Some("c".into());
        let pvc = ObjectRef {
            api_version: "v1".into(),
            kind: "PersistentVolumeClaim".into(),
            namespace: Some("default".into()),
            name: "uploads".into(),
        };
        let bound = NodeStatus::new(NodeState::Healthy, "Bound");
        let pending = NodeStatus::new(NodeState::Pending, "Waiting for a volume to be bound");
        let shown = || hub.snapshot().nodes["pvc"].clone();

        // The watcher saw the claim bound before the apply's answer (of the claim as created)
        // was published.
        hub.set_status("c", "pvc", &pvc, Some(bound.clone()), version("u1", 23));
        hub.set_status("c", "pvc", &pvc, Some(pending.clone()), version("u1", 21));
        assert_eq!(shown(), bound);
        // The same object at a later version, a re-created one, and a status without a version
        // (before an apply) are taken.
        hub.set_status("c", "pvc", &pvc, Some(pending.clone()), version("u1", 24));
        assert_eq!(shown(), pending);
        hub.set_status("c", "pvc", &pvc, Some(bound.clone()), version("u2", 3));
        assert_eq!(shown(), bound);
        hub.set_status("c", "pvc", &pvc, Some(pending.clone()), None);
        assert_eq!(shown(), pending);
    }

    #[test]
    fn versions_are_read_from_an_objects_metadata() {
        let answer = serde_json::json!({"metadata": {"uid": "u1", "resourceVersion": "42"}});
        assert_eq!(ObjectVersion::of_json(&answer), version("u1", 42));
        let opaque = serde_json::json!({"metadata": {"uid": "u1", "resourceVersion": "a1"}});
        assert_eq!(ObjectVersion::of_json(&opaque), None);
        assert_eq!(ObjectVersion::of(None, Some("1")), None);
    }
}
