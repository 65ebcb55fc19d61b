//! Object metadata as the real API server maintains it: identity checks on create, uid and
//! creationTimestamp, generation bumped on spec changes only, status kept apart from spec, and
//! the few values the API server itself allocates (Service clusterIP, node ports).

use serde_json::{json, Map, Value};

use crate::apply::Scope;
use crate::discovery::ResourceDef;
use crate::status::{ApiError, ApiResult};

/// Current time as RFC 3339 with second precision (`2026-01-01T00:00:00Z`).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A string field of `metadata`.
pub fn meta_str<'a>(obj: &'a Value, field: &str) -> Option<&'a str> {
    obj.get("metadata")?
        .get(field)?
        .as_str()
        .filter(|s| !s.is_empty())
}

/// `metadata` as a mutable map (created when missing; replaces a non-object).
pub fn meta_mut(obj: &mut Value) -> &mut Map<String, Value> {
    if !obj.get("metadata").is_some_and(Value::is_object) {
        obj["metadata"] = json!({});
    }
    match obj.get_mut("metadata") {
        Some(Value::Object(m)) => m,
        _ => unreachable!("metadata was just set to an object"),
    }
}

/// Removes nulls recursively (clients send `creationTimestamp: null` and similar).
pub fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, v| !v.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// Checks the body is an object of `res`'s type, filling in apiVersion/kind when absent.
pub fn check_type(res: &ResourceDef, body: &mut Value) -> ApiResult<()> {
    let Value::Object(m) = body else {
        return Err(ApiError::bad_request(
            "the request body must be a JSON or YAML object",
        ));
    };
    let want_av = res.api_version();
    match m.get("apiVersion").and_then(Value::as_str) {
        Some(av) if av != want_av => {
            return Err(ApiError::bad_request(format!(
                "the API version in the data ({av}) does not match the expected API version ({want_av})"
            )))
        }
        _ => {
            m.insert("apiVersion".into(), json!(want_av));
        }
    }
    match m.get("kind").and_then(Value::as_str) {
        Some(k) if k != res.kind => {
            return Err(ApiError::bad_request(format!(
                "the kind in the data ({k}) does not match the expected kind ({})",
                res.kind
            )))
        }
        _ => {
            m.insert("kind".into(), json!(res.kind));
        }
    }
    Ok(())
}

/// Checks and fills metadata.namespace and metadata.name against the request path.
pub fn check_identity(
    res: &ResourceDef,
    body: &mut Value,
    ns: Option<&str>,
    url_name: Option<&str>,
) -> ApiResult<()> {
    let body_ns = meta_str(body, "namespace").map(str::to_string);
    let body_name = meta_str(body, "name").map(str::to_string);
    let meta = meta_mut(body);
    if res.namespaced {
        match (body_ns.as_deref(), ns) {
            (Some(b), Some(u)) if b != u => {
                return Err(ApiError::bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request",
                ))
            }
            (_, Some(u)) => {
                meta.insert("namespace".into(), json!(u));
            }
            (_, None) => return Err(ApiError::bad_request("a namespace is required to write this resource")),
        }
    } else {
        meta.remove("namespace");
    }
    match (body_name.as_deref(), url_name) {
        (Some(b), Some(u)) if b != u => Err(ApiError::bad_request(format!(
            "the name of the object ({b}) does not match the name on the URL ({u})"
        ))),
        (None, Some(u)) => {
            meta.insert("name".into(), json!(u));
            Ok(())
        }
        _ => Ok(()),
    }
}

const DNS_RULE: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const LABEL_RULE: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (at most 63 characters)";

/// Validates metadata.name (DNS-1123 subdomain; a label for namespaces and services).
pub fn validate_name(res: &ResourceDef, name: &str) -> ApiResult<()> {
    let label_only = matches!(res.plural, "namespaces" | "services");
    let max = if label_only { 63 } else { 253 };
    let part_ok = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !p.starts_with('-')
            && !p.ends_with('-')
    };
    let ok = name.len() <= max
        && if label_only {
            part_ok(name)
        } else {
            name.split('.').all(part_ok)
        };
    if ok {
        Ok(())
    } else {
        let rule = if label_only { LABEL_RULE } else { DNS_RULE };
        Err(ApiError::invalid(res, name, "metadata.name", name, rule))
    }
}

/// Sets the server-owned metadata of a new object.
pub fn init_created(res: &ResourceDef, obj: &mut Value, scope: Scope) {
    if res.has_status && scope != Scope::Status {
        if let Value::Object(m) = obj {
            m.remove("status");
        }
    }
    let meta = meta_mut(obj);
    for k in [
        "uid",
        "resourceVersion",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "generation",
    ] {
        meta.remove(k);
    }
    meta.insert("uid".into(), json!(uuid::Uuid::new_v4().to_string()));
    meta.insert("creationTimestamp".into(), json!(now()));
    if res.has_generation {
        meta.insert("generation".into(), json!(1));
    }
    if res.plural == "namespaces" {
        obj["spec"] = json!({"finalizers": ["kubernetes"]});
        obj["status"] = json!({"phase": "Active"});
    }
}

