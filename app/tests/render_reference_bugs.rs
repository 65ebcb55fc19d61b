//! The rendering bugs of the reference (kubeorch.md §14 item 13), each shown fixed on the
//! rendered objects themselves (the golden snapshots hold the full output).
#![cfg(feature = "render")]

mod common;

use app::domain::render::Renderer;
use common::{dir, Fixture};
use serde_json::{json, Value};

/// The rendered objects of a fixture by node id.
fn objects(fixture: &str) -> std::collections::BTreeMap<String, Value> {
    let renderer = Renderer::embedded().unwrap();
    let (report, renders) = Fixture::load(&dir("fixtures").join(fixture)).render(&renderer);
    assert!(!report.has_errors(), "{report:#?}");
    renders
        .into_iter()
        .filter_map(|r| Some((r.node_id, r.object?.object)))
        .collect()
}

#[test]
fn network_policy_rules_keep_their_peers_and_ports() {
    let np = &objects("networkpolicy-full.yaml")["np"]["spec"];
    let first = &np["ingress"][0];
    assert_eq!(first["from"].as_array().unwrap().len(), 3);
    assert_eq!(
        first["from"][0],
        json!({ "podSelector": { "matchLabels": { "app": "web" } } })
    );
    assert_eq!(
        first["ports"],
        json!([{ "protocol": "TCP", "port": 8080 }, { "protocol": "TCP", "port": "metrics" }])
    );
    assert_eq!(
        np["ingress"][1]["from"][0]["ipBlock"]["except"],
        json!(["10.1.0.0/16"])
    );
    assert_eq!(
        np["egress"][0]["ports"][0],
        json!({ "protocol": "TCP", "port": 30000, "endPort": 32767 })
    );
    assert_eq!(
        np["egress"][1],
        json!({}),
        "an empty rule is an explicit {{}}, never null"
    );
    assert!(!np.to_string().contains("null"));
}

#[test]
fn jobs_cronjobs_and_daemonsets_keep_resources_mounts_and_tolerations() {
    let all = objects("wired-jobs-daemonset-mounts.yaml");
    let pods = [
        &all["job"]["spec"]["template"]["spec"],
        &all["cron"]["spec"]["jobTemplate"]["spec"]["template"]["spec"],
        &all["ds"]["spec"]["template"]["spec"],
    ];
    for pod in pods {
        let container = &pod["containers"][0];
        assert!(
            container["resources"]["requests"]["cpu"].is_string(),
            "{container}"
        );
        let volumes = pod["volumes"].as_array().unwrap();
        let mounts = container["volumeMounts"].as_array().unwrap();
        assert!(!volumes.is_empty());
        for volume in volumes {
            let name = volume["name"].as_str().unwrap();
            assert!(
                mounts.iter().any(|m| m["name"] == name),
                "volume {name} is mounted"
            );
            assert!(
                volume
                    .get("configMap")
                    .or(volume.get("persistentVolumeClaim"))
                    .is_some(),
                "{volume}"
            );
        }
        assert_eq!(
            container["envFrom"],
            json!([{ "secretRef": { "name": "batch-creds" } }])
        );
    }
    assert_eq!(
        all["job"]["spec"]["template"]["spec"]["restartPolicy"],
        "Never"
    );
    assert_eq!(
        all["ds"]["spec"]["template"]["spec"]["tolerations"],
        json!([{ "key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule" }])
    );
}

#[test]
fn statefulsets_get_claims_headless_service_and_no_replicas_under_an_hpa() {
    let all = objects("wired-hpa-statefulset.yaml");
    let spec = &all["db"]["spec"];
    assert_eq!(spec["serviceName"], "db-headless");
    assert!(
        spec.get("replicas").is_none(),
        "the HPA owns the replica count"
    );
    assert_eq!(
        spec["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"],
        "10Gi"
    );
    let mounts = &spec["template"]["spec"]["containers"][0]["volumeMounts"];
    assert!(mounts
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["name"] == "data" && m["mountPath"] == "/data/data"));
    assert_eq!(all["headless"]["spec"]["clusterIP"], "None");
    assert_eq!(
        all["hpa"]["spec"]["scaleTargetRef"],
        json!({ "apiVersion": "apps/v1", "kind": "StatefulSet", "name": "db" })
    );
}

#[test]
fn services_with_several_ports_and_deployments_with_every_container_field() {
    let all = objects("service-full.yaml");
    let ports = &all["svc"]["spec"]["ports"];
    assert_eq!(
        ports[0],
        json!({ "name": "http", "port": 80, "targetPort": "http", "protocol": "TCP", "nodePort": 30080 })
    );
    assert_eq!(ports[1]["targetPort"], 8443);
    let deployment = &objects("deployment-full.yaml")["web"]["spec"]["template"]["spec"];
    let container = &deployment["containers"][0];
    for field in [
        "livenessProbe",
        "readinessProbe",
        "startupProbe",
        "command",
        "args",
        "imagePullPolicy",
        "securityContext",
    ] {
        assert!(container.get(field).is_some(), "{field} is rendered");
    }
    assert_eq!(deployment["serviceAccountName"], "shop-web");
}
