//! The few facts a node card shows under its name (image, replicas, ports, schedule, size, …),
//! read from the node's settings whatever its kind.

use serde_json::Value;

use crate::model::NodeData;

/// Short facts about a node, most telling first (at most `limit`).
pub fn facts(data: &NodeData, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(image) = text(data, "image") {
        out.push(short_image(image));
    }
    if let Some(n) = data.get("replicas").and_then(Value::as_i64) {
        out.push(format!("×{n}"));
    }
    if let Some(ports) = ports(data) {
        out.push(ports);
    }
    for key in ["type", "schedule", "storage", "host", "apiVersion"] {
        if let Some(value) = text(data, key) {
            out.push(value.to_string());
        }
    }
    if let Some(keys) = data
        .get("keys")
        .or_else(|| data.get("data"))
        .and_then(count)
    {
        out.push(format!("{keys} key{}", if keys == 1 { "" } else { "s" }));
    }
    out.truncate(limit);
    out
}

fn text<'a>(data: &'a NodeData, key: &str) -> Option<&'a str> {
    data.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn count(value: &Value) -> Option<usize> {
    match value {
        Value::Array(items) if !items.is_empty() => Some(items.len()),
        Value::Object(map) if !map.is_empty() => Some(map.len()),
        _ => None,
    }
}

/// `registry.example.com/team/web:1.2` → `web:1.2`.
fn short_image(image: &str) -> String {
    image.rsplit('/').next().unwrap_or(image).to_string()
}

/// `:80, :443` from container ports or service ports.
fn ports(data: &NodeData) -> Option<String> {
    let list = data.get("ports")?.as_array()?;
    let numbers: Vec<String> = list
        .iter()
        .filter_map(|p| p.get("containerPort").or_else(|| p.get("port")))
        .filter_map(Value::as_i64)
        .map(|n| format!(":{n}"))
        .collect();
    (!numbers.is_empty()).then(|| numbers.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn data(value: Value) -> NodeData {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn workload_facts() {
        let d = data(json!({
            "name": "web", "image": "ghcr.io/acme/web:1.2", "replicas": 3,
            "ports": [{"containerPort": 8080}, {"containerPort": 9090}]
        }));
        assert_eq!(facts(&d, 5), ["web:1.2", "×3", ":8080 :9090"]);
        assert_eq!(facts(&d, 1), ["web:1.2"]);
    }

    #[test]
    fn other_kinds_and_empty_values() {
        assert_eq!(
            facts(
                &data(json!({"type": "ClusterIP", "ports": [{"port": 80}]})),
                3
            ),
            [":80", "ClusterIP"]
        );
        assert_eq!(
            facts(&data(json!({"schedule": "*/5 * * * *"})), 3),
            ["*/5 * * * *"]
        );
        assert_eq!(facts(&data(json!({"keys": ["a", "b"]})), 3), ["2 keys"]);
        assert!(facts(&data(json!({"image": "  ", "ports": []})), 3).is_empty());
    }
}
