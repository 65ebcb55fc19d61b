//! The standard labels every object gets and the selector pods are matched by (spec §3).

use crate::model::data::{ObjectSettings, StringMap};

/// Value of `app.kubernetes.io/managed-by`.
pub const MANAGED_BY: &str = "kubeorch";
/// Label key prefixes (and keys) KubeOrch sets itself; users cannot set them.
pub const RESERVED_PREFIXES: [&str; 3] = [
    "kubeorch.io/",
    "app.kubernetes.io/name",
    "app.kubernetes.io/managed-by",
];

/// The labels pods are selected by: name and workflow.
pub fn selector_labels(workflow_id: &str, name: &str) -> StringMap {
    StringMap::from([
        ("app.kubernetes.io/name".to_string(), name.to_string()),
        ("kubeorch.io/workflow".to_string(), workflow_id.to_string()),
    ])
}

/// The four labels every object gets.
pub fn standard_labels(workflow_id: &str, node_id: &str, name: &str) -> StringMap {
    let mut labels = selector_labels(workflow_id, name);
    labels.insert("app.kubernetes.io/managed-by".into(), MANAGED_BY.into());
    labels.insert("kubeorch.io/node".into(), node_id.into());
    labels
}

/// The user's labels plus the standard ones (which win).
pub fn object_labels(workflow_id: &str, node_id: &str, object: &ObjectSettings) -> StringMap {
    let mut labels = object.labels.clone();
    labels.extend(standard_labels(workflow_id, node_id, &object.name));
    labels
}
