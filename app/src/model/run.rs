//! Deployment runs (spec §1, §5): one Run of one version, with a result per node.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::status::ObjectRef;

/// Where a run stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunState {
    /// Accepted, not started yet.
    #[default]
    Queued,
    /// Rendering, dry-run, applying, pruning.
    Running,
    /// Every node applied (and pruning succeeded).
    Succeeded,
    /// Some nodes applied, some failed.
    Partial,
    /// Nothing was applied (render or dry-run failed, or the cluster was unreachable), or every
    /// node failed.
    Failed,
}

impl RunState {
    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Queued => "queued",
            RunState::Running => "running",
            RunState::Succeeded => "succeeded",
            RunState::Partial => "partial",
            RunState::Failed => "failed",
        }
    }

    /// True once the run is over.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            RunState::Succeeded | RunState::Partial | RunState::Failed
        )
    }
}

/// What happened to one node in a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepState {
    /// Waiting for its level.
    #[default]
    Waiting,
    /// Being applied now.
    Applying,
    /// Applied (created or changed).
    Applied,
    /// Applied, nothing changed.
    Unchanged,
    /// Not applied: the message says why.
    Failed,
    /// Not applied because nothing was (an earlier phase failed) or the node renders nothing.
    Skipped,
}

impl StepState {
    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            StepState::Waiting => "waiting",
            StepState::Applying => "applying",
            StepState::Applied => "applied",
            StepState::Unchanged => "unchanged",
            StepState::Failed => "failed",
            StepState::Skipped => "skipped",
        }
    }
}

/// One node's result in a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeResult {
    /// The step state.
    pub state: StepState,
    /// Error (credentials scrubbed) or note.
    #[serde(default)]
    pub message: String,
    /// The dependency level it is applied in (0 first).
    #[serde(default)]
    pub level: u32,
    /// The object it renders to.
    #[serde(default)]
    pub object: Option<ObjectRef>,
    /// How long its apply took, in milliseconds.
    #[serde(default)]
    pub duration_ms: Option<u64>,
}

/// An object deleted because its node left the design.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrunedObject {
    /// The object.
    pub object: ObjectRef,
    /// The node it came from (its `kubeorch.io/node` label).
    #[serde(default)]
    pub node_id: Option<String>,
    /// Empty when deleted, else why not.
    #[serde(default)]
    pub error: String,
}

/// One deployment of a workflow version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    /// Server-assigned id.
    pub id: String,
    /// The workflow.
    pub workflow_id: String,
    /// The cluster deployed to.
    pub cluster_id: String,
    /// The version deployed (`kind: deploy`).
    pub version: u64,
    /// Where it stands.
    pub state: RunState,
    /// The current phase, e.g. `rendering`, `dry-run`, `applying level 2 of 4`, `pruning`.
    #[serde(default)]
    pub phase: String,
    /// A run-wide error (credentials scrubbed), e.g. the dry-run failure.
    #[serde(default)]
    pub error: Option<String>,
    /// Per-node results by node id.
    #[serde(default)]
    pub nodes: BTreeMap<String, NodeResult>,
    /// Namespaces created by this run.
    #[serde(default)]
    pub namespaces_created: Vec<String>,
    /// Objects pruned by this run.
    #[serde(default)]
    pub pruned: Vec<PrunedObject>,
    /// Start time.
    #[serde(deserialize_with = "crate::model::time::deserialize")]
    pub started_at: DateTime<Utc>,
    /// End time, once finished.
    #[serde(default, deserialize_with = "crate::model::time::option")]
    pub finished_at: Option<DateTime<Utc>>,
}
