//! The resources the sandbox serves, and the discovery documents (`/version`, `/api`, `/apis`,
//! per group-version resource lists) that kube-rs `Discovery` and kubectl read.

use serde_json::{json, Value};

/// One served resource (a kind in one group/version).
#[derive(Debug, PartialEq, Eq)]
pub struct ResourceDef {
    /// API group; empty for the core group.
    pub group: &'static str,
    /// API version within the group.
    pub version: &'static str,
    /// Plural resource name used in paths.
    pub plural: &'static str,
    /// Singular name.
    pub singular: &'static str,
    /// Kind.
    pub kind: &'static str,
    /// Whether objects live in a namespace.
    pub namespaced: bool,
    /// kubectl short names.
    pub short_names: &'static [&'static str],
    /// Whether writes to the main resource ignore `.status` (a `/status` subresource exists).
    pub has_status: bool,
    /// Whether a `/scale` subresource exists.
    pub has_scale: bool,
    /// Whether `metadata.generation` is maintained.
    pub has_generation: bool,
    /// Whether kubectl's `all` category includes it.
    pub in_all: bool,
}

macro_rules! res {
    ($g:expr, $v:expr, $p:expr, $s:expr, $k:expr, ns=$ns:expr, short=$sh:expr, status=$st:expr, scale=$sc:expr, gen=$gen:expr, all=$all:expr) => {
        ResourceDef {
            group: $g,
            version: $v,
            plural: $p,
            singular: $s,
            kind: $k,
            namespaced: $ns,
            short_names: $sh,
            has_status: $st,
            has_scale: $sc,
            has_generation: $gen,
            in_all: $all,
        }
    };
}

/// Every served resource. Its index is the resource's id in the store.
pub static RESOURCES: &[ResourceDef] = &[
    res!(
        "",
        "v1",
        "namespaces",
        "namespace",
        "Namespace",
        ns = false,
        short = &["ns"],
        status = true,
        scale = false,
        gen = false,
        all = false
    ),
    res!(
        "",
        "v1",
        "services",
        "service",
        "Service",
        ns = true,
        short = &["svc"],
        status = true,
        scale = false,
        gen = false,
        all = true
    ),
    res!(
        "",
        "v1",
        "configmaps",
        "configmap",
        "ConfigMap",
        ns = true,
        short = &["cm"],
        status = false,
        scale = false,
        gen = false,
        all = false
    ),
    res!(
        "",
        "v1",
        "secrets",
        "secret",
        "Secret",
        ns = true,
        short = &[],
        status = false,
        scale = false,
        gen = false,
        all = false
    ),
    res!(
        "",
        "v1",
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        "PersistentVolumeClaim",
        ns = true,
        short = &["pvc"],
        status = true,
        scale = false,
        gen = false,
        all = false
    ),
    res!(
        "apps",
        "v1",
        "deployments",
        "deployment",
        "Deployment",
        ns = true,
        short = &["deploy"],
        status = true,
        scale = true,
        gen = true,
        all = true
    ),
    res!(
        "apps",
        "v1",
        "statefulsets",
        "statefulset",
        "StatefulSet",
        ns = true,
        short = &["sts"],
        status = true,
        scale = true,
        gen = true,
        all = true
    ),
    res!(
        "apps",
        "v1",
        "daemonsets",
        "daemonset",
        "DaemonSet",
        ns = true,
        short = &["ds"],
        status = true,
        scale = false,
        gen = true,
        all = true
    ),
    res!(
        "batch",
        "v1",
        "jobs",
        "job",
        "Job",
        ns = true,
        short = &[],
        status = true,
        scale = false,
        gen = true,
        all = true
    ),
    res!(
        "batch",
        "v1",
        "cronjobs",
        "cronjob",
        "CronJob",
        ns = true,
        short = &["cj"],
        status = true,
        scale = false,
        gen = true,
        all = true
    ),
    res!(
        "networking.k8s.io",
        "v1",
        "ingresses",
        "ingress",
        "Ingress",
        ns = true,
        short = &["ing"],
        status = true,
        scale = false,
        gen = true,
        all = false
    ),
    res!(
        "networking.k8s.io",
        "v1",
        "networkpolicies",
        "networkpolicy",
        "NetworkPolicy",
        ns = true,
        short = &["netpol"],
        status = false,
        scale = false,
        gen = true,
        all = false
    ),
    res!(
        "autoscaling",
        "v2",
        "horizontalpodautoscalers",
        "horizontalpodautoscaler",
        "HorizontalPodAutoscaler",
        ns = true,
        short = &["hpa"],
        status = true,
        scale = false,
        gen = true,
        all = true
    ),
];

