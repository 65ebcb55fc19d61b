//! Shared test helpers: a sandbox on 127.0.0.1:0 with a fast simulator, and sample manifests.
#![allow(dead_code)]

use std::time::Duration;

use sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

/// A sandbox whose simulated rollouts take `rollout_ms`, plus a kube client for it.
pub async fn start_with(config: SandboxConfig) -> (Sandbox, kube::Client) {
    let sandbox = Sandbox::start_with("127.0.0.1:0".parse().expect("static address"), config)
        .await
        .expect("sandbox starts");
    let client = sandbox.client().expect("client builds");
    (sandbox, client)
}

/// A sandbox with a fast simulator (300 ms rollouts, 50 ms ticks).
pub async fn start() -> (Sandbox, kube::Client) {
    let mut config = SandboxConfig::default();
    config.simulator.rollout = Duration::from_millis(300);
    config.simulator.slow_rollout = Duration::from_secs(3);
    config.simulator.tick = Duration::from_millis(50);
    start_with(config).await
}

/// A sandbox without the simulator (statuses only change when a test writes them).
pub async fn start_quiet() -> (Sandbox, kube::Client) {
    let mut config = SandboxConfig::default();
    config.simulator.enabled = false;
    start_with(config).await
}

fn pod_template(name: &str, image: &str) -> Value {
    json!({
        "metadata": {"labels": {"app": name}},
        "spec": {"containers": [{"name": "main", "image": image, "ports": [{"containerPort": 80}]}]}
    })
}

/// A minimal valid manifest of each kind the product uses (namespaced), by plural.
pub fn manifest(plural: &str, name: &str) -> Value {
    let meta = json!({"name": name, "namespace": "default", "labels": {"sandbox-test": "kinds"}});
    let sel = json!({"matchLabels": {"app": name}});
    let (api_version, kind, body) = match plural {
        "deployments" => (
            "apps/v1",
            "Deployment",
            json!({"spec": {"replicas": 2, "selector": sel, "template": pod_template(name, "nginx:1.27")}}),
        ),
        "statefulsets" => (
            "apps/v1",
            "StatefulSet",
            json!({"spec": {"replicas": 1, "serviceName": name, "selector": sel, "template": pod_template(name, "postgres:16")}}),
        ),
        "daemonsets" => (
            "apps/v1",
            "DaemonSet",
            json!({"spec": {"selector": sel, "template": pod_template(name, "fluentd:1")}}),
        ),
        "jobs" => (
            "batch/v1",
            "Job",
            json!({"spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox"}]}}}}),
        ),
        "cronjobs" => (
            "batch/v1",
            "CronJob",
            json!({"spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure", "containers": [{"name": "main", "image": "busybox"}]}}}}}}),
        ),
        "services" => (
            "v1",
            "Service",
            json!({"spec": {"type": "LoadBalancer", "selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080}]}}),
        ),
        "ingresses" => (
            "networking.k8s.io/v1",
            "Ingress",
            json!({"spec": {"rules": [{"host": "example.test", "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": name, "port": {"number": 80}}}}]}}]}}),
        ),
        "configmaps" => ("v1", "ConfigMap", json!({"data": {"key": "value"}})),
        "secrets" => (
            "v1",
            "Secret",
            json!({"type": "Opaque", "stringData": {"password": "not-stored-anywhere-real"}}),
        ),
        "persistentvolumeclaims" => (
            "v1",
            "PersistentVolumeClaim",
            json!({"spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}),
        ),
        "horizontalpodautoscalers" => (
            "autoscaling/v2",
            "HorizontalPodAutoscaler",
            json!({"spec": {"minReplicas": 1, "maxReplicas": 3, "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}}}),
        ),
        "networkpolicies" => (
            "networking.k8s.io/v1",
            "NetworkPolicy",
            json!({"spec": {"podSelector": {"matchLabels": {"app": name}}, "policyTypes": ["Ingress"]}}),
        ),
        other => panic!("no manifest for {other}"),
    };
    let mut m = body;
    m["apiVersion"] = json!(api_version);
    m["kind"] = json!(kind);
    m["metadata"] = meta;
    m
}

/// The plural names of the twelve product kinds.
pub const KINDS: &[&str] = &[
    "deployments",
    "statefulsets",
    "daemonsets",
    "jobs",
    "cronjobs",
    "services",
    "ingresses",
    "configmaps",
    "secrets",
    "persistentvolumeclaims",
    "horizontalpodautoscalers",
    "networkpolicies",
];

/// Polls `check` every 20 ms until it returns true or `secs` pass.
pub async fn eventually<F, Fut>(secs: u64, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while tokio::time::Instant::now() < deadline {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}
