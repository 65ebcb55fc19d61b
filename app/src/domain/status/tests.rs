use serde_json::json;

use super::derive;
use crate::model::NodeState;

fn deployment(replicas: i64, status: serde_json::Value) -> serde_json::Value {
    json!({"kind": "Deployment", "metadata": {"name": "web", "generation": 2},
           "spec": {"replicas": replicas}, "status": status})
}

fn cond(ty: &str, status: &str, reason: &str, message: &str) -> serde_json::Value {
    json!({"type": ty, "status": status, "reason": reason, "message": message})
}

#[test]
fn deployment_goes_pending_progressing_healthy() {
    let fresh = deployment(3, json!({}));
    assert_eq!(derive(&fresh).state, NodeState::Pending);
    let rolling = deployment(
        3,
        json!({"observedGeneration": 2, "replicas": 3, "updatedReplicas": 1,
        "readyReplicas": 1, "conditions": [cond("Progressing", "True", "ReplicaSetUpdated", "")]}),
    );
    let status = derive(&rolling);
    assert_eq!(status.state, NodeState::Progressing);
    assert_eq!(status.message, "Rolling out: 1/3 pods ready");
    assert_eq!(status.details["ready"], "1");
    let done = deployment(
        3,
        json!({"observedGeneration": 2, "replicas": 3, "updatedReplicas": 3,
        "readyReplicas": 3, "availableReplicas": 3,
        "conditions": [cond("Available", "True", "", ""), cond("Progressing", "True", "NewReplicaSetAvailable", "")]}),
    );
    let status = derive(&done);
    assert_eq!(
        (status.state, status.message.as_str()),
        (NodeState::Healthy, "3/3 pods ready")
    );
    let stale = deployment(
        3,
        json!({"observedGeneration": 1, "replicas": 3, "updatedReplicas": 3,
        "readyReplicas": 3, "availableReplicas": 3,
        "conditions": [cond("Progressing", "True", "NewReplicaSetAvailable", "")]}),
    );
    assert_eq!(
        derive(&stale).state,
        NodeState::Progressing,
        "new spec not yet seen"
    );
}

