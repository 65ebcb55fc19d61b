//! Traffic, storage, configuration, autoscaling and any other kind.

use serde_json::Value;

use super::fields::{condition, int, lb_address, no_status, text};
use crate::model::{NodeState, NodeStatus};

/// Service: healthy once it has its address; a LoadBalancer waits for an external one.
pub fn service(s: &Value) -> NodeStatus {
    let ty = match text(s, "/spec/type") {
        "" => "ClusterIP",
        other => other,
    };
    let cluster_ip = text(s, "/spec/clusterIP");
    let base = |state, message: String| {
        let status = NodeStatus::new(state, message).with("type", ty);
        if cluster_ip.is_empty() {
            status
        } else {
            status.with("clusterIP", cluster_ip)
        }
    };
    if ty == "LoadBalancer" {
        return match lb_address(s) {
            Some(address) => base(NodeState::Healthy, format!("External address {address}"))
                .with("externalIP", address),
            None => base(
                NodeState::Progressing,
                "Waiting for a load balancer address".into(),
            ),
        };
    }
    match cluster_ip {
        "" if ty != "ExternalName" => base(NodeState::Pending, "Waiting for an address".into()),
        "None" => base(NodeState::Healthy, "Headless".into()),
        _ if ty == "ExternalName" => base(
            NodeState::Healthy,
            format!("Alias of {}", text(s, "/spec/externalName")),
        ),
        ip => base(NodeState::Healthy, format!("{ty} {ip}")),
    }
}

/// Ingress: healthy once the controller published an address.
pub fn ingress(i: &Value) -> NodeStatus {
    let rules = i
        .pointer("/spec/rules")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    match lb_address(i) {
        Some(address) => NodeStatus::new(NodeState::Healthy, format!("Address {address}"))
            .with("address", address)
            .with("rules", rules),
        None => NodeStatus::new(
            NodeState::Progressing,
            "Waiting for the ingress controller to assign an address",
        )
        .with("rules", rules),
    }
}

/// PersistentVolumeClaim: Bound, Pending or Lost.
pub fn pvc(p: &Value) -> NodeStatus {
    let capacity = text(p, "/status/capacity/storage");
    let requested = text(p, "/spec/resources/requests/storage");
    match text(p, "/status/phase") {
        "Bound" => NodeStatus::new(
            NodeState::Healthy,
            format!(
                "Bound ({})",
                if capacity.is_empty() {
                    requested
                } else {
                    capacity
                }
            ),
        )
        .with("capacity", capacity)
        .with("volume", text(p, "/spec/volumeName")),
        "Lost" => NodeStatus::new(
            NodeState::Failed,
            "Its volume was lost: the data is gone; delete and recreate the claim",
        ),
        _ => NodeStatus::new(NodeState::Pending, "Waiting for a volume to be bound")
            .with("requested", requested),
    }
}

/// ConfigMap and Secret: healthy once stored (the key count as detail, never values).
pub fn config(c: &Value) -> NodeStatus {
    let keys = ["data", "binaryData", "stringData"]
        .iter()
        .filter_map(|k| c.get(*k).and_then(Value::as_object))
        .map(|m| m.len())
        .sum::<usize>();
    let noun = if keys == 1 { "key" } else { "keys" };
    NodeStatus::new(NodeState::Healthy, format!("Created ({keys} {noun})")).with("keys", keys)
}

/// NetworkPolicy: enforced by the network plugin, nothing to observe.
pub fn network_policy(_: &Value) -> NodeStatus {
    NodeStatus::new(NodeState::Healthy, "Created")
}

/// HorizontalPodAutoscaler: current/desired replicas; conditions explain problems.
pub fn hpa(h: &Value) -> NodeStatus {
    if no_status(h) {
        return NodeStatus::new(NodeState::Pending, "Waiting for the autoscaler");
    }
    let current = int(h, "/status/currentReplicas", 0);
    let desired = int(h, "/status/desiredReplicas", 0);
    let (min, max) = (
        int(h, "/spec/minReplicas", 1),
        int(h, "/spec/maxReplicas", 0),
    );
    let counts = |s: NodeStatus| s.with("current", current).with("desired", desired);
    if let Some(c) = condition(h, "AbleToScale").filter(|c| c.is_false()) {
        return counts(NodeStatus::new(NodeState::Failed, c.explain().to_string()));
    }
    if let Some(c) = condition(h, "ScalingActive").filter(|c| c.is_false()) {
        return counts(NodeStatus::new(
            NodeState::Degraded,
            c.explain().to_string(),
        ));
    }
    let message = format!("{current} replicas (min {min}, max {max})");
    if current != desired {
        return counts(NodeStatus::new(
            NodeState::Progressing,
            format!("Scaling to {desired}: {message}"),
        ));
    }
    counts(NodeStatus::new(NodeState::Healthy, message))
}

/// Any other kind: the `Ready` (else `Available`) condition when there is one.
pub fn generic(o: &Value) -> NodeStatus {
    let found = condition(o, "Ready").or_else(|| condition(o, "Available"));
    match found {
        Some(c) if c.is_true() => NodeStatus::new(NodeState::Healthy, "Ready"),
        Some(c) if c.is_false() => NodeStatus::new(NodeState::Degraded, c.explain().to_string()),
        Some(c) => NodeStatus::new(NodeState::Progressing, c.explain().to_string()),
        None => NodeStatus::new(NodeState::Healthy, "Created"),
    }
}
