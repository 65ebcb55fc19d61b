//! Whether an apply changed its object.
//!
//! An apply that writes nothing keeps the resourceVersion its dry-run saw; but a controller's
//! status update between the dry-run and the apply moves the resourceVersion too (a rollout in
//! progress does so many times a second), so a second signal is kept: each object's answer to its
//! last apply, reduced to what the workflow decides (everything but `status`, the
//! resourceVersion, other managers' `managedFields` entries and the metadata they own). An apply
//! whose answer reduces
//! to the same digest as the previous one changed nothing. Our own `managedFields` entry is part
//! of it, so an apply that puts back a value someone else changed (its `time` moves) counts as a
//! change. The digests live in memory: after a restart the first deploy has only the
//! resourceVersion to go by.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};

use app::domain::deploy::MANAGER;

/// The digest of an apply's answer (see the module docs).
pub type Digest = [u8; 32];

/// How many objects' digests are kept before the memory starts over.
const CAPACITY: usize = 100_000;

/// The label or annotation keys our `managedFields` entry (its `fieldsV1`) owns.
fn owned_keys<'a>(ours: &'a [Value], section: &str) -> Vec<&'a str> {
    let path = format!("/fieldsV1/f:metadata/f:{section}");
    ours.iter()
        .filter_map(|entry| entry.pointer(&path)?.as_object())
        .flat_map(|fields| fields.keys())
        .filter_map(|k| k.strip_prefix("f:"))
        .collect()
}

/// The digest of `object` as answered by an apply: its uid, our `managedFields` entries, the
/// labels and annotations they own, and everything outside `metadata` but `status`. Other
/// managers' entries and metadata (a controller's revision annotation, finalizers) and the
/// resourceVersion are left out.
pub fn digest(object: &Value) -> Digest {
    let mut reduced = object.as_object().cloned().unwrap_or_default();
    reduced.remove("status");
    let meta = reduced.remove("metadata").unwrap_or(Value::Null);
    let ours: Vec<Value> = meta
        .get("managedFields")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|e| e.get("manager").and_then(Value::as_str) == Some(MANAGER))
        .cloned()
        .collect();
    let mut kept = Map::new();
    for section in ["labels", "annotations"] {
        let owned = owned_keys(&ours, section);
        let values: Map<String, Value> = meta
            .get(section)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(k, _)| owned.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        kept.insert(section.into(), Value::Object(values));
    }
    kept.insert(
        "uid".into(),
        meta.get("uid").cloned().unwrap_or(Value::Null),
    );
    kept.insert("managedFields".into(), Value::Array(ours));
    reduced.insert("metadata".into(), Value::Object(kept));
    let bytes = serde_json::to_vec(&reduced).unwrap_or_default();
    Sha256::digest(bytes).into()
}

/// Whether an apply changed nothing: it kept the resourceVersion the dry-run saw (`seen`, empty
/// when the object did not exist), or its answer has the same digest as the object's previous
/// apply.
pub fn unchanged(
    seen: &str,
    answer_version: &str,
    answer: &Digest,
    previous: Option<&Digest>,
) -> bool {
    (!seen.is_empty() && seen == answer_version) || previous == Some(answer)
}

/// The digest of each object's last apply, by cluster and object.
#[derive(Default)]
pub struct LastApplied {
    digests: Mutex<HashMap<String, Digest>>,
}

/// The key of an object in a cluster: the cluster record, API version, resource (plural),
/// namespace and name.
pub fn key(
    cluster_id: &str,
    api_version: &str,
    plural: &str,
    namespace: Option<&str>,
    name: &str,
) -> String {
    let namespace = namespace.unwrap_or_default();
    format!("{cluster_id}\n{api_version}\n{plural}\n{namespace}\n{name}")
}

impl LastApplied {
    /// Records `digest` as the last apply of `key`; returns the one it replaces.
    pub fn replace(&self, key: String, digest: Digest) -> Option<Digest> {
        let Ok(mut digests) = self.digests.lock() else {
            return None;
        };
        if digests.len() >= CAPACITY && !digests.contains_key(&key) {
            digests.clear();
        }
        digests.insert(key, digest)
    }

