//! Server-side apply and field ownership (`metadata.managedFields`).
//!
//! Ownership is tracked per leaf path (see [`crate::fields`]). Apply merges the applied
//! configuration into the live object, reports conflicts with other managers (unless forced),
//! and removes the fields this manager applied before but no longer applies (when nobody else
//! owns them). Every other write ("Update") takes ownership of the fields it changed.

use serde_json::{json, Map, Value};

use crate::fields::{self, FieldSet, ListKind, Path, Pe};

/// Which part of the object a write covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The main resource; `status` is excluded when the kind has a status subresource.
    Main { has_status: bool },
    /// The `/status` subresource: only `status`.
    Status,
}

impl Scope {
    fn subresource(self) -> Option<&'static str> {
        match self {
            Scope::Main { .. } => None,
            Scope::Status => Some("status"),
        }
    }
}

/// One `managedFields` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Manager {
    /// Field manager name.
    pub name: String,
    /// `Apply` or `Update`.
    pub operation: String,
    /// apiVersion used by the write.
    pub api_version: String,
    /// RFC 3339 time of the last change to this entry.
    pub time: String,
    /// `status` for writes through the status subresource.
    pub subresource: Option<String>,
    /// Owned fields.
    pub fields: FieldSet,
}

impl Manager {
    fn is(&self, name: &str, operation: &str, scope: Scope) -> bool {
        self.name == name
            && self.operation == operation
            && self.subresource.as_deref() == scope.subresource()
    }
}

const META_SKIP: &[&str] = &[
    "name",
    "namespace",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "managedFields",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "selfLink",
];

/// The owned paths of `obj` for a write in `scope` (type and identity metadata excluded).
pub fn scoped_set(obj: &Value, scope: Scope) -> FieldSet {
    let Value::Object(m) = obj else {
        return FieldSet::new();
    };
    let mut v = Map::new();
    for (k, val) in m {
        let keep = match (scope, k.as_str()) {
            (_, "apiVersion" | "kind") => false,
            (Scope::Status, key) => key == "status",
            (Scope::Main { has_status }, "status") => !has_status,
            _ => true,
        };
        if keep {
            v.insert(k.clone(), val.clone());
        }
    }
    if let Some(Value::Object(meta)) = v.get_mut("metadata") {
        meta.retain(|k, _| !META_SKIP.contains(&k.as_str()));
        if meta.is_empty() {
            v.remove("metadata");
        }
    }
    fields::field_set(&Value::Object(v))
}

/// Reads `metadata.managedFields`; malformed entries are dropped.
pub fn read_managers(obj: &Value) -> Vec<Manager> {
    let Some(list) = obj
        .pointer("/metadata/managedFields")
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|e| {
            Some(Manager {
                name: e.get("manager")?.as_str()?.to_string(),
                operation: e.get("operation")?.as_str()?.to_string(),
                api_version: e
                    .get("apiVersion")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                time: e
                    .get("time")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                subresource: e
                    .get("subresource")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                fields: fields::from_fields_v1(e.get("fieldsV1")?),
            })
        })
        .collect()
}

/// Writes `metadata.managedFields` (entries without fields are dropped).
pub fn write_managers(obj: &mut Value, managers: &[Manager]) {
    let list: Vec<Value> = managers
        .iter()
        .filter(|m| !m.fields.is_empty())
        .map(|m| {
            let mut e = json!({
                "manager": m.name, "operation": m.operation, "apiVersion": m.api_version,
                "time": m.time, "fieldsType": "FieldsV1", "fieldsV1": fields::to_fields_v1(&m.fields),
            });
            if let Some(s) = &m.subresource {
                e["subresource"] = json!(s);
            }
            e
        })
        .collect();
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        if list.is_empty() {
            meta.remove("managedFields");
        } else {
            meta.insert("managedFields".into(), Value::Array(list));
        }
    }
}

/// Who is writing, and how.
#[derive(Clone, Debug)]
pub struct Writer<'a> {
    /// Field manager name.
    pub manager: &'a str,
    /// apiVersion of the write.
    pub api_version: &'a str,
    /// Current time, RFC 3339.
    pub now: &'a str,
    /// Which part of the object.
    pub scope: Scope,
}

