//! Field paths and field sets as used by server-side apply (`managedFields[].fieldsV1`).
//!
//! Simplification: whether a list is atomic, keyed or a set is decided by the list's field name
//! (see [`list_kind`]), not by the OpenAPI schema.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pe {
    /// A map field: `f:name`.
    Field(String),
    /// A list item identified by its key fields: `k:{"name":"web"}` (canonical JSON).
    Key(String),
    /// A set-list item identified by its value: `v:"finalizer"` (canonical JSON).
    Value(String),
}

/// A path from the object root.
pub type Path = Vec<Pe>;

/// A set of owned field paths.
pub type FieldSet = BTreeSet<Path>;

/// How a list merges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// Replaced as a whole.
    Atomic,
    /// Items merged by these key fields.
    Keyed(&'static [&'static str]),
    /// Scalar items merged as a set.
    Set,
}

/// The merge strategy of the list held in field `field`, given its items.
pub fn list_kind(field: Option<&str>, items: &[Value]) -> ListKind {
    let keys: &'static [&'static str] = match field {
        Some(
            "containers"
            | "initContainers"
            | "ephemeralContainers"
            | "env"
            | "volumes"
            | "imagePullSecrets",
        ) => &["name"],
        Some("volumeMounts") => &["mountPath"],
        Some("conditions") => &["type"],
        Some("ownerReferences") => &["uid"],
        Some("ports") if items.iter().all(|i| i.get("containerPort").is_some()) => {
            &["containerPort", "protocol"]
        }
        Some("ports") if items.iter().all(|i| i.get("port").is_some()) => &["port", "protocol"],
        Some("finalizers") if items.iter().all(Value::is_string) => return ListKind::Set,
        _ => return ListKind::Atomic,
    };
    if items.iter().all(|i| i.get(keys[0]).is_some()) {
        ListKind::Keyed(keys)
    } else {
        ListKind::Atomic
    }
}

/// Canonical JSON of a list item's key (keys sorted; `protocol` defaults to `TCP`).
pub fn key_of(item: &Value, keys: &[&str]) -> String {
    let mut map = BTreeMap::new();
    for k in keys {
        match item.get(*k) {
            Some(v) => {
                map.insert(*k, v.clone());
            }
            None if *k == "protocol" => {
                map.insert(*k, Value::String("TCP".into()));
            }
            None => {}
        }
    }
    serde_json::to_string(&map).unwrap_or_default()
}

fn canonical(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Collects every owned path of `v` (leaves, keyed-list items, set-list items) under `path`.
pub fn collect(v: &Value, field: Option<&str>, path: &mut Path, out: &mut FieldSet) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, child) in m {
                path.push(Pe::Field(k.clone()));
                collect(child, Some(k), path, out);
                path.pop();
            }
        }
        Value::Array(items) => match list_kind(field, items) {
            ListKind::Keyed(keys) => {
                for item in items {
                    path.push(Pe::Key(key_of(item, keys)));
                    out.insert(path.clone());
                    collect(item, None, path, out);
                    path.pop();
                }
            }
            ListKind::Set => {
                for item in items {
                    path.push(Pe::Value(canonical(item)));
                    out.insert(path.clone());
                    path.pop();
                }
            }
            ListKind::Atomic => {
                out.insert(path.clone());
            }
        },
        _ => {
            out.insert(path.clone());
        }
    }
}

/// All owned paths of a whole value.
pub fn field_set(v: &Value) -> FieldSet {
    let mut out = FieldSet::new();
    if let Value::Object(m) = v {
        if !m.is_empty() {
            collect(v, None, &mut Vec::new(), &mut out);
        }
    }
    out
}

fn find_item(items: &[Value], field: Option<&str>, step: &Pe) -> Option<usize> {
    match step {
        Pe::Key(k) => match list_kind(field, items) {
            ListKind::Keyed(keys) => items.iter().position(|i| key_of(i, keys) == *k),
            _ => None,
        },
        Pe::Value(v) => items.iter().position(|i| canonical(i) == *v),
        Pe::Field(_) => None,
    }
}

/// The value at `path`, if present.
pub fn get<'a>(root: &'a Value, path: &[Pe]) -> Option<&'a Value> {
    let mut cur = root;
    let mut field: Option<&str> = None;
    for step in path {
        cur = match (cur, step) {
            (Value::Object(m), Pe::Field(f)) => {
                field = Some(f);
                m.get(f)?
            }
            (Value::Array(items), _) => {
                let i = find_item(items, field, step)?;
                field = None;
                &items[i]
            }
            _ => return None,
        };
    }
    Some(cur)
}

/// Removes the value at `path`; returns whether something was removed.
pub fn remove(root: &mut Value, path: &[Pe]) -> bool {
    let Some((last, parent_path)) = path.split_last() else {
        return false;
    };
    let field = parent_path.iter().rev().find_map(|p| match p {
        Pe::Field(f) => Some(f.clone()),
        _ => None,
    });
    let parent_is_list_field = matches!(parent_path.last(), Some(Pe::Field(_)));
    let Some(parent) = get_mut(root, parent_path) else {
        return false;
    };
    match (parent, last) {
        (Value::Object(m), Pe::Field(f)) => m.remove(f).is_some(),
        (Value::Array(items), step) if parent_is_list_field => {
            match find_item(items, field.as_deref(), step) {
                Some(i) => {
                    items.remove(i);
                    true
                }
                None => false,
            }
        }
        _ => false,
    }
}

fn get_mut<'a>(root: &'a mut Value, path: &[Pe]) -> Option<&'a mut Value> {
    let mut cur = root;
    let mut field: Option<String> = None;
    for step in path {
        cur = match (cur, step) {
            (Value::Object(m), Pe::Field(f)) => {
                field = Some(f.clone());
                m.get_mut(f)?
            }
            (Value::Array(items), _) => {
                let i = find_item(items, field.as_deref(), step)?;
                field = None;
                &mut items[i]
            }
            _ => return None,
        };
    }
    Some(cur)
}

