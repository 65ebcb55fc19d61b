//! Live status of an object, derived by one pure function per kind (spec §6) from the object as
//! the API server returns it (JSON, so the same code serves typed kinds and custom objects, in
//! the server and in tests). Unknown kinds fall back to their `Ready`/`Available` conditions.

mod fields;
mod others;
mod workloads;

#[cfg(test)]
mod tests;

use serde_json::Value;

use crate::model::{NodeState, NodeStatus};
use fields::text;

/// The status of `object` (a Kubernetes object as JSON).
pub fn derive(object: &Value) -> NodeStatus {
    if object.pointer("/metadata/deletionTimestamp").is_some() {
        return NodeStatus::new(NodeState::Progressing, "Being deleted");
    }
    let rule: fn(&Value) -> NodeStatus = match text(object, "/kind") {
        "Deployment" => workloads::deployment,
        "StatefulSet" => workloads::statefulset,
        "DaemonSet" => workloads::daemonset,
        "Job" => workloads::job,
        "CronJob" => workloads::cronjob,
        "Service" => others::service,
        "Ingress" => others::ingress,
        "PersistentVolumeClaim" => others::pvc,
        "HorizontalPodAutoscaler" => others::hpa,
        "ConfigMap" | "Secret" => others::config,
        "NetworkPolicy" => others::network_policy,
        _ => others::generic,
    };
    rule(object)
}
