//! A pod template → the container and pod settings of a workload node, plus references to the
//! ConfigMaps, Secrets and PVCs it uses.

use serde_json::{json, Map, Value};

use super::super::draft::Draft;
use super::{mount_path, strings, text, Reference};
use crate::model::NodeKind;

fn list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| items.iter().map(|v| text(Some(v))).collect())
        .unwrap_or_default()
}

/// Container and pod settings from `template` (a pod template), into `data`; returns the pod
/// labels and the references.
pub fn template(
    template: Option<&Value>,
    object: &str,
    data: &mut Map<String, Value>,
    draft: &mut Draft,
) -> (std::collections::BTreeMap<String, String>, Vec<Reference>) {
    let empty = Value::Null;
    let template = template.unwrap_or(&empty);
    let labels = strings(template.pointer("/metadata/labels"));
    let spec = template.get("spec").unwrap_or(&empty);
    let mut references = Vec::new();
    let containers = spec
        .get("containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if containers.len() > 1 {
        draft.warn(
            Some(object),
            Some("spec.containers"),
            format!(
                "{} containers: only the first is imported (a node has one container)",
                containers.len()
            ),
        );
    }
    if spec.get("initContainers").is_some() {
        draft.warn(
            Some(object),
            Some("spec.initContainers"),
            "init containers were dropped",
        );
    }
    let container = containers.first().unwrap_or(&empty);
    data.insert("image".into(), json!(text(container.get("image"))));
    data.insert(
        "imagePullPolicy".into(),
        json!(text(container.get("imagePullPolicy"))),
    );
    data.insert("command".into(), json!(list(container.get("command"))));
    data.insert("args".into(), json!(list(container.get("args"))));
    let ports: Vec<Value> = container
        .get("ports")
        .and_then(Value::as_array)
        .map(|ports| {
            ports
                .iter()
                .map(|p| json!({ "name": text(p.get("name")), "containerPort": p.get("containerPort").cloned().unwrap_or(json!(80)), "protocol": p.get("protocol").cloned().unwrap_or(json!("TCP")) }))
                .collect()
        })
        .unwrap_or_default();
    data.insert("ports".into(), json!(ports));
    data.insert("env".into(), json!(env(container, object, draft)));
    let resources = container.get("resources");
    data.insert(
        "resources".into(),
        json!({
            "cpuRequest": text(resources.and_then(|r| r.pointer("/requests/cpu"))),
            "memoryRequest": text(resources.and_then(|r| r.pointer("/requests/memory"))),
            "cpuLimit": text(resources.and_then(|r| r.pointer("/limits/cpu"))),
            "memoryLimit": text(resources.and_then(|r| r.pointer("/limits/memory"))),
        }),
    );
    for key in ["livenessProbe", "readinessProbe", "startupProbe"] {
        data.insert(key.into(), probe(container.get(key)));
    }
    data.insert(
        "securityContext".into(),
        security(
            container.get("securityContext"),
            spec.get("securityContext"),
        ),
    );
    data.insert(
        "serviceAccountName".into(),
        json!(text(spec.get("serviceAccountName"))),
    );
    let pull: Vec<String> = spec
        .get("imagePullSecrets")
        .and_then(Value::as_array)
        .map(|s| s.iter().map(|s| text(s.get("name"))).collect())
        .unwrap_or_default();
    data.insert("imagePullSecrets".into(), json!(pull));
    data.insert(
        "nodeSelector".into(),
        json!(strings(spec.get("nodeSelector"))),
    );
    data.insert("tolerations".into(), tolerations(spec.get("tolerations")));
    for (key, value) in [
        ("hostNetwork", spec.get("hostNetwork")),
        ("hostPID", spec.get("hostPID")),
    ] {
        if let Some(Value::Bool(b)) = value {
            data.insert(key.into(), json!(b));
        }
    }
    for from in container
        .get("envFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(name) = from.pointer("/configMapRef/name").and_then(Value::as_str) {
            references.push(Reference::From {
                kind: NodeKind::ConfigMap,
                name: name.into(),
                mount_path: String::new(),
            });
        }
        if let Some(name) = from.pointer("/secretRef/name").and_then(Value::as_str) {
            references.push(Reference::From {
                kind: NodeKind::Secret,
                name: name.into(),
                mount_path: String::new(),
            });
        }
    }
    data.insert("emptyDirs".into(), json!([]));
    volumes(spec, container, object, draft, &mut references, data);
    (labels, references)
}

fn env(container: &Value, object: &str, draft: &mut Draft) -> Vec<Value> {
    let mut out = Vec::new();
    for var in container
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = text(var.get("name"));
        if var.get("valueFrom").is_some() {
            draft.warn(
                Some(object),
                Some(&format!("env.{name}")),
                "`valueFrom` was dropped: connect a ConfigMap or Secret instead",
            );
            continue;
        }
        out.push(json!({ "name": name, "value": text(var.get("value")) }));
    }
    out
}