/// Removes `path` and then every map on the way up that became empty and is not in `owned`.
pub fn remove_and_prune(root: &mut Value, path: &[Pe], owned: &dyn Fn(&[Pe]) -> bool) {
    if !remove(root, path) {
        return;
    }
    let mut end = path.len() - 1;
    while end > 0 {
        let parent = &path[..end];
        let empty = matches!(get(root, parent), Some(Value::Object(m)) if m.is_empty());
        if !empty || owned(parent) || !matches!(parent.last(), Some(Pe::Field(_))) {
            break;
        }
        remove(root, parent);
        end -= 1;
    }
}

#[derive(Default)]
struct Node {
    member: bool,
    children: BTreeMap<String, Node>,
}

fn step_key(p: &Pe) -> String {
    match p {
        Pe::Field(f) => format!("f:{f}"),
        Pe::Key(k) => format!("k:{k}"),
        Pe::Value(v) => format!("v:{v}"),
    }
}

fn node_json(n: &Node) -> Value {
    let mut m = Map::new();
    if n.member && !n.children.is_empty() {
        m.insert(".".into(), Value::Object(Map::new()));
    }
    for (k, child) in &n.children {
        m.insert(k.clone(), node_json(child));
    }
    Value::Object(m)
}

/// Serialises a field set as `fieldsV1`.
pub fn to_fields_v1(set: &FieldSet) -> Value {
    let mut root = Node::default();
    for path in set {
        let mut n = &mut root;
        for step in path {
            n = n.children.entry(step_key(step)).or_default();
        }
        n.member = true;
    }
    node_json(&root)
}

fn parse_step(key: &str) -> Option<Pe> {
    let (tag, rest) = key.split_once(':')?;
    match tag {
        "f" => Some(Pe::Field(rest.to_string())),
        "k" => serde_json::from_str::<BTreeMap<String, Value>>(rest)
            .ok()
            .and_then(|m| serde_json::to_string(&m).ok())
            .map(Pe::Key),
        "v" => serde_json::from_str::<Value>(rest)
            .ok()
            .map(|v| Pe::Value(canonical(&v))),
        _ => None,
    }
}

fn parse_node(v: &Value, path: &mut Path, out: &mut FieldSet) {
    let Value::Object(m) = v else { return };
    if m.is_empty() && !path.is_empty() {
        out.insert(path.clone());
    }
    for (k, child) in m {
        if k == "." {
            out.insert(path.clone());
            continue;
        }
        if let Some(step) = parse_step(k) {
            path.push(step);
            parse_node(child, path, out);
            path.pop();
        }
    }
}

/// Parses `fieldsV1`; unknown keys are skipped.
pub fn from_fields_v1(v: &Value) -> FieldSet {
    let mut out = FieldSet::new();
    parse_node(v, &mut Vec::new(), &mut out);
    out
}

/// Renders a path like `.spec.template.spec.containers[name="web"].image` for conflict messages.
pub fn display(path: &[Pe]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Pe::Field(f) => {
                s.push('.');
                s.push_str(f);
            }
            Pe::Key(k) => {
                let parsed: BTreeMap<String, Value> = serde_json::from_str(k).unwrap_or_default();
                let parts: Vec<String> = parsed.iter().map(|(k, v)| format!("{k}={v}")).collect();
                s.push_str(&format!("[{}]", parts.join(",")));
            }
            Pe::Value(v) => s.push_str(&format!("[={v}]")),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deploy() -> Value {
        json!({"spec": {"replicas": 2, "template": {"spec": {"containers": [
            {"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}
        ]}}}, "metadata": {"finalizers": ["a"], "labels": {}}})
    }

    #[test]
    fn fields_v1_round_trips() {
        let set = field_set(&deploy());
        let v1 = to_fields_v1(&set);
        assert_eq!(
            v1["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"web\"}"]["."],
            json!({})
        );
        assert_eq!(v1["f:metadata"]["f:finalizers"]["v:\"a\""], json!({}));
        assert_eq!(v1["f:metadata"]["f:labels"], json!({}));
        assert_eq!(from_fields_v1(&v1), set);
    }

    #[test]
    fn get_and_remove_follow_keys() {
        let mut d = deploy();
        let set = field_set(&d);
        let port = set
            .iter()
            .find(|p| matches!(p.last(), Some(Pe::Key(k)) if k.contains("containerPort")))
            .cloned()
            .unwrap_or_default();
        assert_eq!(get(&d, &port), Some(&json!({"containerPort": 80})));
        assert!(remove(&mut d, &port));
        assert_eq!(
            d["spec"]["template"]["spec"]["containers"][0]["ports"],
            json!([])
        );
        let fin = vec![
            Pe::Field("metadata".into()),
            Pe::Field("finalizers".into()),
            Pe::Value("\"a\"".into()),
        ];
        assert!(remove(&mut d, &fin));
        assert_eq!(d["metadata"]["finalizers"], json!([]));
    }

    #[test]
    fn prune_removes_empty_unowned_parents() {
        let mut v = json!({"metadata": {"labels": {"a": "1"}}, "spec": {"x": {"y": 1}, "z": 2}});
        let path = vec![
            Pe::Field("spec".into()),
            Pe::Field("x".into()),
            Pe::Field("y".into()),
        ];
        remove_and_prune(&mut v, &path, &|_| false);
        assert_eq!(
            v,
            json!({"metadata": {"labels": {"a": "1"}}, "spec": {"z": 2}})
        );
        assert_eq!(display(&path), ".spec.x.y");
    }
}