    /// Forgets `key` (its apply failed, or it was deleted).
    pub fn forget(&self, key: &str) {
        if let Ok(mut digests) = self.digests.lock() {
            digests.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment(rv: &str, image: &str, ready: i64, our_time: &str) -> Value {
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {
                "name": "web", "namespace": "shop", "uid": "u-1", "generation": 2,
                "resourceVersion": rv,
                "labels": {"app": "web"},
                "managedFields": [
                    {"manager": MANAGER, "operation": "Apply", "time": our_time,
                     "fieldsV1": {"f:metadata": {"f:labels": {"f:app": {}}},
                                  "f:spec": {"f:template": {}}}},
                    {"manager": "kube-controller-manager", "operation": "Update",
                     "time": format!("2026-11-30T10:00:0{ready}Z"), "subresource": "status",
                     "fieldsV1": {"f:status": {}}}
                ]
            },
            "spec": {"template": {"spec": {"containers": [{"name": "web", "image": image}]}}},
            "status": {"readyReplicas": ready}
        })
    }

    const T0: &str = "2026-11-30T09:00:00Z";

    #[test]
    fn a_status_update_between_dry_run_and_apply_is_not_a_change() {
        let before = digest(&deployment("10", "nginx:1", 1, T0));
        let answer = deployment("12", "nginx:1", 2, T0);
        assert!(unchanged("11", "12", &digest(&answer), Some(&before)));
    }

    #[test]
    fn metadata_another_manager_writes_is_not_a_change() {
        let before = digest(&deployment("10", "nginx:1", 1, T0));
        let mut answer = deployment("12", "nginx:1", 1, T0);
        answer["metadata"]["annotations"] = json!({"deployment.kubernetes.io/revision": "2"});
        answer["metadata"]["labels"]["team"] = json!("payments");
        answer["metadata"]["finalizers"] = json!(["example.com/guard"]);
        assert!(unchanged("11", "12", &digest(&answer), Some(&before)));
    }

    #[test]
    fn a_changed_label_of_ours_is_a_change() {
        let before = digest(&deployment("10", "nginx:1", 1, T0));
        let mut answer = deployment("12", "nginx:1", 1, T0);
        answer["metadata"]["labels"]["app"] = json!("shop");
        assert!(!unchanged("11", "12", &digest(&answer), Some(&before)));
    }

    #[test]
    fn a_changed_spec_is_a_change_whatever_the_status() {
        let before = digest(&deployment("10", "nginx:1", 1, T0));
        for ready in [1, 2] {
            let answer = deployment("12", "nginx:2", ready, T0);
            assert!(!unchanged("11", "12", &digest(&answer), Some(&before)));
        }
    }

    #[test]
    fn a_value_put_back_is_a_change() {
        let before = digest(&deployment("10", "nginx:1", 1, T0));
        let answer = deployment("12", "nginx:1", 1, "2026-11-30T09:30:00Z");
        assert!(!unchanged("11", "12", &digest(&answer), Some(&before)));
    }

    #[test]
    fn the_kept_resource_version_alone_tells_an_unchanged_object() {
        let answer = digest(&deployment("11", "nginx:2", 1, T0));
        assert!(unchanged("11", "11", &answer, None));
        assert!(!unchanged("11", "12", &answer, None));
        assert!(!unchanged("", "12", &answer, None));
    }

    #[test]
    fn a_recreated_object_is_a_change() {
        let before = digest(&deployment("10", "nginx:1", 1, T0));
        let mut answer = deployment("30", "nginx:1", 1, T0);
        answer["metadata"]["uid"] = json!("u-2");
        assert!(!unchanged("", "30", &digest(&answer), Some(&before)));
    }

    #[test]
    fn the_memory_keeps_one_digest_per_object() {
        let memory = LastApplied::default();
        let k = key("c1", "apps/v1", "deployments", Some("shop"), "web");
        assert_eq!(memory.replace(k.clone(), [1; 32]), None);
        assert_eq!(memory.replace(k.clone(), [2; 32]), Some([1; 32]));
        memory.forget(&k);
        assert_eq!(memory.replace(k, [3; 32]), None);
        let other = key("c2", "apps/v1", "deployments", Some("shop"), "web");
        assert_eq!(memory.replace(other, [4; 32]), None);
    }
}
