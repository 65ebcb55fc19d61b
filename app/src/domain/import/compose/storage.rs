//! Volumes, tmpfs, secrets and configs. Named volumes → PVCs (shared between services);
//! file and directory binds → a ConfigMap per target directory when the files are known (Git
//! import), else a warning; tmpfs and anonymous volumes → scratch volumes (emptyDir); secrets → a Secret per
//! target directory (key names only); configs → a ConfigMap per target directory.

use std::collections::BTreeMap;

use compose_spec::service::volumes::{into_long_iter, mount::Mount};
use compose_spec::service::ConfigOrSecret;
use compose_spec::{Identifier, ItemOrList, Resource, Service, ShortOrLong};
use serde_json::json;

use super::super::error::MAX_CONFIG_BYTES;
use super::super::names::{data_key, sanitize, with_suffix, MAX_NAME};
use super::{units, Context};
use crate::model::NodeKind;

/// Default PVC size when `kompose.volume.size` is not set.
pub const DEFAULT_SIZE: &str = "1Gi";

/// A path relative to the Compose file's folder (`./a/../b` → `b`), or `None` for absolute
/// paths and paths leaving the folder.
pub fn relative(path: &str) -> Option<String> {
    if path.starts_with('/') || path.starts_with('~') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Files to put into one ConfigMap or Secret mounted at a directory.
#[derive(Default)]
struct Folder {
    /// Key → content (`None`: name only).
    files: BTreeMap<String, Option<String>>,
    /// Where the keys came from, for warnings.
    what: Vec<String>,
}

fn split_target(target: &str) -> (String, String) {
    match target.rsplit_once('/') {
        Some(("", file)) => ("/".to_string(), file.to_string()),
        Some((dir, file)) => (dir.to_string(), file.to_string()),
        None => ("/".to_string(), target.to_string()),
    }
}

/// Adds storage objects for the service and connects them to `workload`.
pub fn volumes(
    ctx: &mut Context,
    name: &str,
    service: &Service,
    workload: &str,
    kompose: &BTreeMap<String, String>,
) {
    let mut binds: BTreeMap<String, Folder> = BTreeMap::new();
    for (i, mount) in into_long_iter(service.volumes.clone()).enumerate() {
        let key = format!("volumes[{i}]");
        match mount {
            Mount::Volume(volume) => {
                let target = volume
                    .common
                    .target
                    .as_path()
                    .to_string_lossy()
                    .into_owned();
                match volume.source {
                    Some(source) => named(ctx, name, &key, &source, &target, workload, kompose),
                    None => {
                        ctx.draft.warn(
                            Some(name),
                            Some(&key),
                            format!("anonymous volume at {target}: a scratch volume (emptyDir) that lives as long as the pod"),
                        );
                        scratch(ctx, workload, &target, false, None);
                    }
                }
            }
            Mount::Bind(bind) => {
                let source = bind.source.as_path().to_string_lossy().into_owned();
                let target = bind.common.target.as_path().to_string_lossy().into_owned();
                bind_mount(ctx, name, &key, &source, &target, &mut binds);
            }
            Mount::Tmpfs(tmpfs) => {
                let target = tmpfs.common.target.as_path().to_string_lossy().into_owned();
                let size = tmpfs.tmpfs.and_then(|t| t.size).map(units::bytes);
                scratch(ctx, workload, &target, true, size);
            }
            other => ctx.draft.warn(
                Some(name),
                Some(&key),
                format!(
                    "{} mounts have no Kubernetes equivalent: dropped",
                    other.kind()
                ),
            ),
        }
    }
    if let Some(tmpfs) = &service.tmpfs {
        let paths: Vec<String> = match tmpfs {
            ItemOrList::Item(p) => vec![p.as_path().to_string_lossy().into_owned()],
            ItemOrList::List(list) => list
                .iter()
                .map(|p| p.as_path().to_string_lossy().into_owned())
                .collect(),
        };
        for path in paths {
            scratch(ctx, workload, &path, true, None);
        }
    }
    folders(ctx, name, NodeKind::ConfigMap, "files", binds, workload);
}

/// Adds a scratch volume (`emptyDir`, in memory for tmpfs) at `target` to the workload.
fn scratch(ctx: &mut Context, workload: &str, target: &str, memory: bool, size: Option<String>) {
    let Some(node) = ctx.draft.node_mut(workload) else {
        return;
    };
    let list = node.data.entry("emptyDirs").or_insert_with(|| json!([]));
    let Some(items) = list.as_array_mut() else {
        return;
    };
    let base = sanitize(target, 50);
    let mut name = base.clone();
    let mut n = 2;
    while items.iter().any(|i| i["name"] == json!(name)) {
        name = format!("{}-{n}", cut_to(&base, 46));
        n += 1;
    }
    items.push(json!({ "name": name, "mountPath": target, "memory": memory, "sizeLimit": size.unwrap_or_default() }));
}

fn cut_to(text: &str, max: usize) -> String {
    text.chars()
        .take(max)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

fn named(
    ctx: &mut Context,
    name: &str,
    key: &str,
    source: &Identifier,
    target: &str,
    workload: &str,
    kompose: &BTreeMap<String, String>,
) {
    let shared = format!("pvc:{source}");
    let id = match ctx.shared.get(&shared).cloned() {
        Some(id) => {
            let path = ctx
                .draft
                .node(&id)
                .and_then(|n| n.data.get("mountPath"))
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            if path != target {
                ctx.draft.warn(
                    Some(name),
                    Some(key),
                    format!("volume {source} is mounted at {path} by another service: a claim has one mount path, so {path} is used here too"),
                );
            }
            ctx.draft.warn(
                Some(name),
                Some(key),
                format!("volume {source} is shared between services: its claim needs a storage class that supports ReadWriteMany, or the pods must run on one node"),
            );
            id
        }
        None => {
            let declared = ctx.compose.volumes.contains_key(source);
            let top = ctx.compose.volumes.get(source).cloned().flatten();
            let wanted = match &top {
                Some(Resource::External {
                    name: Some(external),
                }) => external.clone(),
                Some(Resource::Compose(v)) => v.name.clone().unwrap_or_else(|| source.to_string()),
                _ => source.to_string(),
            };
            match &top {
                Some(Resource::External { .. }) => ctx.draft.warn(
                    Some(name),
                    Some(key),
                    format!("volume {source} is external: a claim named like it is created; bind it to the existing volume if needed"),
                ),
                Some(Resource::Compose(v)) if v.driver.is_some() || !v.driver_opts.is_empty() => ctx.draft.warn(
                    None,
                    Some(&format!("volumes.{source}.driver")),
                    "volume drivers have no Kubernetes equivalent: the claim uses the cluster's storage class",
                ),
                None if !declared => ctx.draft.warn(
                    Some(name),
                    Some(key),
                    format!("volume {source} is not declared under the top-level `volumes`: a claim is created anyway"),
                ),
                _ => {}
            }
            let data = json!({
                "storage": kompose.get("kompose.volume.size").cloned().unwrap_or_else(|| DEFAULT_SIZE.to_string()),
                "storageClassName": kompose.get("kompose.volume.storage-class-name").cloned().unwrap_or_default(),
                "accessModes": ["ReadWriteOnce"],
                "mountPath": target,
            });
            let id = ctx.draft.add(
                NodeKind::PersistentVolumeClaim,
                &sanitize(&wanted, MAX_NAME),
                data,
            );
            ctx.shared.insert(shared, id.clone());
            id
        }
    };
    ctx.draft.link(&id, workload);
}

fn bind_mount(
    ctx: &mut Context,
    name: &str,
    key: &str,
    source: &str,
    target: &str,
    binds: &mut BTreeMap<String, Folder>,
) {
    let Some(path) = relative(source) else {
        ctx.draft.warn(
            Some(name),
            Some(key),
            format!("bind mount of the host path {source}: host paths are not available in a cluster; dropped"),
        );
        return;
    };
    if let Some(content) = ctx.input.files.get(&path) {
        let (dir, file) = split_target(target);
        let folder = binds.entry(dir).or_default();
        if let Some(k) = data_key(&file) {
            folder.files.insert(k, Some(content.clone()));
            folder.what.push(source.to_string());
        }
        return;
    }
    let prefix = format!("{path}/");
    let inside: Vec<(String, String)> = ctx
        .input
        .files
        .iter()
        .filter_map(|(p, c)| {
            p.strip_prefix(&prefix)
                .map(|rest| (rest.to_string(), c.clone()))
        })
        .collect();
    if inside.is_empty() {
        ctx.draft.warn(
            Some(name),
            Some(key),
            format!("bind mount of {source} at {target}: its content is not known here (import from the Git repository to get it as a ConfigMap); dropped"),
        );
        return;
    }
    let folder = binds.entry(target.to_string()).or_default();
    for (file, content) in inside {
        match (file.contains('/'), data_key(&file)) {
            (false, Some(k)) => {
                folder.files.insert(k, Some(content));
            }
            _ => ctx.draft.warn(
                Some(name),
                Some(key),
                format!(
                    "{source}/{file}: files in sub-folders cannot be part of a ConfigMap; dropped"
                ),
            ),
        }
    }
    folder.what.push(source.to_string());
}

/// One ConfigMap or Secret per target directory.
fn folders(
    ctx: &mut Context,
    service: &str,
    kind: NodeKind,
    suffix: &str,
    folders: BTreeMap<String, Folder>,
    workload: &str,
) {
    let base = ctx.draft.name_of(workload);
    let several = folders.len() > 1;
    for (n, (dir, folder)) in folders.into_iter().enumerate() {
        if folder.files.is_empty() {
            continue;
        }
        let wanted = if several {
            with_suffix(&base, &format!("-{suffix}-{}", n + 1))
        } else {
            with_suffix(&base, &format!("-{suffix}"))
        };
        let data = if kind == NodeKind::Secret {
            let keys: Vec<&String> = folder.files.keys().collect();
            json!({ "keys": keys, "secretType": "Opaque", "mountPath": dir })
        } else {
            let size: usize = folder.files.values().flatten().map(String::len).sum();
            if size > MAX_CONFIG_BYTES {
                ctx.draft.warn(
                    Some(service),
                    Some(&folder.what.join(", ")),
                    format!("{size} bytes of files for {dir}: more than a ConfigMap should hold ({MAX_CONFIG_BYTES}); dropped"),
                );
                continue;
            }
            let data: BTreeMap<&String, String> = folder
                .files
                .iter()
                .map(|(k, v)| (k, v.clone().unwrap_or_default()))
                .collect();
            json!({ "data": data, "mountPath": dir })
        };
        let id = ctx.draft.add(kind, &wanted, data);
        ctx.draft.link(&id, workload);
        if kind == NodeKind::ConfigMap && dir != "/" {
            let name = ctx.draft.name_of(&id);
            ctx.draft.warn(
                Some(service),
                Some(&folder.what.join(", ")),
                format!("mounted as ConfigMap {name} over the whole folder {dir} (other files the image has there are hidden)"),
            );
        }
    }
}

/// `secrets` and `configs` of the service.
pub fn secrets_and_configs(ctx: &mut Context, name: &str, service: &Service, workload: &str) {
    let mut secret_dirs: BTreeMap<String, Folder> = BTreeMap::new();
    for (i, item) in service.secrets.iter().enumerate() {
        let (source, target) = source_target(item, "/run/secrets");
        let top = ctx.compose.secrets.get(&source);
        if top.is_none() {
            ctx.draft.warn(
                Some(name),
                Some(&format!("secrets[{i}]")),
                format!("secret {source} is not declared under the top-level `secrets`"),
            );
        }
        let (dir, file) = split_target(&target);
        if let Some(k) = data_key(&file) {
            let folder = secret_dirs.entry(dir).or_default();
            folder.files.insert(k, None);
            folder.what.push(format!("secrets.{source}"));
        }
    }
    if !secret_dirs.is_empty() {
        ctx.draft.warn(
            Some(name),
            Some("secrets"),
            "secret files become Secret keys without values: enter them when deploying",
        );
    }
    folders(
        ctx,
        name,
        NodeKind::Secret,
        "secret-files",
        secret_dirs,
        workload,
    );

    let mut config_dirs: BTreeMap<String, Folder> = BTreeMap::new();
    for (i, item) in service.configs.iter().enumerate() {
        let key = format!("configs[{i}]");
        let (source, target) = source_target(item, "");
        let content = match ctx.compose.configs.get(&source) {
            Some(Resource::Compose(config)) => match &config.source {
                compose_spec::config::Source::Content(text) => Some(text.clone()),
                compose_spec::config::Source::File(path) => {
                    relative(&path.to_string_lossy()).and_then(|p| ctx.input.files.get(&p).cloned())
                }
                compose_spec::config::Source::Environment(var) => ctx.vars.get(var).cloned(),
            },
            _ => None,
        };
        let Some(content) = content else {
            ctx.draft.warn(Some(name), Some(&key), format!("the content of config {source} is not known here: dropped (import from the Git repository, or use `content:`)"));
            continue;
        };
        let (dir, file) = split_target(&target);
        let dir = if dir == "/" {
            "/config".to_string()
        } else {
            dir
        };
        if let Some(k) = data_key(&file) {
            let folder = config_dirs.entry(dir).or_default();
            folder.files.insert(k, Some(content));
            folder.what.push(format!("configs.{source}"));
        }
    }
    folders(
        ctx,
        name,
        NodeKind::ConfigMap,
        "config",
        config_dirs,
        workload,
    );
}

/// The source name and the absolute target path of a secret/config reference.
fn source_target(
    item: &ShortOrLong<Identifier, ConfigOrSecret>,
    default_dir: &str,
) -> (Identifier, String) {
    let (source, target) = match item {
        ShortOrLong::Short(source) => (source.clone(), None),
        ShortOrLong::Long(long) => (
            long.source.clone(),
            long.target
                .as_ref()
                .map(|t| t.to_string_lossy().into_owned()),
        ),
    };
    let target = match target {
        Some(t) if t.starts_with('/') => t,
        Some(t) => format!("{default_dir}/{t}"),
        None => format!("{default_dir}/{source}"),
    };
    (source, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_stay_inside() {
        assert_eq!(relative("./conf/app.ini").as_deref(), Some("conf/app.ini"));
        assert_eq!(relative("a/../b").as_deref(), Some("b"));
        assert_eq!(relative("../secret"), None);
        assert_eq!(relative("/etc/passwd"), None);
        assert_eq!(relative("."), None);
        assert_eq!(
            split_target("/etc/nginx/nginx.conf"),
            ("/etc/nginx".into(), "nginx.conf".into())
        );
        assert_eq!(split_target("/app.ini"), ("/".into(), "app.ini".into()));
    }
}
