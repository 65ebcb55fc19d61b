//! The deploy job (spec §5), run in the background: render results in → server-side dry-run of
//! everything → namespaces created → server-side apply level by level, in parallel within a
//! level → watchers pointed at the result → prune (the workflow's objects are listed beside the
//! applies and deleted after them) → the run recorded. Progress is published at each phase and
//! level and stored behind it ([`Saver`]); the final state is stored before it is published.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use app::model::{
    Edge, NodeResult, NodeState, NodeStatus, ObjectRef, Run, RunState, StepState, WorkflowStatus,
};

use super::applied::LastApplied;
use super::plan::{self, Outcome, Planned};
use super::saver::Saver;
use crate::cluster::resources::{Resolver, Resource};
use crate::cluster::watch::ObjectVersion;
use crate::cluster::{ClientFactory, ClusterClient};
use crate::live::Live;
use crate::store::records::now;
use crate::store::{ClusterRecord, DynStore, RunRecord};

/// Requests in flight at once during the dry-run and within a level.
pub const PARALLELISM: usize = 64;

/// Everything a deploy needs.
pub struct Job {
    /// The store.
    pub store: DynStore,
    /// Stores the run as it goes (into `store`).
    pub(super) saver: Saver,
    /// Live status (progress is published there).
    pub live: Arc<Live>,
    /// Clients.
    pub clients: Arc<ClientFactory>,
    /// The workflow's owner.
    pub owner_id: String,
    /// The cluster.
    pub cluster: ClusterRecord,
    /// The run being made.
    pub run: Run,
    /// Each node's rendering.
    pub planned: Vec<Planned>,
    /// The design's edges.
    pub edges: Vec<Edge>,
    /// Each object's last apply (tells an unchanged object from a status update).
    pub last_applied: Arc<LastApplied>,
}

/// An object ready to apply.
pub(super) struct Work {
    pub node_id: String,
    pub object: ObjectRef,
    pub body: Value,
    pub resource: Resource,
    /// The live object's resourceVersion seen by the dry-run (empty when it does not exist):
    /// an apply that keeps it changed nothing (see [`super::applied`]).
    pub seen_version: String,
}

impl Job {
    fn record(&self) -> RunRecord {
        RunRecord {
            owner_id: self.owner_id.clone(),
            run: self.run.clone(),
        }
    }

    /// Publishes the run as it is and has it stored.
    pub(super) fn save(&self) {
        self.live.run_update(&self.run);
        self.saver.save(self.record());
    }

    pub(super) fn phase(&mut self, phase: &str) {
        self.run.phase = phase.to_string();
        self.save();
    }

    pub(super) fn result(&mut self, node_id: &str) -> &mut NodeResult {
        self.run.nodes.entry(node_id.to_string()).or_default()
    }

    pub(super) fn set(&mut self, node_id: &str, state: StepState, message: impl Into<String>) {
        let result = self.result(node_id);
        result.state = state;
        result.message = message.into();
    }

    /// Publishes a node's status; `answer` is the object it was read from (an apply's answer),
    /// if any, so a newer status from the watchers is not replaced by it.
    pub(super) fn publish_status(
        &self,
        node_id: &str,
        object: &ObjectRef,
        status: NodeStatus,
        answer: Option<&serde_json::Value>,
    ) {
        let version = answer.and_then(ObjectVersion::of_json);
        self.live
            .node_status(&self.run, node_id, object, Some(status), version);
    }

    /// Marks every node still waiting as skipped with `why`.
    pub(super) fn skip_waiting(&mut self, why: &str) {
        for result in self.run.nodes.values_mut() {
            if result.state == StepState::Waiting {
                result.state = StepState::Skipped;
                result.message = why.to_string();
            }
        }
    }

    /// Ends the run: state from the node results, workflow status, saved and published.
    async fn finish(mut self, error: Option<String>) -> Run {
        let applied = self
            .run
            .nodes
            .values()
            .filter(|r| matches!(r.state, StepState::Applied | StepState::Unchanged))
            .count();
        let failed = self
            .run
            .nodes
            .values()
            .any(|r| r.state == StepState::Failed)
            || self.run.pruned.iter().any(|p| !p.error.is_empty());
        self.run.state = match (error.is_some() || failed, applied) {
            (false, _) => RunState::Succeeded,
            (true, 0) => RunState::Failed,
            (true, _) => RunState::Partial,
        };
        self.run.error = error;
        self.run.phase = "finished".into();
        self.run.finished_at = Some(now());
        let status = if self.run.state == RunState::Succeeded {
            WorkflowStatus::Deployed
        } else {
            WorkflowStatus::Failed
        };
        if let Err(e) = self
            .store
            .set_workflow_status(&self.owner_id, &self.run.workflow_id, status)
            .await
        {
            tracing::error!("cannot set the workflow status: {e}");
        }
        let record = self.record();
        self.saver.finish(record).await;
        self.live.run_update(&self.run);
        tracing::info!(run = %self.run.id, state = self.run.state.as_str(), "deploy finished");
        self.run
    }

