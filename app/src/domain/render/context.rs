//! The data a template sees: `node` (the settings), `wiring` (derived values) and `extra`
//! (kind-specific values computed here: a Secret's encoded data, a custom object's body).

use std::collections::BTreeMap;

use base64::Engine as _;
use minijinja::value::{Serde, Value};
use serde_json::Map;

use crate::domain::issue::Issue;
use crate::domain::wiring::Derived;
use crate::model::NodeSettings;

/// Deploy-time values of one Secret node, by key. Never stored, logged or returned.
pub type SecretValues = BTreeMap<String, String>;

/// Top-level fields a custom object's content may not set (the node sets them).
const RESERVED_CUSTOM_FIELDS: [&str; 4] = ["apiVersion", "kind", "metadata", "status"];

/// The template context of one node.
pub fn build(
    settings: &NodeSettings,
    derived: &Derived,
    secret: Option<&SecretValues>,
) -> Result<Value, Issue> {
    let mut extra = Map::new();
    match settings {
        NodeSettings::Secret(s) => {
            let values = secret.cloned().unwrap_or_default();
            let data: BTreeMap<&String, String> = s
                .keys
                .iter()
                .filter_map(|key| {
                    values
                        .get(key)
                        .map(|v| (key, base64::engine::general_purpose::STANDARD.encode(v)))
                })
                .collect();
            extra.insert(
                "data".into(),
                serde_json::to_value(data).unwrap_or_default(),
            );
        }
        NodeSettings::Custom(c) => {
            extra.insert(
                "body".into(),
                serde_json::Value::Object(custom_body(&c.content)?),
            );
        }
        _ => {}
    }
    Ok(minijinja::context! {
        node => Value::from(Serde(settings)),
        wiring => Value::from(Serde(derived)),
        extra => Value::from(Serde(&extra)),
    })
}

/// Parses a custom node's content: a YAML mapping of top-level fields.
fn custom_body(content: &str) -> Result<Map<String, serde_json::Value>, Issue> {
    let parsed: serde_json::Value = yaml_serde::from_str(content).map_err(|err| {
        let message = err.to_string();
        Issue::field_error(
            "content",
            format!(
                "Content is not valid YAML: {}",
                message.lines().next().unwrap_or("")
            ),
        )
    })?;
    let serde_json::Value::Object(body) = parsed else {
        return Err(Issue::field_error(
            "content",
            "Content must be a YAML mapping such as `spec: {...}`",
        ));
    };
    if let Some(key) = body
        .keys()
        .find(|k| RESERVED_CUSTOM_FIELDS.contains(&k.as_str()))
    {
        return Err(Issue::field_error(
            "content",
            format!("Content must not set `{key}`: use the node's own fields"),
        ));
    }
    Ok(body)
}