fn entry<'m>(managers: &'m mut Vec<Manager>, w: &Writer, operation: &str) -> &'m mut Manager {
    let pos = match managers
        .iter()
        .position(|m| m.is(w.manager, operation, w.scope))
    {
        Some(p) => p,
        None => {
            managers.push(Manager {
                name: w.manager.to_string(),
                operation: operation.to_string(),
                api_version: w.api_version.to_string(),
                time: w.now.to_string(),
                subresource: w.scope.subresource().map(str::to_string),
                fields: FieldSet::new(),
            });
            managers.len() - 1
        }
    };
    &mut managers[pos]
}

/// Records an Update by `w` that turned `old` into `new`: `w` takes the changed fields.
pub fn record_update(old: Option<&Value>, new: &Value, managers: &mut Vec<Manager>, w: &Writer) {
    let empty = json!({});
    let old = old.unwrap_or(&empty);
    let old_set = scoped_set(old, w.scope);
    let new_set = scoped_set(new, w.scope);
    let changed: FieldSet = new_set
        .iter()
        .filter(|p| match p.last() {
            Some(Pe::Key(_) | Pe::Value(_)) => fields::get(old, p).is_none(),
            _ => fields::get(old, p) != fields::get(new, p),
        })
        .cloned()
        .collect();
    let removed: FieldSet = old_set.difference(&new_set).cloned().collect();
    if changed.is_empty() && removed.is_empty() {
        return;
    }
    for m in managers.iter_mut() {
        m.fields
            .retain(|p| !removed.contains(p) && !changed.contains(p));
    }
    let me = entry(managers, w, "Update");
    me.fields.extend(changed);
    me.time = w.now.to_string();
    me.api_version = w.api_version.to_string();
    managers.retain(|m| !m.fields.is_empty());
}

/// Server-side apply of `applied` onto `live` (None = create).
///
/// Returns the merged object (managedFields not yet written) or the conflicts as
/// (manager, field path) pairs when not forced.
pub fn apply(
    live: Option<&Value>,
    applied: &Value,
    managers: &mut Vec<Manager>,
    w: &Writer,
    force: bool,
) -> Result<Value, Vec<(String, String)>> {
    let applied_set = scoped_set(applied, w.scope);
    let empty = json!({});
    let base = live.unwrap_or(&empty);
    let mut conflicts = Vec::new();
    let mut transfer: Vec<(usize, Path)> = Vec::new();
    for (i, m) in managers.iter().enumerate() {
        if m.name == w.manager && m.subresource.as_deref() == w.scope.subresource() {
            continue;
        }
        for p in applied_set.intersection(&m.fields) {
            if matches!(p.last(), Some(Pe::Key(_) | Pe::Value(_))) {
                continue;
            }
            if fields::get(base, p) != fields::get(applied, p) {
                conflicts.push((m.name.clone(), fields::display(p)));
                transfer.push((i, p.clone()));
            }
        }
    }
    if !conflicts.is_empty() && !force {
        return Err(conflicts);
    }
    for (i, p) in transfer {
        managers[i].fields.remove(&p);
    }
    let mut merged = merge(base, applied, None);
    let previous: FieldSet = managers
        .iter()
        .find(|m| m.is(w.manager, "Apply", w.scope))
        .map(|m| m.fields.clone())
        .unwrap_or_default();
    let others: Vec<&Manager> = managers
        .iter()
        .filter(|m| !m.is(w.manager, "Apply", w.scope))
        .collect();
    let owned = |p: &[Pe]| applied_set.contains(p) || others.iter().any(|m| m.fields.contains(p));
    let dropped: Vec<&Path> = previous.difference(&applied_set).collect();
    for p in dropped.into_iter().rev() {
        if !others.iter().any(|m| m.fields.contains(p)) {
            fields::remove_and_prune(&mut merged, p, &owned);
        }
    }
    let me = entry(managers, w, "Apply");
    if me.fields != applied_set || live.is_none() {
        me.time = w.now.to_string();
    }
    me.fields = applied_set;
    me.api_version = w.api_version.to_string();
    managers.retain(|m| !m.fields.is_empty());
    Ok(merged)
}

