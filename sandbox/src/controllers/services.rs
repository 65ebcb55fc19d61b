//! Simulated storage, service, ingress and autoscaler controllers.

use serde_json::{json, Value};

use super::{condition, generation, int, Progress};

/// PersistentVolumeClaim: Bound with the requested capacity.
pub fn pvc(obj: &Value, _current: &Value, _p: &Progress) -> Value {
    let storage = obj
        .pointer("/spec/resources/requests/storage")
        .cloned()
        .unwrap_or(json!("1Gi"));
    let modes = obj
        .pointer("/spec/accessModes")
        .cloned()
        .unwrap_or(json!(["ReadWriteOnce"]));
    json!({"phase": "Bound", "accessModes": modes, "capacity": {"storage": storage}})
}

/// Service: LoadBalancers get an ingress IP.
pub fn service(obj: &Value, ip: &str) -> Value {
    if obj.pointer("/spec/type").and_then(Value::as_str) == Some("LoadBalancer") {
        json!({"loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"}]}})
    } else {
        json!({"loadBalancer": {}})
    }
}

/// Ingress: an address from the simulated ingress controller.
pub fn ingress(ip: &str) -> Value {
    json!({"loadBalancer": {"ingress": [{"ip": ip}]}})
}

/// HorizontalPodAutoscaler: desired replicas = the target's, clamped to min/max.
pub fn hpa(obj: &Value, current: &Value, target_replicas: Option<i64>, now: &str) -> Value {
    let min = int(obj, "/spec/minReplicas", 1);
    let max = int(obj, "/spec/maxReplicas", min);
    let Some(replicas) = target_replicas else {
        let c = condition(
            current,
            "AbleToScale",
            false,
            "FailedGetScale",
            "the HPA controller was unable to get the target's current scale: target not found",
            now,
        );
        return json!({"currentReplicas": 0, "desiredReplicas": 0, "conditions": [c]});
    };
    let desired = replicas.clamp(min, max.max(min));
    let able = condition(
        current,
        "AbleToScale",
        true,
        "ReadyForNewScale",
        "recommended size matches current size",
        now,
    );
    let active = condition(
        current,
        "ScalingActive",
        true,
        "ValidMetricFound",
        "the HPA was able to compute the replica count (simulated metrics)",
        now,
    );
    let limited = condition(
        current,
        "ScalingLimited",
        replicas != desired,
        if replicas != desired {
            "TooFewReplicas"
        } else {
            "DesiredWithinRange"
        },
        "the desired count is within the acceptable range",
        now,
    );
    json!({"observedGeneration": generation(obj), "currentReplicas": replicas, "desiredReplicas": desired, "conditions": [able, active, limited]})
}
