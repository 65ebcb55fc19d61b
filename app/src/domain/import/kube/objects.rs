//! One Kubernetes object → a node of its kind (or `custom`), field by field.

use serde_json::{json, Map, Value};

use super::super::draft::Draft;
use super::{mount_path, own_labels, pod, strings, text, Converted, Reference};
use crate::model::NodeKind;

fn copy(data: &mut Map<String, Value>, from: &Value, pairs: &[(&str, &str)]) {
    for (key, pointer) in pairs {
        if let Some(v) = from.pointer(pointer).filter(|v| !v.is_null()) {
            data.insert((*key).into(), v.clone());
        }
    }
}

/// Converts object `index` of the file, or `None` (with a warning) when it is not usable.
pub fn convert(object: &Value, index: usize, draft: &mut Draft) -> Option<Converted> {
    let api_version = text(object.get("apiVersion"));
    let kind_name = text(object.get("kind"));
    let name = text(object.pointer("/metadata/name"));
    if api_version.is_empty() || kind_name.is_empty() || name.is_empty() {
        draft.warn(
            None,
            Some(&format!("document {}", index + 1)),
            "not a Kubernetes object (needs apiVersion, kind and metadata.name): skipped",
        );
        return None;
    }
    let kind = match kind_name.as_str() {
        "Deployment" => NodeKind::Deployment,
        "StatefulSet" => NodeKind::StatefulSet,
        "DaemonSet" => NodeKind::DaemonSet,
        "Job" => NodeKind::Job,
        "CronJob" => NodeKind::CronJob,
        "Service" => NodeKind::Service,
        "Ingress" => NodeKind::Ingress,
        "ConfigMap" => NodeKind::ConfigMap,
        "Secret" => NodeKind::Secret,
        "PersistentVolumeClaim" => NodeKind::PersistentVolumeClaim,
        "HorizontalPodAutoscaler" => NodeKind::Hpa,
        "NetworkPolicy" => NodeKind::NetworkPolicy,
        _ => NodeKind::Custom,
    };
    let mut data = Map::new();
    if let Some(ns) = object
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
    {
        data.insert("namespace".into(), json!(ns));
    }
    data.insert(
        "labels".into(),
        json!(own_labels(object.pointer("/metadata/labels"))),
    );
    let annotations: std::collections::BTreeMap<String, String> =
        strings(object.pointer("/metadata/annotations"))
            .into_iter()
            .filter(|(k, _)| k != "kubectl.kubernetes.io/last-applied-configuration")
            .collect();
    data.insert("annotations".into(), json!(annotations));
    let spec = object.get("spec").cloned().unwrap_or(Value::Null);
    let mut references = Vec::new();
    let mut pod_labels = Default::default();
    match kind {
        NodeKind::Deployment | NodeKind::StatefulSet | NodeKind::DaemonSet | NodeKind::Job => {
            let (labels, refs) = pod::template(spec.get("template"), &name, &mut data, draft);
            pod_labels = labels;
            references = refs;
            workload(kind, &spec, &mut data);
        }
        NodeKind::CronJob => {
            let job = spec
                .pointer("/jobTemplate/spec")
                .cloned()
                .unwrap_or(Value::Null);
            let (labels, refs) = pod::template(job.get("template"), &name, &mut data, draft);
            pod_labels = labels;
            references = refs;
            copy(
                &mut data,
                &spec,
                &[
                    ("schedule", "/schedule"),
                    ("timeZone", "/timeZone"),
                    ("concurrencyPolicy", "/concurrencyPolicy"),
                    ("suspend", "/suspend"),
                    ("startingDeadlineSeconds", "/startingDeadlineSeconds"),
                    ("successfulJobsHistoryLimit", "/successfulJobsHistoryLimit"),
                    ("failedJobsHistoryLimit", "/failedJobsHistoryLimit"),
                ],
            );
            workload(NodeKind::Job, &job, &mut data);
        }
        NodeKind::Service => references = service(&spec, &mut data),
        NodeKind::Ingress => references = ingress(&spec, &mut data),
        NodeKind::ConfigMap => {
            data.insert("data".into(), json!(strings(object.get("data"))));
            copy(&mut data, object, &[("immutable", "/immutable")]);
            if object.get("binaryData").is_some() {
                draft.warn(Some(&name), Some("binaryData"), "binary data was dropped");
            }
        }
        NodeKind::Secret => {
            let mut keys: Vec<String> = object
                .get("data")
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            keys.extend(
                object
                    .get("stringData")
                    .and_then(Value::as_object)
                    .map(|m| m.keys().cloned().collect::<Vec<_>>())
                    .unwrap_or_default(),
            );
            keys.sort();
            keys.dedup();
            if !keys.is_empty() {
                draft.warn(
                    Some(&name),
                    Some("data"),
                    "Secret values are never stored: enter them when deploying",
                );
            }
            data.insert("keys".into(), json!(keys));
            data.insert(
                "secretType".into(),
                json!(if text(object.get("type")).is_empty() {
                    "Opaque".to_string()
                } else {
                    text(object.get("type"))
                }),
            );
        }
        NodeKind::PersistentVolumeClaim => copy(
            &mut data,
            &spec,
            &[
                ("storage", "/resources/requests/storage"),
                ("accessModes", "/accessModes"),
                ("storageClassName", "/storageClassName"),
                ("volumeMode", "/volumeMode"),
            ],
        ),
        NodeKind::Hpa => references = hpa(&spec, &mut data),
        NodeKind::NetworkPolicy => references = network_policy(&spec, &mut data),
        NodeKind::Custom => custom(object, &api_version, &kind_name, &mut data, draft, &name),
    }
    Some(Converted {
        kind,
        name,
        data: Value::Object(data),
        references,
        pod_labels,
    })
}

