//! Workloads: ready against desired replicas, rollout conditions, Job completion.

use serde_json::Value;

use super::fields::{condition, int, no_status, not_observed, text};
use crate::model::{NodeState, NodeStatus};

fn replicas(state: NodeState, message: String, ready: i64, desired: i64) -> NodeStatus {
    NodeStatus::new(state, message)
        .with("ready", ready)
        .with("desired", desired)
}

/// Deployment: `Progressing=False` (deadline exceeded) or `ReplicaFailure` fail it; before the
/// rollout completes it is progressing; after, fewer ready replicas than desired is degraded.
pub fn deployment(d: &Value) -> NodeStatus {
    let desired = int(d, "/spec/replicas", 1);
    let ready = int(d, "/status/readyReplicas", 0);
    let updated = int(d, "/status/updatedReplicas", 0);
    let available = int(d, "/status/availableReplicas", 0);
    let progressing = condition(d, "Progressing");
    if let Some(p) = progressing.as_ref().filter(|p| p.is_false()) {
        let status = replicas(NodeState::Failed, p.explain().to_string(), ready, desired);
        return status.with("reason", p.reason);
    }
    if let Some(f) = condition(d, "ReplicaFailure").filter(|c| c.is_true()) {
        return replicas(NodeState::Failed, f.explain().to_string(), ready, desired);
    }
    let summary = format!("{ready}/{desired} pods ready");
    if desired == 0 && !not_observed(d) {
        return replicas(NodeState::Healthy, "Scaled to 0".into(), 0, 0);
    }
    if no_status(d) || (int(d, "/status/replicas", 0) == 0 && ready == 0) {
        return replicas(
            NodeState::Pending,
            format!("Waiting for pods ({summary})"),
            ready,
            desired,
        );
    }
    let complete = progressing
        .as_ref()
        .is_some_and(|p| p.is_true() && p.reason == "NewReplicaSetAvailable");
    if not_observed(d) || updated < desired || (!complete && ready < desired) {
        let message = if updated < desired && ready >= desired {
            format!("Rolling out: {updated}/{desired} pods updated")
        } else {
            format!("Rolling out: {summary}")
        };
        return replicas(NodeState::Progressing, message, ready, desired).with("updated", updated);
    }
    if ready < desired || available < desired {
        return replicas(
            NodeState::Degraded,
            format!("Only {summary}"),
            ready,
            desired,
        );
    }
    replicas(NodeState::Healthy, summary, ready, desired)
}

/// StatefulSet: ordered pods become ready; a revision change is a rollout.
pub fn statefulset(s: &Value) -> NodeStatus {
    let desired = int(s, "/spec/replicas", 1);
    let ready = int(s, "/status/readyReplicas", 0);
    let summary = format!("{ready}/{desired} pods ready");
    if desired == 0 && !not_observed(s) {
        return replicas(NodeState::Healthy, "Scaled to 0".into(), 0, 0);
    }
    if no_status(s) {
        return replicas(
            NodeState::Pending,
            format!("Waiting for pods ({summary})"),
            ready,
            desired,
        );
    }
    let rolling = text(s, "/status/updateRevision") != text(s, "/status/currentRevision");
    if not_observed(s) || rolling || ready < desired {
        let state = if ready == 0 && int(s, "/status/replicas", 0) == 0 {
            NodeState::Pending
        } else {
            NodeState::Progressing
        };
        return replicas(state, format!("Rolling out: {summary}"), ready, desired);
    }
    replicas(NodeState::Healthy, summary, ready, desired)
}

/// DaemonSet: one pod per eligible node.
pub fn daemonset(d: &Value) -> NodeStatus {
    if no_status(d) {
        return NodeStatus::new(NodeState::Pending, "Waiting for pods");
    }
    let desired = int(d, "/status/desiredNumberScheduled", 0);
    let ready = int(d, "/status/numberReady", 0);
    let updated = int(d, "/status/updatedNumberScheduled", desired);
    let summary = format!("{ready}/{desired} pods ready");
    if desired == 0 && !not_observed(d) {
        return replicas(NodeState::Healthy, "No node to run on".into(), 0, 0);
    }
    if not_observed(d) || updated < desired || ready < desired {
        return replicas(
            NodeState::Progressing,
            format!("Rolling out: {summary}"),
            ready,
            desired,
        );
    }
    replicas(NodeState::Healthy, summary, ready, desired)
}

/// Job: complete, failed (with the controller's message), running or waiting.
pub fn job(j: &Value) -> NodeStatus {
    let succeeded = int(j, "/status/succeeded", 0);
    let failed = int(j, "/status/failed", 0);
    let active = int(j, "/status/active", 0);
    let counts = |s: NodeStatus| {
        s.with("succeeded", succeeded)
            .with("failed", failed)
            .with("active", active)
    };
    if condition(j, "Complete").is_some_and(|c| c.is_true()) {
        return counts(NodeStatus::new(
            NodeState::Healthy,
            format!("Completed ({succeeded} succeeded)"),
        ));
    }
    if let Some(c) = condition(j, "Failed").filter(|c| c.is_true()) {
        return counts(NodeStatus::new(NodeState::Failed, c.explain().to_string()));
    }
    if j.pointer("/spec/suspend").and_then(Value::as_bool) == Some(true) {
        return counts(NodeStatus::new(NodeState::Pending, "Suspended"));
    }
    if active > 0 {
        let message = match failed {
            0 => format!("Running ({active} active)"),
            n => format!("Running ({active} active, {n} failed attempts)"),
        };
        return counts(NodeStatus::new(NodeState::Progressing, message));
    }
    counts(NodeStatus::new(NodeState::Pending, "Waiting to start"))
}

/// CronJob: healthy once scheduled (suspended is degraded: it will not run).
pub fn cronjob(c: &Value) -> NodeStatus {
    let schedule = text(c, "/spec/schedule");
    if c.pointer("/spec/suspend").and_then(Value::as_bool) == Some(true) {
        return NodeStatus::new(NodeState::Degraded, "Suspended: no new runs are started")
            .with("schedule", schedule);
    }
    let active = c
        .pointer("/status/active")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let last = text(c, "/status/lastScheduleTime");
    let message = match (active, last) {
        (n, _) if n > 0 => format!("Running {n} job(s)"),
        (_, "") => format!("Scheduled ({schedule}), not run yet"),
        (_, at) => format!("Last run {at}"),
    };
    NodeStatus::new(NodeState::Healthy, message).with("schedule", schedule)
}