/// Everything but metadata and status: what bumps the generation.
fn spec_part(obj: &Value) -> Map<String, Value> {
    let mut m = obj.as_object().cloned().unwrap_or_default();
    for k in ["metadata", "status", "apiVersion", "kind"] {
        m.remove(k);
    }
    m
}

/// Builds the stored form of an update: `candidate` in `scope`, with the server-owned fields of
/// `existing` kept and the generation bumped if the spec changed.
pub fn finish_update(res: &ResourceDef, existing: &Value, candidate: Value, scope: Scope) -> Value {
    let mut out = match scope {
        Scope::Status => {
            let mut out = existing.clone();
            match candidate.get("status") {
                Some(s) => out["status"] = s.clone(),
                None => {
                    if let Value::Object(m) = &mut out {
                        m.remove("status");
                    }
                }
            }
            out
        }
        Scope::Main { has_status } => {
            let mut out = candidate;
            if has_status {
                match existing.get("status") {
                    Some(s) => out["status"] = s.clone(),
                    None => {
                        if let Value::Object(m) = &mut out {
                            m.remove("status");
                        }
                    }
                }
            }
            out
        }
    };
    let old_meta = existing.get("metadata").cloned().unwrap_or_default();
    let meta = meta_mut(&mut out);
    for k in [
        "uid",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "name",
        "namespace",
        "generation",
    ] {
        match old_meta.get(k) {
            Some(v) => meta.insert(k.into(), v.clone()),
            None => meta.remove(k),
        };
    }
    if res.has_generation && spec_part(&out) != spec_part(existing) {
        let g = old_meta
            .get("generation")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        meta_mut(&mut out).insert("generation".into(), json!(g + 1));
    }
    if res.plural == "services" {
        keep_allocations(existing, &mut out);
    }
    out
}

/// Whether the object is being deleted and has no finalizers left.
pub fn ready_to_go(obj: &Value) -> bool {
    meta_str(obj, "deletionTimestamp").is_some()
        && obj
            .pointer("/metadata/finalizers")
            .and_then(Value::as_array)
            .is_none_or(|f| f.is_empty())
}

/// Allocates a Service's clusterIP (unless headless or ExternalName) and node ports.
pub fn allocate_service(
    obj: &mut Value,
    ip: impl FnOnce() -> String,
    mut node_port: impl FnMut() -> u16,
) {
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    let ty = spec
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
        .to_string();
    if ty != "ExternalName" && spec.get("clusterIP").is_none() {
        let ip = ip();
        spec.insert("clusterIP".into(), json!(ip));
        spec.insert("clusterIPs".into(), json!([ip]));
    } else if let Some(ip) = spec.get("clusterIP").cloned() {
        spec.entry("clusterIPs").or_insert_with(|| json!([ip]));
    }
    if matches!(ty.as_str(), "NodePort" | "LoadBalancer") {
        for port in spec
            .get_mut("ports")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if let Some(p) = port.as_object_mut() {
                p.entry("nodePort").or_insert_with(|| json!(node_port()));
            }
        }
    }
}

fn keep_allocations(existing: &Value, out: &mut Value) {
    let Some(old) = existing.get("spec") else {
        return;
    };
    let Some(spec) = out.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    for k in ["clusterIP", "clusterIPs"] {
        if let (None, Some(v)) = (spec.get(k), old.get(k)) {
            spec.insert(k.into(), v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discovery::{find, RESOURCES};

    fn deploy_def() -> &'static ResourceDef {
        &RESOURCES[find("apps", "v1", "deployments").unwrap_or(0)]
    }

    #[test]
    fn generation_bumps_on_spec_only() {
        let res = deploy_def();
        let scope = Scope::Main { has_status: true };
        let mut old =
            json!({"metadata": {"name": "a"}, "spec": {"replicas": 1}, "status": {"x": 1}});
        init_created(res, &mut old, scope);
        assert_eq!(old["metadata"]["generation"], 1);
        assert!(old.get("status").is_none());
        let labels = json!({"metadata": {"name": "a", "labels": {"l": "1"}}, "spec": {"replicas": 1}, "status": {"y": 2}});
        let same = finish_update(res, &old, labels, scope);
        assert_eq!(same["metadata"]["generation"], 1);
        assert!(same.get("status").is_none());
        let changed = finish_update(
            res,
            &old,
            json!({"metadata": {"name": "a"}, "spec": {"replicas": 2}}),
            scope,
        );
        assert_eq!(changed["metadata"]["generation"], 2);
        let status = finish_update(
            res,
            &changed,
            json!({"spec": {"replicas": 9}, "status": {"ready": 1}}),
            Scope::Status,
        );
        assert_eq!(status["spec"]["replicas"], 2);
        assert_eq!(status["status"]["ready"], 1);
        assert_eq!(status["metadata"]["generation"], 2);
    }

    #[test]
    fn names_are_validated() {
        let res = deploy_def();
        assert!(validate_name(res, "web-1.example").is_ok());
        assert_eq!(validate_name(res, "Web").err().map(|e| e.code), Some(422));
        assert!(validate_name(&RESOURCES[1], "a.b").is_err());
    }
}