fn workload(kind: NodeKind, spec: &Value, data: &mut Map<String, Value>) {
    match kind {
        NodeKind::Deployment => copy(
            data,
            spec,
            &[
                ("replicas", "/replicas"),
                ("strategy", "/strategy/type"),
                ("maxSurge", "/strategy/rollingUpdate/maxSurge"),
                ("maxUnavailable", "/strategy/rollingUpdate/maxUnavailable"),
            ],
        ),
        NodeKind::StatefulSet => {
            copy(
                data,
                spec,
                &[
                    ("replicas", "/replicas"),
                    ("serviceName", "/serviceName"),
                    ("podManagementPolicy", "/podManagementPolicy"),
                    ("updateStrategy", "/updateStrategy/type"),
                ],
            );
            let mounts = spec
                .pointer("/template/spec/containers/0/volumeMounts")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let claims: Vec<Value> = spec.get("volumeClaimTemplates").and_then(Value::as_array).map(|cs| cs.iter().map(|c| json!({
                "name": text(c.pointer("/metadata/name")),
                "mountPath": mount_path(&mounts, &text(c.pointer("/metadata/name"))),
                "storage": text(c.pointer("/spec/resources/requests/storage")),
                "storageClassName": text(c.pointer("/spec/storageClassName")),
                "accessModes": c.pointer("/spec/accessModes").cloned().unwrap_or(json!(["ReadWriteOnce"])),
            })).collect()).unwrap_or_default();
            data.insert("volumeClaimTemplates".into(), json!(claims));
        }
        NodeKind::DaemonSet => copy(
            data,
            spec,
            &[
                ("updateStrategy", "/updateStrategy/type"),
                (
                    "maxUnavailable",
                    "/updateStrategy/rollingUpdate/maxUnavailable",
                ),
            ],
        ),
        _ => copy(
            data,
            spec,
            &[
                ("completions", "/completions"),
                ("parallelism", "/parallelism"),
                ("backoffLimit", "/backoffLimit"),
                ("activeDeadlineSeconds", "/activeDeadlineSeconds"),
                ("ttlSecondsAfterFinished", "/ttlSecondsAfterFinished"),
                ("restartPolicy", "/template/spec/restartPolicy"),
            ],
        ),
    }
    for key in ["maxSurge", "maxUnavailable"] {
        if let Some(Value::Number(n)) = data.get(key) {
            let s = n.to_string();
            data.insert(key.into(), json!(s));
        }
    }
}

