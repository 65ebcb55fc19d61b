//! The payloads of a workflow's live event stream (`GET /api/workflows/{id}/events`, spec §6).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::run::Run;
use super::status::NodeStatus;

/// Event names on the stream.
pub mod names {
    /// Every node status (and the latest run), sent first and after a gap.
    pub const SNAPSHOT: &str = "snapshot";
    /// One node's status changed.
    pub const NODE_UPDATE: &str = "node_update";
    /// A run progressed.
    pub const RUN_UPDATE: &str = "run_update";
    /// The workflow was saved as a new version.
    pub const WORKFLOW_SAVED: &str = "workflow_saved";
}

/// `snapshot`: all known node statuses and the latest run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Status by node id (nodes without a live object are absent).
    pub nodes: BTreeMap<String, NodeStatus>,
    /// The latest run, if any.
    #[serde(default)]
    pub run: Option<RunUpdate>,
}

/// `node_update`: a node's status (`null` when its object is gone).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeUpdate {
    /// The node.
    pub node_id: String,
    /// Its status, `None` when it has no live object any more.
    pub status: Option<NodeStatus>,
}

/// `run_update`: the run with its per-node results (`run_id` is the run's id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunUpdate {
    /// The run's id.
    pub run_id: String,
    /// The run.
    #[serde(flatten)]
    pub run: Run,
}

impl From<Run> for RunUpdate {
    fn from(run: Run) -> Self {
        RunUpdate {
            run_id: run.id.clone(),
            run,
        }
    }
}

/// `workflow_saved`: a new version exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowSaved {
    /// Its number.
    pub version: u64,
}
