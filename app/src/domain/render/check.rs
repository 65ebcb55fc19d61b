//! After a template ran: parse its YAML, require exactly one document with the node's
//! apiVersion/kind/name/namespace, deserialize it into the k8s-openapi type (schema check) and
//! require that nothing was dropped or changed on the way (unknown or misplaced fields).

use k8s_openapi::api::{apps, autoscaling, batch, core, networking};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::issue::Issue;
use crate::model::NodeKind;

/// What the rendered object must be.
pub struct Expect<'a> {
    /// apiVersion.
    pub api_version: &'a str,
    /// kind.
    pub kind: &'a str,
    /// metadata.name.
    pub name: &'a str,
    /// metadata.namespace (`None` for cluster-scoped objects).
    pub namespace: Option<&'a str>,
}

/// Parses template output into exactly one JSON object.
pub fn parse_single(text: &str) -> Result<Value, Issue> {
    let docs: Result<Vec<Value>, _> = yaml_serde::Deserializer::from_str(text)
        .map(Value::deserialize)
        .collect();
    let docs = docs.map_err(|err| {
        Issue::error(format!(
            "the template produced invalid YAML: {}",
            first_line(&err.to_string())
        ))
    })?;
    let mut docs = docs.into_iter().filter(|d| !d.is_null());
    match (docs.next(), docs.next()) {
        (Some(doc @ Value::Object(_)), None) => Ok(doc),
        (Some(_), None) => Err(Issue::error(
            "the template produced a YAML value that is not an object",
        )),
        (None, _) => Err(Issue::error("the template produced no object")),
        (Some(_), Some(_)) => Err(Issue::error(
            "the template produced several YAML documents; a node renders exactly one",
        )),
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

/// Checks apiVersion, kind, name and namespace.
pub fn identity(doc: &Value, expect: &Expect) -> Result<(), Issue> {
    let field = |path: &[&str]| {
        path.iter()
            .try_fold(doc, |v, key| v.get(key))
            .and_then(Value::as_str)
    };
    let checks = [
        (
            "apiVersion",
            field(&["apiVersion"]),
            Some(expect.api_version),
        ),
        ("kind", field(&["kind"]), Some(expect.kind)),
        (
            "metadata.name",
            field(&["metadata", "name"]),
            Some(expect.name),
        ),
        (
            "metadata.namespace",
            field(&["metadata", "namespace"]),
            expect.namespace,
        ),
    ];
    for (path, found, wanted) in checks {
        if found != wanted {
            return Err(Issue::field_error(
                path,
                format!(
                    "the rendered {path} is {} but must be {}",
                    show(found),
                    show(wanted)
                ),
            ));
        }
    }
    Ok(())
}

fn show(value: Option<&str>) -> String {
    value.map_or_else(|| "missing".to_string(), |v| format!("{v:?}"))
}

/// Deserializes `doc` into the kind's k8s-openapi type and requires a lossless round trip.
pub fn schema(kind: NodeKind, doc: &Value) -> Result<(), Issue> {
    match kind {
        NodeKind::Deployment => typed::<apps::v1::Deployment>(doc),
        NodeKind::StatefulSet => typed::<apps::v1::StatefulSet>(doc),
        NodeKind::DaemonSet => typed::<apps::v1::DaemonSet>(doc),
        NodeKind::Job => typed::<batch::v1::Job>(doc),
        NodeKind::CronJob => typed::<batch::v1::CronJob>(doc),
        NodeKind::Service => typed::<core::v1::Service>(doc),
        NodeKind::Ingress => typed::<networking::v1::Ingress>(doc),
        NodeKind::ConfigMap => typed::<core::v1::ConfigMap>(doc),
        NodeKind::Secret => typed::<core::v1::Secret>(doc),
        NodeKind::PersistentVolumeClaim => typed::<core::v1::PersistentVolumeClaim>(doc),
        NodeKind::Hpa => typed::<autoscaling::v2::HorizontalPodAutoscaler>(doc),
        NodeKind::NetworkPolicy => typed::<networking::v1::NetworkPolicy>(doc),
        NodeKind::Custom => Ok(()),
    }
}

fn typed<T: DeserializeOwned + Serialize>(doc: &Value) -> Result<(), Issue> {
    let object: T = serde_path_to_error::deserialize(doc).map_err(|err| {
        let path = err.path().to_string();
        Issue::field_error(
            path.clone(),
            format!(
                "the rendered field {path} does not fit the Kubernetes schema: {}",
                err.inner()
            ),
        )
    })?;
    let back = serde_json::to_value(&object)
        .map_err(|err| Issue::error(format!("the object cannot be written back: {err}")))?;
    if let Some(path) = first_difference(doc, &back, String::new()) {
        let message = if lookup(&back, &path).is_none() {
            format!("the rendered field {path} is not part of the Kubernetes schema")
        } else if lookup(doc, &path).is_none() {
            format!("the rendered object lacks the field {path} that the Kubernetes schema writes")
        } else {
            format!("the rendered field {path} has a shape the Kubernetes schema changes")
        };
        return Err(Issue::field_error(path, message));
    }
    Ok(())
}

/// `value` as block YAML with object keys sorted (see [`Sorted`]). Strings that YAML 1.1
/// readers (kubectl, PyYAML) would take for booleans (`yes`, `off`, `y`, …) are quoted.
pub fn to_yaml(value: &Value) -> Result<String, yaml_serde::Error> {
    yaml_serde::to_string(&Sorted(value)).map(|text| quote_yaml11_booleans(&text))
}

/// Words YAML 1.1 reads as booleans that YAML 1.2 (what is written) leaves as strings.
const YAML11_BOOLEANS: [&str; 18] = [
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF", "=", "<<",
];

/// Quotes plain scalars that are YAML 1.1 booleans (outside block scalars).
fn quote_yaml11_booleans(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut block: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let indent = body.len() - body.trim_start().len();
        if let Some(level) = block {
            if body.trim().is_empty() || indent > level {
                out.push_str(line);
                continue;
            }
            block = None;
        }
        let split = body.rfind(": ").map(|at| at + 2).or_else(|| {
            body.trim_start()
                .starts_with("- ")
                .then(|| body.rfind("- ").map_or(0, |at| at + 2))
        });
        let value = split.map_or("", |at| &body[at..]);
        if value.starts_with('|') || value.starts_with('>') {
            block = Some(indent);
        }
        match split {
            Some(at) if YAML11_BOOLEANS.contains(&value) => {
                out.push_str(&body[..at]);
                out.push('\'');
                out.push_str(value);
                out.push('\'');
                out.push_str(&line[body.len()..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// The value at a `first_difference` path (`a.b[0].c`), if any.
fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |v, part| {
        let (key, indexes) = part
            .split_once('[')
            .map_or((part, ""), |(k, rest)| (k, rest));
        let mut v = if key.is_empty() { v } else { v.get(key)? };
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            v = v.get(index.trim_end_matches(']').parse::<usize>().ok()?)?;
        }
        Some(v)
    })
}

/// The path of the first place where `a` and `b` differ.
fn first_difference(a: &Value, b: &Value, path: String) -> Option<String> {
    let at = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x
            .iter()
            .find_map(|(k, v)| match y.get(k) {
                Some(w) => first_difference(v, w, at(k)),
                None => Some(at(k)),
            })
            .or_else(|| y.keys().find(|k| !x.contains_key(*k)).map(|k| at(k))),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(v, w, format!("{path}[{i}]"))),
        _ if a == b => None,
        _ => Some(if path.is_empty() {
            "(root)".into()
        } else {
            path
        }),
    }
}

/// Serialises a JSON value with object keys sorted (apiVersion, kind, metadata first), whatever
/// map type serde_json uses.
struct Sorted<'a>(&'a Value);

impl Serialize for Sorted<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.0 {
            Value::Object(map) => {
                let rank = |k: &str| {
                    ["apiVersion", "kind", "metadata"]
                        .iter()
                        .position(|f| *f == k)
                        .unwrap_or(3)
                };
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort_by(|a, b| (rank(a), a).cmp(&(rank(b), b)));
                let mut out = serializer.serialize_map(Some(keys.len()))?;
                for key in keys {
                    out.serialize_entry(key, &Sorted(&map[key]))?;
                }
                out.end()
            }
            Value::Array(items) => {
                let mut out = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    out.serialize_element(&Sorted(item))?;
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml11_booleans_stay_strings() {
        let value = json!({ "args": ["--appendonly", "yes", "n"], "x": "off", "t": true, "text": "a\nyes\n", "y": "yesterday" });
        let text = to_yaml(&value).unwrap();
        assert!(
            text.contains("- 'yes'") && text.contains("- 'n'") && text.contains("x: 'off'"),
            "{text}"
        );
        assert!(
            text.contains("t: true") && text.contains("  yes\n") && text.contains("y: yesterday"),
            "{text}"
        );
        let back: Value = yaml_serde::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn one_document_only() {
        assert!(parse_single("a: 1\n").is_ok());
        assert!(parse_single("a: 1\n---\nb: 2\n").is_err());
        assert!(parse_single("").is_err());
        assert!(parse_single("- 1\n").is_err());
        assert!(parse_single("a: [\n").is_err());
    }

    #[test]
    fn unknown_and_misplaced_fields_are_caught() {
        let ok = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "n"}, "data": {"k": "v"}});
        assert!(schema(NodeKind::ConfigMap, &ok).is_ok());
        let mut extra = ok.clone();
        extra["metadata"]["nmae"] = json!("x");
        assert_eq!(
            schema(NodeKind::ConfigMap, &extra)
                .unwrap_err()
                .field
                .as_deref(),
            Some("metadata.nmae")
        );
        let mut wrong = ok.clone();
        wrong["data"] = json!({"k": 1});
        assert_eq!(
            schema(NodeKind::ConfigMap, &wrong)
                .unwrap_err()
                .field
                .as_deref(),
            Some("data.k")
        );
        let expect = Expect {
            api_version: "v1",
            kind: "ConfigMap",
            name: "a",
            namespace: Some("m"),
        };
        assert_eq!(
            identity(&ok, &expect).unwrap_err().field.as_deref(),
            Some("metadata.namespace")
        );
    }
}
