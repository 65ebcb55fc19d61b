//! The cluster-facing steps of a deploy: dry-run, namespaces, levels of applies.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use futures::{stream, StreamExt};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;
use serde_json::{json, Value};

use app::domain::deploy::{CREATED_BY_LABEL, MANAGED_BY_LABEL, MANAGER};
use app::domain::status::derive;
use app::model::{NodeState, NodeStatus, StepState};

use super::applied;
use super::engine::{Job, Work, PARALLELISM};
use super::plan::{self, Order};
use crate::cluster::apply::{self, CallError, Target};
use crate::cluster::resources::namespaces as namespace_resource;
use crate::cluster::ClusterClient;

fn target_of(w: &Work) -> Target<'_> {
    Target {
        resource: &w.resource,
        namespace: w.object.namespace.as_deref(),
        name: &w.object.name,
    }
}

fn resource_version(object: &Value) -> String {
    object
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// What a dry-run's answer is read for: the live object's resourceVersion (the rest of the
/// object is skipped, not built).
#[derive(Default, Deserialize)]
struct DryRun {
    #[serde(default)]
    metadata: DryRunMeta,
}

#[derive(Default, Deserialize)]
struct DryRunMeta {
    #[serde(default, rename = "resourceVersion")]
    resource_version: String,
}

/// A namespace created for a workflow, labelled as ours.
pub fn namespace_body(name: &str, workflow_id: &str) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": name,
            "labels": { MANAGED_BY_LABEL: MANAGER, CREATED_BY_LABEL: workflow_id }
        }
    })
}

/// Applies (or dry-runs) one object; returns its node, the answer (read as `T`) and how long it
/// took.
async fn apply_one<T: DeserializeOwned>(
    cluster: &ClusterClient,
    w: &Work,
    dry_run: bool,
) -> (String, Result<T, CallError>, Duration) {
    let started = Instant::now();
    let outcome = apply::apply(cluster, &target_of(w), &w.body, dry_run).await;
    (w.node_id.clone(), outcome, started.elapsed())
}

/// The dry-run of creating namespace `ns` for a workflow.
async fn check_creation(
    cluster: &ClusterClient,
    resource: &crate::cluster::resources::Resource,
    ns: String,
    workflow_id: &str,
) -> (String, Result<(), CallError>) {
    let target = Target {
        resource,
        namespace: None,
        name: &ns,
    };
    let body = namespace_body(&ns, workflow_id);
    let made = apply::apply::<IgnoredAny>(cluster, &target, &body, true)
        .await
        .map(|_| ());
    (ns, made)
}

impl Job {
    /// The dry-runs of creating the namespaces in `absent`; the failures by node.
    async fn new_namespaces(
        &self,
        cluster: &ClusterClient,
        absent: BTreeSet<String>,
    ) -> (Vec<String>, Vec<(String, String)>) {
        let ns_resource = namespace_resource();
        let by_ns = plan::by_namespace(&self.planned);
        let futures: Vec<_> = absent
            .into_iter()
            .map(|ns| check_creation(cluster, &ns_resource, ns, &self.run.workflow_id))
            .collect();
        let checks = stream::iter(futures)
            .buffer_unordered(PARALLELISM)
            .collect::<Vec<_>>()
            .await;
        let (mut missing, mut failures) = (Vec::new(), Vec::new());
        for (ns, made) in checks {
            match made {
                Ok(()) => missing.push(ns),
                Err(e) => {
                    let problem = format!("cannot create namespace {ns}: {}", e.message);
                    for node in by_ns.get(&ns).into_iter().flatten() {
                        failures.push((node.clone(), problem.clone()));
                    }
                }
            }
        }
        missing.sort();
        (missing, failures)
    }

    /// Secrets rendered without values are kept as the cluster has them: skipped when they
    /// exist, an error (nothing is applied) when they do not.
    pub(super) async fn keep_secrets(
        &mut self,
        cluster: &ClusterClient,
        work: &mut HashMap<String, Work>,
    ) -> Result<(), ()> {
        let keep: Vec<String> = self
            .planned
            .iter()
            .filter(|p| p.keep_existing)
            .map(|p| p.node_id.clone())
            .collect();
        let mut ok = true;
        for node in keep {
            let Some(w) = work.remove(&node) else {
                continue;
            };
            match apply::get(cluster, &target_of(&w)).await {
                Ok(Some(mut live)) => {
                    self.set(
                        &node,
                        StepState::Unchanged,
                        "kept as it is: no new values were entered",
                    );
                    if let Some(map) = live.as_object_mut() {
                        map.entry("kind").or_insert_with(|| json!(w.object.kind));
                    }
                    self.publish_status(&node, &w.object, derive(&live), Some(&live));
                }
                Ok(None) => {
                    self.set(
                        &node,
                        StepState::Failed,
                        "enter values for this Secret's keys to create it",
                    );
                    ok = false;
                }
                Err(e) => {
                    self.set(&node, StepState::Failed, e.message);
                    ok = false;
                }
            }
        }
        if !ok {
            self.skip_waiting("not applied: the dry-run found errors in other nodes");
        }
        if ok {
            Ok(())
        } else {
            Err(())
        }
    }