#[test]
fn deployment_failures_and_degradation_are_told_apart() {
    let deadline = deployment(
        1,
        json!({"observedGeneration": 2, "replicas": 1, "updatedReplicas": 1,
        "conditions": [cond("Progressing", "False", "ProgressDeadlineExceeded",
            "ReplicaSet \"web\" has timed out progressing: image \"x:pull-error\" could not be pulled")]}),
    );
    let status = derive(&deadline);
    assert_eq!(status.state, NodeState::Failed);
    assert!(status.message.contains("could not be pulled"));
    let lost_pods = deployment(
        4,
        json!({"observedGeneration": 2, "replicas": 4, "updatedReplicas": 4,
        "readyReplicas": 2, "availableReplicas": 2,
        "conditions": [cond("Progressing", "True", "NewReplicaSetAvailable", "")]}),
    );
    assert_eq!(derive(&lost_pods).state, NodeState::Degraded);
    let zero = deployment(0, json!({"observedGeneration": 2}));
    assert_eq!(derive(&zero).state, NodeState::Healthy);
    let mut deleting = deployment(1, json!({}));
    deleting["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
    assert_eq!(derive(&deleting).message, "Being deleted");
}

#[test]
fn rolling_update_with_old_pods_serving_is_progressing() {
    let update = deployment(
        4,
        json!({"observedGeneration": 2, "replicas": 4, "updatedReplicas": 2,
        "readyReplicas": 4, "availableReplicas": 4,
        "conditions": [cond("Progressing", "True", "ReplicaSetUpdated", "")]}),
    );
    let status = derive(&update);
    assert_eq!(status.state, NodeState::Progressing);
    assert_eq!(status.message, "Rolling out: 2/4 pods updated");
}

#[test]
fn statefulset_and_daemonset() {
    let sts = json!({"kind": "StatefulSet", "metadata": {"generation": 1}, "spec": {"replicas": 2},
        "status": {"observedGeneration": 1, "replicas": 2, "readyReplicas": 1,
                   "currentRevision": "a", "updateRevision": "a"}});
    assert_eq!(derive(&sts).state, NodeState::Progressing);
    let ready = json!({"kind": "StatefulSet", "metadata": {"generation": 1}, "spec": {"replicas": 2},
        "status": {"observedGeneration": 1, "replicas": 2, "readyReplicas": 2,
                   "currentRevision": "a", "updateRevision": "a"}});
    assert_eq!(derive(&ready).state, NodeState::Healthy);
    let ds = json!({"kind": "DaemonSet", "metadata": {"generation": 1},
        "status": {"observedGeneration": 1, "desiredNumberScheduled": 3, "numberReady": 3,
                   "updatedNumberScheduled": 3}});
    assert_eq!(derive(&ds).message, "3/3 pods ready");
    assert_eq!(
        derive(&json!({"kind": "DaemonSet"})).state,
        NodeState::Pending
    );
}

#[test]
fn jobs_and_cronjobs() {
    let job = |status| json!({"kind": "Job", "status": status});
    assert_eq!(derive(&job(json!({}))).state, NodeState::Pending);
    assert_eq!(
        derive(&job(json!({"active": 1}))).state,
        NodeState::Progressing
    );
    let done = derive(&job(
        json!({"succeeded": 2, "conditions": [cond("Complete", "True", "", "")]}),
    ));
    assert_eq!(
        (done.state, done.message.as_str()),
        (NodeState::Healthy, "Completed (2 succeeded)")
    );
    let failed = derive(&job(json!({"failed": 3,
        "conditions": [cond("Failed", "True", "BackoffLimitExceeded", "Job has reached the specified backoff limit")]})));
    assert_eq!(failed.state, NodeState::Failed);
    assert_eq!(
        failed.message,
        "Job has reached the specified backoff limit"
    );
    let cron = json!({"kind": "CronJob", "spec": {"schedule": "*/5 * * * *"}});
    assert_eq!(
        derive(&cron).message,
        "Scheduled (*/5 * * * *), not run yet"
    );
    let suspended = json!({"kind": "CronJob", "spec": {"schedule": "@daily", "suspend": true}});
    assert_eq!(derive(&suspended).state, NodeState::Degraded);
}

#[test]
fn services_ingresses_and_claims() {
    let lb = json!({"kind": "Service", "spec": {"type": "LoadBalancer", "clusterIP": "10.96.0.7"}});
    assert_eq!(derive(&lb).state, NodeState::Progressing);
    let mut with_ip = lb.clone();
    with_ip["status"] = json!({"loadBalancer": {"ingress": [{"ip": "192.0.2.4"}]}});
    let status = derive(&with_ip);
    assert_eq!(
        (status.state, status.details["externalIP"].as_str()),
        (NodeState::Healthy, "192.0.2.4")
    );
    let plain = json!({"kind": "Service", "spec": {"clusterIP": "10.96.0.9"}});
    assert_eq!(derive(&plain).message, "ClusterIP 10.96.0.9");
    let headless = json!({"kind": "Service", "spec": {"clusterIP": "None"}});
    assert_eq!(derive(&headless).message, "Headless");
    let ing = json!({"kind": "Ingress", "spec": {"rules": [{}]}});
    assert_eq!(derive(&ing).state, NodeState::Progressing);
    let pvc = |phase: &str| {
        json!({"kind": "PersistentVolumeClaim",
        "spec": {"resources": {"requests": {"storage": "1Gi"}}},
        "status": {"phase": phase, "capacity": {"storage": "1Gi"}}})
    };
    assert_eq!(derive(&pvc("Pending")).state, NodeState::Pending);
    assert_eq!(derive(&pvc("Bound")).message, "Bound (1Gi)");
    assert_eq!(derive(&pvc("Lost")).state, NodeState::Failed);
}

#[test]
fn config_hpa_and_custom_objects() {
    let cm = json!({"kind": "ConfigMap", "data": {"a": "1", "b": "2"}});
    assert_eq!(derive(&cm).message, "Created (2 keys)");
    let secret = json!({"kind": "Secret", "data": {"password": "c2VjcmV0"}});
    let status = derive(&secret);
    assert!(
        !format!("{status:?}").contains("c2VjcmV0"),
        "values never in a status"
    );
    let hpa = json!({"kind": "HorizontalPodAutoscaler", "spec": {"minReplicas": 2, "maxReplicas": 5},
        "status": {"currentReplicas": 2, "desiredReplicas": 2,
                   "conditions": [cond("ScalingActive", "False", "FailedGetResourceMetric", "no metrics")]}});
    assert_eq!(derive(&hpa).state, NodeState::Degraded);
    let ready =
        json!({"kind": "Certificate", "status": {"conditions": [cond("Ready", "True", "", "")]}});
    assert_eq!(derive(&ready).state, NodeState::Healthy);
    let not_ready = json!({"kind": "Certificate", "status": {"conditions": [cond("Ready", "False", "Pending", "waiting for issuer")]}});
    assert_eq!(derive(&not_ready).message, "waiting for issuer");
    assert_eq!(derive(&json!({"kind": "Widget"})).message, "Created");
}