/// Merges `applied` into `live`: maps recursively, keyed lists by key, set lists as a union,
/// everything else replaced.
pub fn merge(live: &Value, applied: &Value, field: Option<&str>) -> Value {
    match (live, applied) {
        (Value::Object(l), Value::Object(a)) => {
            let mut out = l.clone();
            for (k, av) in a {
                let merged = match l.get(k) {
                    Some(lv) => merge(lv, av, Some(k)),
                    None => av.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (Value::Array(l), Value::Array(a)) => match fields::list_kind(field, a) {
            ListKind::Keyed(keys) if fields::list_kind(field, l) == ListKind::Keyed(keys) => {
                let mut out: Vec<Value> = l
                    .iter()
                    .map(|li| {
                        let k = fields::key_of(li, keys);
                        match a.iter().find(|ai| fields::key_of(ai, keys) == k) {
                            Some(ai) => merge(li, ai, None),
                            None => li.clone(),
                        }
                    })
                    .collect();
                for ai in a {
                    let k = fields::key_of(ai, keys);
                    if !l.iter().any(|li| fields::key_of(li, keys) == k) {
                        out.push(ai.clone());
                    }
                }
                Value::Array(out)
            }
            ListKind::Set => {
                let mut out = l.clone();
                for ai in a {
                    if !out.contains(ai) {
                        out.push(ai.clone());
                    }
                }
                Value::Array(out)
            }
            _ => applied.clone(),
        },
        _ => applied.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIN: Scope = Scope::Main { has_status: true };

    fn writer(name: &str) -> Writer<'_> {
        Writer {
            manager: name,
            api_version: "apps/v1",
            now: "2026-01-01T00:00:00Z",
            scope: MAIN,
        }
    }

    #[test]
    fn apply_creates_then_removes_dropped_fields() {
        let mut managers = Vec::new();
        let a1 = json!({"metadata": {"name": "x", "labels": {"a": "1", "b": "2"}}, "spec": {"replicas": 2}});
        let live = apply(None, &a1, &mut managers, &writer("me"), false).unwrap_or_default();
        assert_eq!(live["metadata"]["labels"]["b"], "2");
        let a2 = json!({"metadata": {"name": "x", "labels": {"a": "1"}}, "spec": {"replicas": 2}});
        let live = apply(Some(&live), &a2, &mut managers, &writer("me"), false).unwrap_or_default();
        assert_eq!(live["metadata"]["labels"], json!({"a": "1"}));
        assert_eq!(managers.len(), 1);
    }

    #[test]
    fn conflicts_unless_forced_and_shared_when_equal() {
        let mut managers = Vec::new();
        let a = json!({"spec": {"replicas": 2, "paused": false}});
        let live = apply(None, &a, &mut managers, &writer("one"), false).unwrap_or_default();
        let same = json!({"spec": {"replicas": 2}});
        let live =
            apply(Some(&live), &same, &mut managers, &writer("two"), false).unwrap_or_default();
        let b = json!({"spec": {"replicas": 3}});
        let err = apply(Some(&live), &b, &mut managers, &writer("three"), false);
        assert_eq!(err.err().map(|c| c.len()), Some(2));
        let live =
            apply(Some(&live), &b, &mut managers, &writer("three"), true).unwrap_or_default();
        assert_eq!(live["spec"]["replicas"], 3);
        assert!(managers.iter().all(|m| m.name == "three"
            || !m
                .fields
                .iter()
                .any(|p| fields::display(p) == ".spec.replicas")));
    }

    #[test]
    fn update_takes_changed_fields() {
        let mut managers = Vec::new();
        let a = json!({"spec": {"replicas": 2}});
        let live = apply(None, &a, &mut managers, &writer("me"), false).unwrap_or_default();
        let new = json!({"spec": {"replicas": 5}});
        record_update(Some(&live), &new, &mut managers, &writer("hpa"));
        assert_eq!(managers.len(), 1);
        assert_eq!(managers[0].name, "hpa");
        assert_eq!(managers[0].operation, "Update");
    }

    #[test]
    fn keyed_lists_merge_by_name() {
        let live = json!({"c": {"containers": [{"name": "a", "image": "1"}, {"name": "b", "image": "2"}]}});
        let applied = json!({"c": {"containers": [{"name": "b", "image": "3"}]}});
        let out = merge(&live, &applied, None);
        assert_eq!(
            out["c"]["containers"],
            json!([{"name": "a", "image": "1"}, {"name": "b", "image": "3"}])
        );
    }
}
