//! Compose text → typed [`compose_spec::Compose`]: size caps, YAML (anchors and `<<` merges),
//! same-file `extends`, keys the typed model does not know (dropped with a warning, so newer
//! Compose keys never make a file unreadable), interpolation, then the typed parse with errors
//! naming the service and key.

use std::collections::BTreeSet;

use compose_spec::Compose;
use yaml_serde::{Mapping, Value};

use super::super::draft::Draft;
use super::super::error::{split_path, ImportError, MAX_BYTES, MAX_SERVICES};
use super::super::interpolate::{interpolate, Vars};

/// Top-level keys of the Compose specification.
const TOP_KEYS: &[&str] = &[
    "version", "name", "include", "services", "networks", "volumes", "configs", "secrets",
];

/// Service keys of the Compose specification (as modelled by `compose_spec`).
const SERVICE_KEYS: &[&str] = &[
    "attach",
    "build",
    "blkio_config",
    "cpu_count",
    "cpu_percent",
    "cpu_shares",
    "cpu_period",
    "cpu_quota",
    "cpu_rt_runtime",
    "cpu_rt_period",
    "cpus",
    "cpuset",
    "cap_add",
    "cap_drop",
    "cgroup",
    "cgroup_parent",
    "command",
    "configs",
    "container_name",
    "credential_spec",
    "depends_on",
    "deploy",
    "develop",
    "device_cgroup_rules",
    "devices",
    "dns",
    "dns_opt",
    "dns_search",
    "domainname",
    "entrypoint",
    "env_file",
    "environment",
    "expose",
    "extends",
    "annotations",
    "external_links",
    "extra_hosts",
    "group_add",
    "healthcheck",
    "hostname",
    "image",
    "init",
    "ipc",
    "uts",
    "isolation",
    "labels",
    "links",
    "logging",
    "network_mode",
    "networks",
    "mac_address",
    "mem_limit",
    "mem_reservation",
    "mem_swappiness",
    "memswap_limit",
    "oom_kill_disable",
    "oom_score_adj",
    "pid",
    "pids_limit",
    "platform",
    "ports",
    "privileged",
    "profiles",
    "pull_policy",
    "read_only",
    "restart",
    "runtime",
    "scale",
    "secrets",
    "security_opt",
    "shm_size",
    "stdin_open",
    "stop_grace_period",
    "stop_signal",
    "storage_opt",
    "sysctls",
    "tmpfs",
    "tty",
    "ulimits",
    "user",
    "userns_mode",
    "volumes",
    "volumes_from",
    "working_dir",
];

/// Keys whose interpolated values stay strings even when they look like numbers.
const TEXT_KEYS: &[&str] = &[
    "environment",
    "labels",
    "annotations",
    "command",
    "entrypoint",
    "test",
    "args",
    "content",
];

/// Parses and checks a Compose file. `vars` feeds interpolation; unknown keys, unset variables
/// and unresolvable `extends` become warnings in `draft`.
pub fn parse(text: &str, vars: &Vars, draft: &mut Draft) -> Result<Compose, ImportError> {
    if text.len() > MAX_BYTES {
        return Err(ImportError::TooLarge {
            size: text.len(),
            limit: MAX_BYTES,
        });
    }
    let mut root: Value = yaml_serde::from_str(text).map_err(|err| ImportError::Yaml {
        line: err.location().map(|l| l.line()),
        message: err.to_string(),
    })?;
    root.apply_merge().map_err(|err| ImportError::Yaml {
        line: None,
        message: format!("a `<<` merge key cannot be applied: {err}"),
    })?;
    let Value::Mapping(top) = &mut root else {
        return Err(no_services());
    };
    let services = match top.get_mut("services") {
        Some(Value::Mapping(services)) if !services.is_empty() => services,
        _ => return Err(no_services()),
    };
    if services.len() > MAX_SERVICES {
        return Err(ImportError::TooMany {
            count: services.len(),
            what: "services",
            limit: MAX_SERVICES,
        });
    }
    resolve_extends(services, draft)?;
    for (name, service) in services.iter_mut() {
        let name = scalar(name);
        match service {
            Value::Mapping(keys) => {
                drop_home_binds(keys, &name, draft);
                super::keys::drop_unconverted(keys, &name, SERVICE_KEYS, draft);
            }
            Value::Null => *service = Value::Mapping(Mapping::new()),
            _ => {
                return Err(ImportError::Invalid {
                    service: Some(name),
                    key: String::new(),
                    message: "a service must be a mapping of keys (image:, ports:, …)".into(),
                })
            }
        }
    }
    drop_unknown(top, TOP_KEYS, None, draft);
    for (key, why) in [
        ("networks", "every Service in the namespace is reachable by name; use NetworkPolicies to restrict traffic"),
        ("include", "included files are not followed: import them separately"),
        ("name", "the workflow name is chosen when applying"),
        ("version", "obsolete in the Compose specification"),
    ] {
        if top.shift_remove(key).is_some() && key != "version" && key != "name" {
            draft.warn(None, Some(key), format!("`{key}` was dropped: {why}"));
        }
    }

    let mut missing = BTreeSet::new();
    walk(&mut root, "", false, vars, &mut missing)?;
    for name in missing {
        draft.warn(
            None,
            None,
            format!("variable {name} is not set: it was replaced by an empty string (add it to the .env)"),
        );
    }
    serde_path_to_error::deserialize(root).map_err(|err| {
        let (service, key) = split_path(&err.path().to_string());
        ImportError::Invalid {
            service,
            key,
            message: err.into_inner().to_string(),
        }
    })
}

