//! Design vs live: what applying an object would change, field by field. The planned object is
//! what a server-side dry-run of the apply returned (so defaults and other managers' fields are
//! as the server would keep them); both sides drop what the server maintains itself.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::diff::{json_changes, FieldChange};
use crate::model::ObjectRef;

/// What an apply does to one object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlanAction {
    /// The object does not exist yet.
    Create,
    /// Some fields change.
    Update,
    /// Nothing changes.
    Unchanged,
    /// The object exists but the design no longer has it: it is deleted.
    Prune,
    /// The dry-run failed (see the message): nothing would be applied.
    Error,
    /// The node renders nothing (e.g. it uses an existing Secret).
    Skip,
}

/// The plan for one object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectPlan {
    /// The node (absent for pruned objects without a node label).
    pub node_id: Option<String>,
    /// The object.
    pub object: Option<ObjectRef>,
    /// What happens.
    pub action: PlanAction,
    /// Field changes (`old` = live, `new` = after the apply).
    #[serde(default)]
    pub changes: Vec<FieldChange>,
    /// Why it fails or is skipped.
    #[serde(default)]
    pub message: Option<String>,
}

/// Metadata the API server maintains; never part of a design diff.
const SERVER_METADATA: &[&str] = &[
    "managedFields",
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "generation",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
];
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// `object` without status and server-maintained metadata.
pub fn comparable(object: &Value) -> Value {
    let mut object = object.clone();
    if let Some(map) = object.as_object_mut() {
        map.remove("status");
        if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
            for key in SERVER_METADATA {
                meta.remove(*key);
            }
            let empty = match meta.get_mut("annotations").and_then(Value::as_object_mut) {
                Some(annotations) => {
                    annotations.remove(LAST_APPLIED);
                    annotations.is_empty()
                }
                None => false,
            };
            if empty {
                meta.remove("annotations");
            }
        }
    }
    object
}

/// The action and field changes of applying so that `live` becomes `planned`.
pub fn object_changes(live: Option<&Value>, planned: &Value) -> (PlanAction, Vec<FieldChange>) {
    let after = comparable(planned);
    match live {
        None => (PlanAction::Create, json_changes(&Value::Null, &after)),
        Some(live) => {
            let changes = json_changes(&comparable(live), &after);
            let action = if changes.is_empty() {
                PlanAction::Unchanged
            } else {
                PlanAction::Update
            };
            (action, changes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn server_fields_are_ignored_and_real_changes_have_paths() {
        let live = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "resourceVersion": "7", "uid": "u", "generation": 2,
                "managedFields": [{"manager": "kubeorch"}],
                "annotations": {LAST_APPLIED: "{}"}},
            "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "web", "image": "nginx:1"}]}}},
            "status": {"readyReplicas": 2}});
        let mut planned = live.clone();
        planned["metadata"]["resourceVersion"] = json!("9");
        planned["status"] = json!({});
        assert_eq!(
            object_changes(Some(&live), &planned),
            (PlanAction::Unchanged, vec![])
        );
        planned["spec"]["replicas"] = json!(3);
        planned["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:2");
        let (action, changes) = object_changes(Some(&live), &planned);
        assert_eq!(action, PlanAction::Update);
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            ["spec.replicas", "spec.template.spec.containers[0].image"]
        );
        assert_eq!(changes[0].old, Some(json!(2)));
        assert_eq!(changes[0].new, Some(json!(3)));
        let (action, created) = object_changes(None, &planned);
        assert_eq!(action, PlanAction::Create);
        assert!(!created.is_empty());
    }
}
