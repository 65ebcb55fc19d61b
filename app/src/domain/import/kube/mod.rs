//! Plain Kubernetes YAML (one or more documents, `List` objects too) → nodes of their kind with
//! fields mapped, `custom` nodes for other kinds, and edges inferred from selectors, Ingress
//! backends, `envFrom`, volumes and `scaleTargetRef`. The standard labels KubeOrch renders are
//! dropped, so importing a rendered workflow gives back the design.

mod objects;
mod pod;

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};

use super::draft::Draft;
use super::error::{ImportError, MAX_BYTES, MAX_SERVICES};
use crate::domain::wiring::RESERVED_PREFIXES;
use crate::model::import::{Analysis, ImportFormat};
use crate::model::NodeKind;

/// A reference from one object to another, resolved into an edge once all nodes exist.
#[derive(Clone, Debug)]
pub(crate) enum Reference {
    /// `source` → the node of `kind` named `name` (same namespace).
    To { kind: NodeKind, name: String },
    /// `source` → every workload whose pod labels include these.
    Selects(BTreeMap<String, String>),
    /// The named node → `source` (a ConfigMap/Secret/PVC used by a workload), with the path it
    /// is mounted at (empty for `envFrom`).
    From {
        kind: NodeKind,
        name: String,
        mount_path: String,
    },
}

/// What one object turned into.
pub(crate) struct Converted {
    pub kind: NodeKind,
    pub name: String,
    pub data: Value,
    pub references: Vec<Reference>,
    /// Pod labels (workloads), for selector matching.
    pub pod_labels: BTreeMap<String, String>,
}

/// Converts Kubernetes YAML; objects without a namespace go into `namespace`.
pub fn convert(text: &str, namespace: &str) -> Result<Analysis, ImportError> {
    if text.len() > MAX_BYTES {
        return Err(ImportError::TooLarge {
            size: text.len(),
            limit: MAX_BYTES,
        });
    }
    let namespace = if namespace.is_empty() {
        "default"
    } else {
        namespace
    };
    let objects = documents(text)?;
    if objects.is_empty() {
        return Err(ImportError::Empty(
            "no Kubernetes objects found: each document needs apiVersion, kind and metadata.name"
                .into(),
        ));
    }
    if objects.len() > MAX_SERVICES {
        return Err(ImportError::TooMany {
            count: objects.len(),
            what: "objects",
            limit: MAX_SERVICES,
        });
    }
    let mut draft = Draft::new(namespace);
    let mut converted: Vec<(String, Converted)> = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        let Some(item) = objects::convert(object, i, &mut draft) else {
            continue;
        };
        let id = draft.add(item.kind, &item.name, item.data.clone());
        if draft.name_of(&id) != item.name {
            draft.warn(
                Some(&item.name),
                None,
                format!(
                    "another {} has the same name: renamed to {}",
                    item.kind,
                    draft.name_of(&id)
                ),
            );
        }
        converted.push((id, item));
    }
    link(&mut draft, &converted);
    Ok(draft.finish(ImportFormat::Kubernetes))
}

/// Every object of the documents (`kind: List` unpacked), as JSON.
fn documents(text: &str) -> Result<Vec<Value>, ImportError> {
    let mut out = Vec::new();
    for document in yaml_serde::Deserializer::from_str(text) {
        let value = Value::deserialize(document).map_err(|err| ImportError::Yaml {
            line: err.location().map(|l| l.line()),
            message: err.to_string(),
        })?;
        match value {
            Value::Null => {}
            Value::Object(ref map) if map.get("kind").and_then(Value::as_str) == Some("List") => {
                if let Some(Value::Array(items)) = map.get("items") {
                    out.extend(items.iter().cloned());
                }
            }
            other => out.push(other),
        }
        if out.len() > MAX_SERVICES {
            break;
        }
    }
    Ok(out)
}

/// Labels without the ones KubeOrch sets itself.
pub(crate) fn own_labels(value: Option<&Value>) -> BTreeMap<String, String> {
    strings(value)
        .into_iter()
        .filter(|(k, _)| !RESERVED_PREFIXES.iter().any(|p| k.starts_with(p)))
        .collect()
}

/// A string or number as text (anything else: empty).
pub(crate) fn text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The `mountPath` of the volume mount named `name` in `mounts` (empty when none).
pub(crate) fn mount_path(mounts: &[Value], name: &str) -> String {
    mounts
        .iter()
        .find(|m| text(m.get("name")) == name)
        .map(|m| text(m.get("mountPath")))
        .unwrap_or_default()
}

/// A JSON object of strings as a map (other values skipped).
pub(crate) fn strings(value: Option<&Value>) -> BTreeMap<String, String> {
    value
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// Resolves references into edges (and mount paths onto ConfigMaps/Secrets/PVCs).
fn link(draft: &mut Draft, converted: &[(String, Converted)]) {
    let by_name: BTreeMap<(NodeKind, &str), &str> = converted
        .iter()
        .map(|(id, c)| ((c.kind, c.name.as_str()), id.as_str()))
        .collect();
    for (id, item) in converted {
        for reference in &item.references {
            match reference {
                Reference::To { kind, name } => match by_name.get(&(*kind, name.as_str())) {
                    Some(target) => {
                        draft.link(id, target);
                    }
                    None => draft.warn(
                        Some(&item.name),
                        None,
                        format!("refers to {kind} {name}, which is not in the file"),
                    ),
                },
                Reference::Selects(selector) => {
                    let mut matched = false;
                    for (other, candidate) in converted {
                        let selected = candidate.kind.is_workload()
                            && !selector.is_empty()
                            && selector
                                .iter()
                                .all(|(k, v)| candidate.pod_labels.get(k) == Some(v));
                        if selected && draft.link(id, other) {
                            matched = true;
                        }
                    }
                    if matched {
                        clear_selector(draft, id, item.kind);
                    }
                }
                Reference::From {
                    kind,
                    name,
                    mount_path,
                } => {
                    let Some(source) = by_name.get(&(*kind, name.as_str())) else {
                        draft.warn(
                            Some(&item.name),
                            None,
                            format!("uses {kind} {name}, which is not in the file"),
                        );
                        continue;
                    };
                    draft.link(source, id);
                    if let Some(node) = draft.node_mut(source) {
                        let current = node
                            .data
                            .get("mountPath")
                            .and_then(Value::as_str)
                            .unwrap_or_default();
                        if current.is_empty() && !mount_path.is_empty() {
                            node.data.insert("mountPath".into(), json!(mount_path));
                        }
                    }
                }
            }
        }
    }
}

/// A selector that the edges now express is removed from the node (the wiring derives it).
fn clear_selector(draft: &mut Draft, id: &str, kind: NodeKind) {
    let key = match kind {
        NodeKind::Service => "selector",
        NodeKind::NetworkPolicy => "podSelector",
        _ => return,
    };
    if let Some(node) = draft.node_mut(id) {
        node.data.insert(key.into(), json!({}));
    }
}

#[cfg(test)]
mod tests;