    /// Runs the deploy to its end.
    pub async fn execute(mut self) -> Run {
        self.run.state = RunState::Running;
        self.record_renders();
        self.phase("rendered");
        let broken = self
            .run
            .nodes
            .values()
            .filter(|r| r.state == StepState::Failed)
            .count();
        if broken > 0 {
            self.skip_waiting("not applied: other nodes of the design have errors");
            let error = format!(
                "{broken} node(s) have errors; nothing was applied. Fix them and run again."
            );
            return self.finish(Some(error)).await;
        }
        let order = match plan::order(&self.planned, &self.edges) {
            Ok(order) => order,
            Err(cycle) => {
                self.skip_waiting("not applied");
                return self
                    .finish(Some(format!("{cycle}; nothing was applied.")))
                    .await;
            }
        };
        for (node, level) in &order.level_of {
            self.result(node).level = *level;
        }
        let cluster = match self.clients.client(&self.cluster).await {
            Ok(cluster) => cluster,
            Err(error) => {
                self.skip_waiting("not applied: the cluster cannot be reached");
                return self
                    .finish(Some(format!("Cannot connect to the cluster: {error}")))
                    .await;
            }
        };
        let work = match self.resolve(&cluster).await {
            Some(work) => work,
            None => return self.finish(Some(dry_run_failed())).await,
        };
        self.phase("dry-run");
        let mut work = work;
        if self.keep_secrets(&cluster, &mut work).await.is_err() {
            return self.finish(Some(dry_run_failed())).await;
        }
        let missing = match self.dry_run(&cluster, &mut work).await {
            Ok(missing) => missing,
            Err(()) => return self.finish(Some(dry_run_failed())).await,
        };
        for w in work.values() {
            self.publish_status(
                &w.node_id,
                &w.object,
                NodeStatus::new(NodeState::Pending, "Waiting to be applied"),
                None,
            );
        }
        // Every object about to be applied is in the stored run before the cluster changes.
        self.saver.stored().await;
        let listing = super::prune::start_listing(&self, &cluster);
        self.create_namespaces(&cluster, &missing).await;
        self.apply_levels(&cluster, &order, &work).await;
        self.live.retarget(&self.owner_id, &self.run).await;
        self.phase("pruning");
        super::prune::prune(&mut self, &cluster, listing).await;
        self.finish(None).await
    }

    fn record_renders(&mut self) {
        let planned = std::mem::take(&mut self.planned);
        for p in &planned {
            let result = self.result(&p.node_id);
            match &p.outcome {
                Outcome::Object { object, .. } => {
                    result.state = StepState::Waiting;
                    result.object = Some(object.clone());
                }
                Outcome::Skipped(why) => {
                    result.state = StepState::Skipped;
                    result.message = why.clone();
                }
                Outcome::Failed(errors) => {
                    result.state = StepState::Failed;
                    result.message = errors.clone();
                }
            }
        }
        self.planned = planned;
    }

    /// The resource of every object; `None` (nodes marked) when some kind is not served.
    async fn resolve(&mut self, cluster: &ClusterClient) -> Option<HashMap<String, Work>> {
        let mut resolver = Resolver::default();
        let mut work = HashMap::new();
        let mut unserved = Vec::new();
        for p in &self.planned {
            let Some((object, body)) = p.object() else {
                continue;
            };
            match resolver
                .resolve(cluster, &object.api_version, &object.kind)
                .await
            {
                Ok(resource) => {
                    let item = Work {
                        node_id: p.node_id.clone(),
                        object: object.clone(),
                        body: body.clone(),
                        resource,
                        seen_version: String::new(),
                    };
                    work.insert(p.node_id.clone(), item);
                }
                Err(message) => unserved.push((p.node_id.clone(), message)),
            }
        }
        let ok = unserved.is_empty();
        for (node, message) in unserved {
            self.set(&node, StepState::Failed, message);
        }
        if !ok {
            self.skip_waiting("not applied: the dry-run found errors");
        }
        ok.then_some(work)
    }
}

fn dry_run_failed() -> String {
    "The server-side dry-run found errors; nothing was applied. See the failed nodes.".into()
}
