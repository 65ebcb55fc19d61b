//! Live status of a node's object in the cluster (spec §6). Kept apart from the design: never
//! stored in node data or versions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How a node's object is doing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeState {
    /// Created, nothing running yet (or waiting to be applied).
    Pending,
    /// Rolling out / starting / binding.
    Progressing,
    /// Does what it should.
    Healthy,
    /// Works, but below what was asked (e.g. fewer ready replicas than desired).
    Degraded,
    /// Does not work, and will not without a change (the message says why).
    Failed,
    /// Status cannot be told.
    #[default]
    Unknown,
}

impl NodeState {
    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeState::Pending => "pending",
            NodeState::Progressing => "progressing",
            NodeState::Healthy => "healthy",
            NodeState::Degraded => "degraded",
            NodeState::Failed => "failed",
            NodeState::Unknown => "unknown",
        }
    }
}

/// A node's live status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeStatus {
    /// The state.
    pub state: NodeState,
    /// One line for the tooltip, e.g. "2/3 pods ready".
    #[serde(default)]
    pub message: String,
    /// Kind-specific facts (`ready`, `desired`, `ip`, `capacity`, …) as short strings.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, String>,
}

impl NodeStatus {
    /// A status without details.
    pub fn new(state: NodeState, message: impl Into<String>) -> Self {
        NodeStatus {
            state,
            message: message.into(),
            details: BTreeMap::new(),
        }
    }

    /// Adds a detail.
    pub fn with(mut self, key: &str, value: impl ToString) -> Self {
        self.details.insert(key.to_string(), value.to_string());
        self
    }
}

/// Which object in the cluster a node became.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectRef {
    /// apiVersion, e.g. `apps/v1`.
    pub api_version: String,
    /// kind, e.g. `Deployment`.
    pub kind: String,
    /// Namespace (`None` when cluster-scoped).
    #[serde(default)]
    pub namespace: Option<String>,
    /// Name.
    pub name: String,
}

impl std::fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {}/{}", self.kind, ns, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}