/// Id (index into [`RESOURCES`]) of a resource.
pub type ResId = usize;

impl ResourceDef {
    /// `apps/v1` or `v1`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `deployments.apps` or `services`, as used in error messages.
    pub fn qualified(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// The kind of the list type, e.g. `DeploymentList`.
    pub fn list_kind(&self) -> String {
        format!("{}List", self.kind)
    }
}

/// Finds a resource by group, version and plural name.
pub fn find(group: &str, version: &str, plural: &str) -> Option<ResId> {
    RESOURCES
        .iter()
        .position(|r| r.group == group && r.version == version && r.plural == plural)
}

/// Finds a resource by plural name in the core group (`v1`).
pub fn find_core(plural: &str) -> Option<ResId> {
    find("", "v1", plural)
}

/// The id of the namespaces resource.
pub fn namespaces() -> ResId {
    0
}

/// The groups (other than core) with their one served version, in a stable order.
fn groups() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for r in RESOURCES.iter().filter(|r| !r.group.is_empty()) {
        if !out.contains(&(r.group, r.version)) {
            out.push((r.group, r.version));
        }
    }
    out
}

/// `GET /version`.
pub fn version() -> Value {
    json!({
        "major": "1", "minor": "35", "gitVersion": "v1.35.0-sandbox",
        "gitCommit": "sandbox", "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z",
        "goVersion": "none", "compiler": "rust", "platform": "linux/amd64"
    })
}

/// `GET /api`.
pub fn core_versions() -> Value {
    json!({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]})
}

fn group_doc(name: &str, version: &str) -> Value {
    let gv = json!({"groupVersion": format!("{name}/{version}"), "version": version});
    json!({"name": name, "versions": [gv.clone()], "preferredVersion": gv})
}

/// `GET /apis`.
pub fn group_list() -> Value {
    let groups: Vec<Value> = groups().into_iter().map(|(g, v)| group_doc(g, v)).collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

/// `GET /apis/{group}`.
pub fn group(name: &str) -> Option<Value> {
    let (g, v) = groups().into_iter().find(|(g, _)| *g == name)?;
    let mut doc = group_doc(g, v);
    doc["kind"] = json!("APIGroup");
    doc["apiVersion"] = json!("v1");
    Some(doc)
}

const ALL_VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

/// `GET /api/v1` or `GET /apis/{group}/{version}`; None if the group-version is not served.
pub fn resource_list(group: &str, version: &str) -> Option<Value> {
    let mut resources = Vec::new();
    for r in RESOURCES
        .iter()
        .filter(|r| r.group == group && r.version == version)
    {
        let mut main = json!({
            "name": r.plural, "singularName": r.singular, "namespaced": r.namespaced,
            "kind": r.kind, "verbs": ALL_VERBS, "shortNames": r.short_names,
        });
        if r.in_all {
            main["categories"] = json!(["all"]);
        }
        resources.push(main);
        let sub_verbs = json!(["get", "patch", "update"]);
        if r.has_status {
            resources.push(json!({"name": format!("{}/status", r.plural), "singularName": "", "namespaced": r.namespaced, "kind": r.kind, "verbs": sub_verbs}));
        }
        if r.has_scale {
            resources.push(json!({"name": format!("{}/scale", r.plural), "singularName": "", "namespaced": r.namespaced, "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": sub_verbs}));
        }
    }
    if resources.is_empty() {
        return None;
    }
    let gv = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    Some(
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_id_is_stable() {
        assert_eq!(RESOURCES[namespaces()].plural, "namespaces");
        assert_eq!(
            find("apps", "v1", "deployments").map(|i| RESOURCES[i].kind),
            Some("Deployment")
        );
        assert_eq!(find("apps", "v2", "deployments"), None);
    }

    #[test]
    fn resource_list_has_subresources() {
        let doc = resource_list("apps", "v1").unwrap_or_default();
        let names: Vec<&str> = doc["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["name"].as_str())
            .collect();
        assert!(names.contains(&"deployments/status"));
        assert!(names.contains(&"deployments/scale"));
        assert!(!names.contains(&"daemonsets/scale"));
        assert!(resource_list("nope", "v1").is_none());
    }
}
