//! Workloads: pod labels, selector, and what connected ConfigMaps, Secrets and PVCs add.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{Derived, Design};
use crate::domain::edges::EdgeMeaning;
use crate::domain::issue::Issue;
use crate::model::data::StatefulSetSettings;
use crate::model::NodeSettings;

pub(super) fn workload(
    design: &Design,
    index: usize,
    settings: &NodeSettings,
    derived: &mut Derived,
    issues: &mut Vec<Issue>,
) {
    let name = settings.name();
    derived.selector = super::selector_labels(design.workflow_id, name);
    derived.pod_labels = derived.labels.clone();
    derived.container_name = name.replace('.', "-");
    let mut mounts: Vec<(String, String, Value, Value)> = Vec::new(); // (path, what, volume, mount)
    for meaning in [
        EdgeMeaning::ConfigFrom,
        EdgeMeaning::SecretFrom,
        EdgeMeaning::Mounts,
    ] {
        for (_, source) in design.sources(index, meaning) {
            attach(source, derived, &mut mounts);
        }
    }
    if let NodeSettings::StatefulSet(set) = settings {
        derived.service_name = governing_service(design, index, set, issues);
        for claim in &set.volume_claim_templates {
            let path = default_path(&claim.mount_path, &claim.name);
            let mount = json!({ "name": claim.name, "mountPath": path });
            mounts.push((
                path,
                format!("volume claim template {}", claim.name),
                Value::Null,
                mount,
            ));
        }
    }
    for scratch in settings
        .pod()
        .map(|p| p.empty_dirs.as_slice())
        .unwrap_or_default()
    {
        let volume_name = volume_name("scratch", &scratch.name);
        let mut empty_dir = serde_json::Map::new();
        if scratch.memory {
            empty_dir.insert("medium".into(), json!("Memory"));
        }
        if !scratch.size_limit.is_empty() {
            empty_dir.insert("sizeLimit".into(), json!(scratch.size_limit));
        }
        mounts.push((
            scratch.mount_path.clone(),
            format!("scratch volume {}", scratch.name),
            json!({ "name": volume_name, "emptyDir": empty_dir }),
            json!({ "name": volume_name, "mountPath": scratch.mount_path }),
        ));
    }
    derived.autoscaled = !design.sources(index, EdgeMeaning::Scales).is_empty();
    mounts.sort_by(|a, b| a.0.cmp(&b.0));
    let mut by_path: BTreeMap<&str, &str> = BTreeMap::new();
    for (path, what, _, _) in &mounts {
        if let Some(first) = by_path.insert(path, what) {
            issues.push(Issue::error(format!(
                "{first} and {what} are both mounted at {path}: give one a different mount path"
            )));
        }
    }
    for (_, _, volume, mount) in mounts {
        if !volume.is_null() {
            derived.volumes.push(volume);
        }
        derived.volume_mounts.push(mount);
    }
}

/// `mount_path`, or `/data/<name>` when empty.
pub(super) fn default_path(mount_path: &str, name: &str) -> String {
    if mount_path.is_empty() {
        format!("/data/{name}")
    } else {
        mount_path.to_string()
    }
}

fn attach(
    source: &NodeSettings,
    derived: &mut Derived,
    mounts: &mut Vec<(String, String, Value, Value)>,
) {
    let name = source.name();
    let (prefix, volume_source, mount_path, read_only) = match source {
        NodeSettings::ConfigMap(cm) if cm.mount_path.is_empty() => {
            return derived
                .env_from
                .push(json!({ "configMapRef": { "name": name } }));
        }
        NodeSettings::Secret(secret) if secret.mount_path.is_empty() => {
            return derived
                .env_from
                .push(json!({ "secretRef": { "name": name } }));
        }
        NodeSettings::ConfigMap(cm) => (
            "config",
            json!({ "configMap": { "name": name } }),
            cm.mount_path.clone(),
            true,
        ),
        NodeSettings::Secret(s) => (
            "secret",
            json!({ "secret": { "secretName": name } }),
            s.mount_path.clone(),
            true,
        ),
        NodeSettings::PersistentVolumeClaim(pvc) => (
            "data",
            json!({ "persistentVolumeClaim": { "claimName": name } }),
            default_path(&pvc.mount_path, name),
            false,
        ),
        _ => return,
    };
    let volume_name = volume_name(prefix, name);
    let mut volume = volume_source;
    volume["name"] = json!(volume_name);
    let mut mount = json!({ "name": volume_name, "mountPath": mount_path });
    if read_only {
        mount["readOnly"] = json!(true);
    }
    let what = format!("{} {name}", source.kind());
    mounts.push((mount_path, what, volume, mount));
}

/// A valid, stable volume name `<prefix>-<name>`: dots become dashes, and names over 63
/// characters are cut and suffixed with a hash of the full name.
pub fn volume_name(prefix: &str, name: &str) -> String {
    let full = format!("{prefix}-{}", name.replace('.', "-"));
    if full.len() <= 63 {
        return full;
    }
    let hash = full.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let head = full[..54].trim_end_matches('-');
    format!("{head}-{:08x}", hash as u32)
}

/// A connected headless Service's name, else the set's own setting, else its name.
fn governing_service(
    design: &Design,
    index: usize,
    set: &StatefulSetSettings,
    issues: &mut Vec<Issue>,
) -> String {
    let headless = design
        .links
        .iter()
        .filter(|l| l.meaning == EdgeMeaning::Selects && l.target == index)
        .filter_map(|l| design.settings(l.source))
        .find_map(|s| match s {
            NodeSettings::Service(svc) if svc.headless => Some(svc.object.name.clone()),
            _ => None,
        });
    match headless {
        Some(name) => {
            if !set.service_name.is_empty() && set.service_name != name {
                issues.push(Issue::field_warning(
                    "serviceName",
                    format!("the connected headless Service {name} is used instead"),
                ));
            }
            name
        }
        None if !set.service_name.is_empty() => set.service_name.clone(),
        None => {
            issues.push(Issue::warning(
                "no headless Service is connected, so pods get no stable DNS names: add a Service with Headless on and connect it to this StatefulSet",
            ));
            set.object.name.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_names_are_valid_labels() {
        assert_eq!(volume_name("config", "app.conf"), "config-app-conf");
        let long = volume_name("data", &"a".repeat(63));
        assert!(long.len() <= 63, "{long}");
        assert!(crate::domain::formats::is_dns1123_label(&long));
        assert_ne!(long, volume_name("data", &format!("{}b", "a".repeat(62))));
    }
}
