//! The standard labels every object gets and the selector pods are matched by (spec §3).

use crate::model::data::{ObjectSettings, StringMap};

/// The label every object carries with its workflow's id.
pub const WORKFLOW_LABEL: &str = "kubeorch.io/workflow";
/// The label every object carries with its node's id.
pub const NODE_LABEL: &str = "kubeorch.io/node";
/// The label with the object's (and its pods') name.
pub const NAME_LABEL: &str = "app.kubernetes.io/name";
/// The label marking objects this product manages.
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
/// Value of [`MANAGED_BY_LABEL`] (also the server-side apply field manager).
pub const MANAGED_BY: &str = "kubeorch";
/// Label key prefixes (and keys) KubeOrch sets itself; users cannot set them.
pub const RESERVED_PREFIXES: [&str; 3] = ["kubeorch.io/", NAME_LABEL, MANAGED_BY_LABEL];

/// The labels pods are selected by: name and workflow.
pub fn selector_labels(workflow_id: &str, name: &str) -> StringMap {
    StringMap::from([
        (NAME_LABEL.to_string(), name.to_string()),
        (WORKFLOW_LABEL.to_string(), workflow_id.to_string()),
    ])
}

/// The four labels every object gets.
pub fn standard_labels(workflow_id: &str, node_id: &str, name: &str) -> StringMap {
    let mut labels = selector_labels(workflow_id, name);
    labels.insert(MANAGED_BY_LABEL.into(), MANAGED_BY.into());
    labels.insert(NODE_LABEL.into(), node_id.into());
    labels
}

/// The user's labels plus the standard ones (which win).
pub fn object_labels(workflow_id: &str, node_id: &str, object: &ObjectSettings) -> StringMap {
    let mut labels = object.labels.clone();
    labels.extend(standard_labels(workflow_id, node_id, &object.name));
    labels
}
