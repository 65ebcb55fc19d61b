//! Service keys the conversion does not carry over are removed before the typed parse, each
//! with a warning naming it: the typed model then only has to read what is converted, so a
//! strictly checked key that is dropped anyway never makes a file unreadable.

use yaml_serde::{Mapping, Value};

use super::super::draft::Draft;
use super::parse::scalar;

/// Service keys the conversion maps (fully or approximately, with their own warnings).
const HANDLED: &[&str] = &[
    "image",
    "build",
    "command",
    "entrypoint",
    "environment",
    "env_file",
    "ports",
    "expose",
    "volumes",
    "tmpfs",
    "secrets",
    "configs",
    "healthcheck",
    "deploy",
    "scale",
    "restart",
    "depends_on",
    "profiles",
    "labels",
    "annotations",
    "cap_add",
    "cap_drop",
    "privileged",
    "read_only",
    "user",
    "pull_policy",
    "cpus",
    "mem_limit",
    "mem_reservation",
    "extends",
];

/// Keys dropped without consequence for Kubernetes, with why.
const HARMLESS: &[(&str, &str)] = &[
    ("container_name", "the object names come from the service name"),
    ("networks", "every Service in the namespace is reachable by name; use a NetworkPolicy to restrict traffic"),
    ("links", "every Service in the namespace is reachable by name"),
    ("hostname", "pods are reached through their Service name"),
    ("stdin_open", "not applicable to pods"),
    ("tty", "not applicable to pods"),
    ("init", "not applicable to pods"),
    ("logging", "the cluster's log collection applies"),
    ("develop", "a development-only setting"),
];

/// Deploy keys the conversion maps.
const DEPLOY_HANDLED: &[&str] = &["replicas", "resources", "mode", "restart_policy"];

/// Removes every key of `service` that is not converted (`x-` extensions stay), with a warning
/// each; `known` says which keys the Compose specification has.
pub fn drop_unconverted(service: &mut Mapping, name: &str, known: &[&str], draft: &mut Draft) {
    let keys: Vec<Value> = service.keys().cloned().collect();
    for key in keys {
        let text = scalar(&key);
        if text.starts_with("x-") || HANDLED.contains(&text.as_str()) {
            continue;
        }
        service.shift_remove(&key);
        let message = if !known.contains(&text.as_str()) {
            format!("`{text}` is not a Compose key this import knows: it was dropped")
        } else {
            let why = HARMLESS.iter().find(|(k, _)| *k == text).map_or(
                "it has no equivalent in the generated Kubernetes objects",
                |(_, why)| why,
            );
            format!("`{text}` was dropped: {why}")
        };
        draft.warn(Some(name), Some(&text), message);
    }
    if let Some(Value::Mapping(deploy)) = service.get_mut("deploy") {
        let keys: Vec<Value> = deploy.keys().cloned().collect();
        for key in keys {
            let text = scalar(&key);
            if DEPLOY_HANDLED.contains(&text.as_str()) || text.starts_with("x-") {
                continue;
            }
            deploy.shift_remove(&key);
            draft.warn(
                Some(name),
                Some(&format!("deploy.{text}")),
                format!("`deploy.{text}` was dropped: it has no equivalent in the generated Kubernetes objects"),
            );
        }
    }
}