    /// Dry-runs every object. The API server answers for an object whose namespace does not
    /// exist that the namespace is not found: those namespaces get the dry-run of their creation
    /// (a second round trip only then; no namespace is read), and their objects cannot be
    /// checked before the namespace exists (those answers are not held against them). Returns
    /// the namespaces to create; on any failure marks the nodes and applies nothing.
    pub(super) async fn dry_run(
        &mut self,
        cluster: &ClusterClient,
        work: &mut HashMap<String, Work>,
    ) -> Result<Vec<String>, ()> {
        let futures: Vec<_> = work
            .values()
            .map(|w| apply_one::<DryRun>(cluster, w, true))
            .collect();
        let outcomes = stream::iter(futures)
            .buffer_unordered(PARALLELISM)
            .collect::<Vec<_>>()
            .await;
        let absent: BTreeSet<String> = outcomes
            .iter()
            .filter_map(|(node, outcome, _)| {
                let ns = work.get(node)?.object.namespace.as_deref()?;
                outcome
                    .as_ref()
                    .err()?
                    .is_missing_namespace(ns)
                    .then(|| ns.to_string())
            })
            .collect();
        let (missing, mut failures) = if absent.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            self.new_namespaces(cluster, absent).await
        };
        for (node, outcome, _) in outcomes {
            let Some(w) = work.get_mut(&node) else {
                continue;
            };
            let namespace_missing = w
                .object
                .namespace
                .as_ref()
                .is_some_and(|ns| missing.contains(ns));
            match outcome {
                _ if namespace_missing => {}
                Ok(planned) => w.seen_version = planned.metadata.resource_version,
                Err(e) => failures.push((node, e.message)),
            }
        }
        if failures.is_empty() {
            return Ok(missing);
        }
        for (node, message) in failures {
            let message = format!("dry-run: {message}");
            if let Some(w) = work.get(&node) {
                self.publish_status(
                    &node,
                    &w.object,
                    NodeStatus::new(NodeState::Failed, message.clone()),
                    None,
                );
            }
            self.set(&node, StepState::Failed, message);
        }
        self.skip_waiting("not applied: the dry-run found errors in other nodes");
        Err(())
    }

    /// Creates the namespaces that do not exist (labelled as ours).
    pub(super) async fn create_namespaces(&mut self, cluster: &ClusterClient, missing: &[String]) {
        let ns_resource = namespace_resource();
        let by_ns = plan::by_namespace(&self.planned);
        for ns in missing {
            let target = Target {
                resource: &ns_resource,
                namespace: None,
                name: ns,
            };
            let body = namespace_body(ns, &self.run.workflow_id);
            match apply::apply::<IgnoredAny>(cluster, &target, &body, false).await {
                Ok(_) => self.run.namespaces_created.push(ns.clone()),
                Err(e) => {
                    let message = format!("cannot create namespace {ns}: {}", e.message);
                    for node in by_ns.get(ns).into_iter().flatten() {
                        self.set(node, StepState::Failed, message.clone());
                    }
                }
            }
        }
    }

    /// Applies level after level; within a level everything at once. A node whose dependency
    /// was not applied is skipped; nodes that do not depend on a failure go on.
    pub(super) async fn apply_levels(
        &mut self,
        cluster: &ClusterClient,
        order: &Order,
        work: &HashMap<String, Work>,
    ) {
        let total = order.levels.len();
        for (index, level) in order.levels.iter().enumerate() {
            let mut ready = Vec::new();
            for node in level {
                if self
                    .run
                    .nodes
                    .get(node)
                    .is_some_and(|r| r.state != StepState::Waiting)
                {
                    continue;
                }
                match self.blocked_by(order, node) {
                    Some(blocker) => self.set(
                        node,
                        StepState::Skipped,
                        format!("not applied: it needs node {blocker}, which was not applied"),
                    ),
                    None => {
                        self.set(node, StepState::Applying, "");
                        ready.push(node.clone());
                    }
                }
            }
            self.phase(&format!("applying level {} of {total}", index + 1));
            let futures: Vec<_> = ready
                .iter()
                .filter_map(|n| work.get(n))
                .map(|w| apply_one::<Value>(cluster, w, false))
                .collect();
            let outcomes = stream::iter(futures)
                .buffer_unordered(PARALLELISM)
                .collect::<Vec<_>>()
                .await;
            for (node, outcome, took) in outcomes {
                if let Some(w) = work.get(&node) {
                    self.record_apply(w, outcome, took);
                }
            }
        }
        self.save();
    }

    fn record_apply(&mut self, w: &Work, outcome: Result<Value, CallError>, took: Duration) {
        let key = applied::key(
            &self.cluster.id,
            &w.resource.api.api_version,
            &w.resource.api.plural,
            w.object.namespace.as_deref(),
            &w.object.name,
        );
        let (status, answer) = match outcome {
            Ok(mut answer) => {
                let digest = applied::digest(&answer);
                let previous = self.last_applied.replace(key, digest);
                let unchanged = applied::unchanged(
                    &w.seen_version,
                    &resource_version(&answer),
                    &digest,
                    previous.as_ref(),
                );
                let (state, message) = if unchanged {
                    (StepState::Unchanged, "unchanged")
                } else {
                    (StepState::Applied, "applied")
                };
                self.set(&w.node_id, state, message);
                if let Some(map) = answer.as_object_mut() {
                    map.entry("kind").or_insert_with(|| json!(w.object.kind));
                }
                (derive(&answer), Some(answer))
            }
            Err(e) => {
                self.last_applied.forget(&key);
                self.set(&w.node_id, StepState::Failed, e.message.clone());
                (NodeStatus::new(NodeState::Failed, e.message), None)
            }
        };
        self.result(&w.node_id).duration_ms = Some(took.as_millis() as u64);
        self.publish_status(&w.node_id, &w.object, status, answer.as_ref());
    }

    /// The first dependency of `node` that did not get applied, if any.
    fn blocked_by(&self, order: &Order, node: &str) -> Option<String> {
        order.needs.get(node)?.iter().find_map(|dep| {
            let state = self.run.nodes.get(dep).map(|r| r.state);
            (!matches!(state, Some(StepState::Applied | StepState::Unchanged))).then(|| dep.clone())
        })
    }
}