fn probe(probe: Option<&Value>) -> Value {
    let Some(p) = probe else {
        return json!({ "type": "none" });
    };
    let mut out = Map::new();
    if let Some(http) = p.get("httpGet") {
        out.insert("type".into(), json!("http"));
        let path = text(http.get("path"));
        out.insert(
            "path".into(),
            json!(if path.is_empty() {
                "/".to_string()
            } else {
                path
            }),
        );
        out.insert(
            "scheme".into(),
            http.get("scheme").cloned().unwrap_or(json!("HTTP")),
        );
        out.insert(
            "port".into(),
            http.get("port")
                .filter(|p| p.is_number())
                .cloned()
                .unwrap_or(Value::Null),
        );
    } else if let Some(tcp) = p.get("tcpSocket") {
        out.insert("type".into(), json!("tcp"));
        out.insert(
            "port".into(),
            tcp.get("port")
                .filter(|p| p.is_number())
                .cloned()
                .unwrap_or(Value::Null),
        );
    } else if let Some(exec) = p.get("exec") {
        out.insert("type".into(), json!("exec"));
        out.insert("command".into(), json!(list(exec.get("command"))));
    } else {
        return json!({ "type": "none" });
    }
    for key in [
        "initialDelaySeconds",
        "periodSeconds",
        "timeoutSeconds",
        "failureThreshold",
    ] {
        if let Some(v) = p.get(key).filter(|v| v.is_number()) {
            out.insert(key.into(), v.clone());
        }
    }
    Value::Object(out)
}

fn security(container: Option<&Value>, pod: Option<&Value>) -> Value {
    let c = container.cloned().unwrap_or(Value::Null);
    let flag = |key: &str, default: bool| c.get(key).and_then(Value::as_bool).unwrap_or(default);
    json!({
        "runAsNonRoot": flag("runAsNonRoot", false),
        "runAsUser": c.get("runAsUser").cloned().unwrap_or(Value::Null),
        "runAsGroup": c.get("runAsGroup").cloned().unwrap_or(Value::Null),
        "fsGroup": pod.and_then(|p| p.get("fsGroup")).cloned().unwrap_or(Value::Null),
        "readOnlyRootFilesystem": flag("readOnlyRootFilesystem", false),
        "allowPrivilegeEscalation": flag("allowPrivilegeEscalation", true),
        "privileged": flag("privileged", false),
        "capabilitiesAdd": list(c.pointer("/capabilities/add")),
        "capabilitiesDrop": list(c.pointer("/capabilities/drop")),
    })
}

fn tolerations(value: Option<&Value>) -> Value {
    let items: Vec<Value> = value
        .and_then(Value::as_array)
        .map(|ts| {
            ts.iter()
                .map(|t| json!({
                    "key": text(t.get("key")),
                    "operator": t.get("operator").cloned().unwrap_or(json!("Equal")),
                    "value": text(t.get("value")),
                    "effect": text(t.get("effect")),
                    "tolerationSeconds": t.get("tolerationSeconds").cloned().unwrap_or(Value::Null),
                }))
                .collect()
        })
        .unwrap_or_default();
    json!(items)
}

fn volumes(
    spec: &Value,
    container: &Value,
    object: &str,
    draft: &mut Draft,
    references: &mut Vec<Reference>,
    data: &mut Map<String, Value>,
) {
    let mounts = container
        .get("volumeMounts")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for volume in spec
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = text(volume.get("name"));
        let path = mount_path(&mounts, &name);
        let found = [
            (NodeKind::ConfigMap, "/configMap/name"),
            (NodeKind::Secret, "/secret/secretName"),
            (
                NodeKind::PersistentVolumeClaim,
                "/persistentVolumeClaim/claimName",
            ),
        ]
        .into_iter()
        .find_map(|(kind, pointer)| {
            volume
                .pointer(pointer)
                .and_then(Value::as_str)
                .map(|n| (kind, n.to_string()))
        });
        if let Some(empty) = volume.get("emptyDir") {
            let scratch = json!({
                "name": name.strip_prefix("scratch-").unwrap_or(&name),
                "mountPath": path,
                "memory": text(empty.get("medium")) == "Memory",
                "sizeLimit": text(empty.get("sizeLimit")),
            });
            if let Some(Value::Array(items)) = data.get_mut("emptyDirs") {
                items.push(scratch);
            }
            continue;
        }
        match found {
            Some((kind, source)) => references.push(Reference::From { kind, name: source, mount_path: path }),
            None => draft.warn(Some(object), Some(&format!("volumes.{name}")), "only ConfigMap, Secret, PersistentVolumeClaim and emptyDir volumes are imported: dropped"),
        }
    }
}