fn no_services() -> ImportError {
    ImportError::Empty(
        "no services found: a Compose file needs a top-level `services:` mapping with at least one service".into(),
    )
}

/// A scalar as text (keys are strings in practice).
pub(crate) fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

fn drop_unknown(map: &mut Mapping, known: &[&str], service: Option<&str>, draft: &mut Draft) {
    let unknown: Vec<Value> = map
        .keys()
        .filter(|k| {
            let key = scalar(k);
            !key.starts_with("x-") && !known.contains(&key.as_str())
        })
        .cloned()
        .collect();
    for key in unknown {
        map.shift_remove(&key);
        draft.warn(
            service,
            Some(&scalar(&key)),
            format!(
                "`{}` is not a Compose key this import knows: it was dropped",
                scalar(&key)
            ),
        );
    }
}

/// `~/…` binds (a path in the home folder of the Docker host) are dropped here: they have no
/// meaning in a cluster, and the typed model does not read them.
fn drop_home_binds(service: &mut Mapping, name: &str, draft: &mut Draft) {
    let Some(Value::Sequence(volumes)) = service.get_mut("volumes") else {
        return;
    };
    for (index, volume) in volumes.iter_mut().enumerate() {
        let Value::String(text) = volume else {
            continue;
        };
        let parts: Vec<&str> = text.split(':').collect();
        if parts.len() < 3 {
            continue;
        }
        let options: Vec<&str> = parts[parts.len() - 1].split(',').collect();
        let (known, other): (Vec<&str>, Vec<&str>) = options
            .iter()
            .partition(|o| matches!(**o, "ro" | "rw" | "z" | "Z"));
        if other.is_empty() {
            continue;
        }
        draft.warn(
            Some(name),
            Some(&format!("volumes[{index}]")),
            format!(
                "mount options {} have no Kubernetes equivalent: dropped",
                other.join(",")
            ),
        );
        let mut kept = parts[..parts.len() - 1].join(":");
        if !known.is_empty() {
            kept.push(':');
            kept.push_str(&known.join(","));
        }
        *text = kept;
    }
    let mut index = 0;
    volumes.retain(|volume| {
        let keep = !matches!(volume, Value::String(s) if s.starts_with('~'));
        if !keep {
            draft.warn(
                Some(name),
                Some(&format!("volumes[{index}]")),
                format!("bind mount of the host path {}: host paths are not available in a cluster; dropped", scalar(volume)),
            );
        }
        index += 1;
        keep
    });
}

/// Same-file `extends`: keys of the base service that the extending one does not set are
/// copied (repeatedly, for chains). `extends` with a `file` is dropped with a warning.
fn resolve_extends(services: &mut Mapping, draft: &mut Draft) -> Result<(), ImportError> {
    for _round in 0..8 {
        let mut changed = false;
        let names: Vec<Value> = services.keys().cloned().collect();
        for name in &names {
            let Some(Value::Mapping(service)) = services.get(name) else {
                continue;
            };
            let Some(extends) = service.get("extends").cloned() else {
                continue;
            };
            let (base, file) = match &extends {
                Value::String(base) => (base.clone(), None),
                Value::Mapping(m) => (
                    m.get("service").map(scalar).unwrap_or_default(),
                    m.get("file").map(scalar),
                ),
                _ => (String::new(), None),
            };
            let service_name = scalar(name);
            if let Some(file) = file {
                draft.warn(
                    Some(&service_name),
                    Some("extends"),
                    format!("`extends` from another file ({file}) cannot be followed: add the keys of `{base}` to this service"),
                );
            } else if let Some(Value::Mapping(parent)) = services.get(base.as_str()) {
                if parent.contains_key("extends") {
                    continue;
                }
                let parent = parent.clone();
                if let Some(Value::Mapping(child)) = services.get_mut(name) {
                    for (k, v) in parent {
                        if !child.contains_key(&k) {
                            child.insert(k, v);
                        }
                    }
                }
            } else {
                return Err(ImportError::Invalid {
                    service: Some(service_name),
                    key: "extends".into(),
                    message: format!("the service `{base}` it extends does not exist"),
                });
            }
            if let Some(Value::Mapping(child)) = services.get_mut(name) {
                child.shift_remove("extends");
            }
            changed = true;
        }
        if !changed {
            return Ok(());
        }
    }
    Err(ImportError::Invalid {
        service: None,
        key: "extends".into(),
        message: "services extend each other in a loop".into(),
    })
}

/// Interpolates every string value (not keys) in place.
fn walk(
    value: &mut Value,
    path: &str,
    text: bool,
    vars: &Vars,
    missing: &mut BTreeSet<String>,
) -> Result<(), ImportError> {
    match value {
        Value::String(s) if s.contains('$') => {
            let out = interpolate(s, vars, missing).map_err(|source| {
                let (service, key) = split_path(path);
                ImportError::Interpolation {
                    service,
                    key,
                    source,
                }
            })?;
            *value = match out.parse::<u64>() {
                Ok(n) if !text && !out.starts_with('0') => Value::Number(n.into()),
                _ => Value::String(out),
            };
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, &format!("{path}[{i}]"), text, vars, missing)?;
            }
        }
        Value::Mapping(map) => {
            for (k, v) in map.iter_mut() {
                let key = scalar(k);
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                let text = text || TEXT_KEYS.contains(&key.as_str());
                walk(v, &child, text, vars, missing)?;
            }
        }
        Value::Tagged(tagged) => walk(&mut tagged.value, path, text, vars, missing)?,
        _ => {}
    }
    Ok(())
}
