//! JSON merge patch (RFC 7386), a simplified strategic merge patch, and JSON patch (RFC 6902).

use serde_json::Value;

use crate::fields::{self, ListKind};

/// The patch flavours, by request `Content-Type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchKind {
    /// `application/apply-patch+yaml` (server-side apply).
    Apply,
    /// `application/merge-patch+json`.
    Merge,
    /// `application/strategic-merge-patch+json`.
    Strategic,
    /// `application/json-patch+json`.
    Json,
}

impl PatchKind {
    /// The kind for a `Content-Type` header value (parameters ignored).
    pub fn from_content_type(ct: &str) -> Option<Self> {
        match ct.split(';').next().unwrap_or_default().trim() {
            "application/apply-patch+yaml" | "application/apply-patch+json" => Some(Self::Apply),
            "application/merge-patch+json" => Some(Self::Merge),
            "application/strategic-merge-patch+json" => Some(Self::Strategic),
            "application/json-patch+json" => Some(Self::Json),
            _ => None,
        }
    }
}

/// Applies an RFC 7386 merge patch.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    json_patch::merge(target, patch);
}

/// Applies a strategic merge patch, simplified: like a merge patch, except that keyed lists
/// (containers, env, ports, …) merge by key, an item with `"$patch": "delete"` is removed, set
/// lists (finalizers) merge as a union, and other `$` directives are dropped.
pub fn strategic_patch(target: &mut Value, patch: &Value) {
    strategic(target, patch, None);
}

fn strategic(target: &mut Value, patch: &Value, field: Option<&str>) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, pv) in p {
                if k.starts_with('$') {
                    continue;
                }
                if pv.is_null() {
                    t.remove(k);
                    continue;
                }
                match t.get_mut(k) {
                    Some(tv) if tv.is_object() || tv.is_array() => strategic(tv, pv, Some(k)),
                    _ => {
                        let mut fresh = Value::Null;
                        strategic(&mut fresh, pv, Some(k));
                        t.insert(k.clone(), fresh);
                    }
                }
            }
        }
        (Value::Array(t), Value::Array(p)) => match fields::list_kind(field, p) {
            ListKind::Keyed(keys) => {
                for item in p {
                    let k = fields::key_of(item, keys);
                    let pos = t.iter().position(|ti| fields::key_of(ti, keys) == k);
                    let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
                    match (pos, delete) {
                        (Some(i), true) => {
                            t.remove(i);
                        }
                        (Some(i), false) => strategic(&mut t[i], item, None),
                        (None, false) => t.push(clean(item)),
                        (None, true) => {}
                    }
                }
            }
            ListKind::Set => {
                for item in p {
                    if !t.contains(item) {
                        t.push(item.clone());
                    }
                }
            }
            ListKind::Atomic => *t = p.iter().map(clean).collect(),
        },
        (t, p) => *t = clean(p),
    }
}

/// A patch value without `$` directives and without nulls.
fn clean(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, v)| !k.starts_with('$') && !v.is_null())
                .map(|(k, v)| (k.clone(), clean(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(clean).collect()),
        other => other.clone(),
    }
}

/// Applies an RFC 6902 JSON patch; the error says which operation failed.
pub fn json_patch(target: &mut Value, patch: &Value) -> Result<(), String> {
    let ops: json_patch::Patch =
        serde_json::from_value(patch.clone()).map_err(|e| format!("invalid JSON patch: {e}"))?;
    json_patch::patch(target, &ops).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_removes_nulls() {
        let mut v = json!({"a": {"b": 1, "c": 2}});
        merge_patch(&mut v, &json!({"a": {"b": null, "d": 3}}));
        assert_eq!(v, json!({"a": {"c": 2, "d": 3}}));
    }

    #[test]
    fn strategic_merges_containers_by_name() {
        let mut v =
            json!({"containers": [{"name": "a", "image": "1"}, {"name": "b", "image": "2"}]});
        let p = json!({"$setElementOrder/containers": [{"name": "a"}], "containers": [
            {"name": "a", "image": "9"}, {"name": "b", "$patch": "delete"}, {"name": "c", "image": "3"}
        ]});
        strategic_patch(&mut v, &p);
        assert_eq!(
            v,
            json!({"containers": [{"name": "a", "image": "9"}, {"name": "c", "image": "3"}]})
        );
    }

    #[test]
    fn json_patch_reports_failures() {
        let mut v = json!({"a": 1});
        assert!(json_patch(
            &mut v,
            &json!([{"op": "replace", "path": "/a", "value": 2}])
        )
        .is_ok());
        assert_eq!(v, json!({"a": 2}));
        assert!(json_patch(&mut v, &json!([{"op": "test", "path": "/a", "value": 1}])).is_err());
        assert!(json_patch(&mut v, &json!({"op": "nope"})).is_err());
        assert_eq!(
            PatchKind::from_content_type("application/merge-patch+json; charset=utf-8"),
            Some(PatchKind::Merge)
        );
    }
}