fn service(spec: &Value, data: &mut Map<String, Value>) -> Vec<Reference> {
    copy(
        data,
        spec,
        &[
            ("type", "/type"),
            ("sessionAffinity", "/sessionAffinity"),
            ("externalTrafficPolicy", "/externalTrafficPolicy"),
            ("loadBalancerSourceRanges", "/loadBalancerSourceRanges"),
        ],
    );
    data.insert(
        "headless".into(),
        json!(text(spec.get("clusterIP")) == "None"),
    );
    let ports: Vec<Value> = spec
        .get("ports")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .map(|p| {
                    json!({
                        "name": text(p.get("name")),
                        "port": p.get("port").cloned().unwrap_or(json!(80)),
                        "targetPort": text(p.get("targetPort")),
                        "protocol": p.get("protocol").cloned().unwrap_or(json!("TCP")),
                        "nodePort": p.get("nodePort").cloned().unwrap_or(Value::Null),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    data.insert("ports".into(), json!(ports));
    let selector = strings(spec.get("selector"));
    data.insert("selector".into(), json!(selector));
    vec![Reference::Selects(selector)]
}

fn ingress(spec: &Value, data: &mut Map<String, Value>) -> Vec<Reference> {
    copy(data, spec, &[("ingressClassName", "/ingressClassName")]);
    let rules = spec
        .get("rules")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let hosts: std::collections::BTreeSet<String> =
        rules.iter().map(|r| text(r.get("host"))).collect();
    let one_host = if hosts.len() == 1 {
        hosts.iter().next().cloned().unwrap_or_default()
    } else {
        String::new()
    };
    data.insert("host".into(), json!(one_host));
    let mut references = Vec::new();
    let mut paths = Vec::new();
    for rule in &rules {
        let host = text(rule.get("host"));
        for path in rule
            .pointer("/http/paths")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let service = text(path.pointer("/backend/service/name"));
            let port = path
                .pointer("/backend/service/port/number")
                .map(|n| text(Some(n)))
                .unwrap_or_else(|| text(path.pointer("/backend/service/port/name")));
            paths.push(json!({
                "path": if text(path.get("path")).is_empty() { "/".to_string() } else { text(path.get("path")) },
                "pathType": path.get("pathType").cloned().unwrap_or(json!("Prefix")),
                "host": if host == one_host { String::new() } else { host.clone() },
                "service": service,
                "port": port,
            }));
            if !service.is_empty() {
                references.push(Reference::To {
                    kind: NodeKind::Service,
                    name: service,
                });
            }
        }
    }
    data.insert("paths".into(), json!(paths));
    if let Some(tls) = spec
        .get("tls")
        .and_then(Value::as_array)
        .and_then(|t| t.first())
    {
        data.insert("tls".into(), json!(true));
        data.insert("tlsSecretName".into(), json!(text(tls.get("secretName"))));
        let tls_hosts: Vec<String> = tls
            .get("hosts")
            .and_then(Value::as_array)
            .map(|h| h.iter().map(|h| text(Some(h))).collect())
            .unwrap_or_default();
        let listed: Vec<String> = hosts.iter().filter(|h| !h.is_empty()).cloned().collect();
        data.insert(
            "tlsHosts".into(),
            json!(if tls_hosts == listed {
                Vec::new()
            } else {
                tls_hosts
            }),
        );
    }
    references
}

fn hpa(spec: &Value, data: &mut Map<String, Value>) -> Vec<Reference> {
    copy(
        data,
        spec,
        &[
            ("minReplicas", "/minReplicas"),
            ("maxReplicas", "/maxReplicas"),
        ],
    );
    data.insert("cpuUtilization".into(), Value::Null);
    for metric in spec
        .get("metrics")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = match text(metric.pointer("/resource/name")).as_str() {
            "cpu" => "cpuUtilization",
            "memory" => "memoryUtilization",
            _ => continue,
        };
        if let Some(v) = metric.pointer("/resource/target/averageUtilization") {
            data.insert(key.into(), v.clone());
        }
    }
    copy(
        data,
        spec,
        &[
            (
                "scaleUpStabilizationSeconds",
                "/behavior/scaleUp/stabilizationWindowSeconds",
            ),
            (
                "scaleDownStabilizationSeconds",
                "/behavior/scaleDown/stabilizationWindowSeconds",
            ),
        ],
    );
    for (key, direction) in [
        ("scaleUpPercent", "scaleUp"),
        ("scaleDownPercent", "scaleDown"),
    ] {
        let policy = spec
            .pointer(&format!("/behavior/{direction}/policies"))
            .and_then(Value::as_array)
            .and_then(|p| {
                p.iter()
                    .find(|p| p.get("type").and_then(Value::as_str) == Some("Percent"))
            });
        if let Some(policy) = policy {
            copy(
                data,
                policy,
                &[(key, "/value"), ("periodSeconds", "/periodSeconds")],
            );
        }
    }
    let target = text(spec.pointer("/scaleTargetRef/name"));
    match text(spec.pointer("/scaleTargetRef/kind")).as_str() {
        "Deployment" => vec![Reference::To {
            kind: NodeKind::Deployment,
            name: target,
        }],
        "StatefulSet" => vec![Reference::To {
            kind: NodeKind::StatefulSet,
            name: target,
        }],
        _ => Vec::new(),
    }
}

fn network_policy(spec: &Value, data: &mut Map<String, Value>) -> Vec<Reference> {
    copy(data, spec, &[("policyTypes", "/policyTypes")]);
    let selector = strings(spec.pointer("/podSelector/matchLabels"));
    data.insert("podSelector".into(), json!(selector));
    for (key, list, peers_key) in [
        ("ingressRules", "ingress", "from"),
        ("egressRules", "egress", "to"),
    ] {
        let rules: Vec<Value> = spec
            .get(list)
            .and_then(Value::as_array)
            .map(|rs| {
                rs.iter()
                    .map(|r| {
                        let peers: Vec<Value> = r
                            .get(peers_key)
                            .and_then(Value::as_array)
                            .map(|ps| ps.iter().map(peer).collect())
                            .unwrap_or_default();
                        let ports: Vec<Value> = r
                            .get("ports")
                            .and_then(Value::as_array)
                            .map(|ps| {
                                ps.iter().map(|p| json!({
                "protocol": p.get("protocol").cloned().unwrap_or(json!("TCP")),
                "port": text(p.get("port")),
                "endPort": p.get("endPort").cloned().unwrap_or(Value::Null),
            })).collect()
                            })
                            .unwrap_or_default();
                        json!({ "peers": peers, "ports": ports })
                    })
                    .collect()
            })
            .unwrap_or_default();
        data.insert(key.into(), json!(rules));
    }
    vec![Reference::Selects(selector)]
}

fn peer(p: &Value) -> Value {
    if let Some(block) = p.get("ipBlock") {
        return json!({ "type": "ipBlock", "cidr": text(block.get("cidr")), "except": block.get("except").cloned().unwrap_or(json!([])) });
    }
    let pods = strings(p.pointer("/podSelector/matchLabels"));
    let namespaces = strings(p.pointer("/namespaceSelector/matchLabels"));
    let kind = match (
        p.get("podSelector").is_some(),
        p.get("namespaceSelector").is_some(),
    ) {
        (true, true) => "podsInNamespaces",
        (false, true) => "namespaces",
        _ => "pods",
    };
    json!({ "type": kind, "podLabels": pods, "namespaceLabels": namespaces })
}

fn custom(
    object: &Value,
    api_version: &str,
    kind: &str,
    data: &mut Map<String, Value>,
    draft: &mut Draft,
    name: &str,
) {
    data.insert("apiVersion".into(), json!(api_version));
    data.insert("objectKind".into(), json!(kind));
    data.insert(
        "namespaced".into(),
        json!(object.pointer("/metadata/namespace").is_some() || !is_cluster_scoped(kind)),
    );
    let mut body = object.as_object().cloned().unwrap_or_default();
    for key in ["apiVersion", "kind", "metadata", "status"] {
        body.remove(key);
    }
    let content = match yaml_serde::to_string(&Value::Object(body)) {
        Ok(text) if text.trim() != "{}" => text,
        _ => "spec: {}\n".to_string(),
    };
    data.insert("content".into(), json!(content));
    draft.warn(
        Some(name),
        None,
        format!("{kind} is not one of the built-in kinds: imported as a custom object"),
    );
}

fn is_cluster_scoped(kind: &str) -> bool {
    matches!(
        kind,
        "Namespace"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "CustomResourceDefinition"
            | "StorageClass"
            | "PersistentVolume"
            | "ClusterIssuer"
            | "PriorityClass"
            | "IngressClass"
            | "ValidatingWebhookConfiguration"
            | "MutatingWebhookConfiguration"
    )
}
