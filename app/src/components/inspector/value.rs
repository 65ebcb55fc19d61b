//! Pure helpers for editing JSON setting values: conversions between inputs and values, paths,
//! and `showIf` conditions.

use serde_json::{Map, Number, Value};

use crate::model::metadata::{Condition, Parameter};

/// The text an input shows for a value.
pub fn to_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The value a number input's text stands for: `null` when empty, else an integer if it is one.
/// Anything else is kept as typed text, so validation can say what is wrong without losing it.
pub fn number_from(text: &str) -> Value {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Value::Null;
    }
    match trimmed.parse::<i64>() {
        Ok(n) => Value::Number(Number::from(n)),
        Err(_) => Value::String(text.to_string()),
    }
}

/// Whether a parameter is shown given its siblings' values (`showIf`).
pub fn visible(condition: Option<&Condition>, siblings: &Map<String, Value>) -> bool {
    let Some(condition) = condition else {
        return true;
    };
    let current = siblings.get(&condition.field).unwrap_or(&Value::Null);
    condition.equals.iter().any(|wanted| match current {
        Value::Array(items) => items.contains(wanted),
        value => value == wanted,
    })
}

/// `prefix.name` (or `name` at the top).
pub fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// `prefix[index]`.
pub fn index(prefix: &str, i: usize) -> String {
    format!("{prefix}[{i}]")
}

/// A new item of an `objects` list: every field at its default.
pub fn new_record(param: &Parameter) -> Value {
    Value::Object(
        param
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.default_value()))
            .collect(),
    )
}

/// The value stored for a parameter, or its default when unset.
pub fn current(param: &Parameter, parent: &Map<String, Value>) -> Value {
    parent
        .get(&param.name)
        .cloned()
        .unwrap_or_else(|| param.default_value())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_are_integers_null_or_kept_as_typed() {
        assert_eq!(number_from(""), Value::Null);
        assert_eq!(number_from(" 42 "), json!(42));
        assert_eq!(number_from("4.5"), json!("4.5"));
        assert_eq!(to_text(&json!(42)), "42");
        assert_eq!(to_text(&Value::Null), "");
    }

    #[test]
    fn show_if_matches_values_and_list_members() {
        let condition = Condition {
            field: "type".into(),
            equals: vec![json!("NodePort"), json!("LoadBalancer")],
        };
        let siblings = |v: Value| {
            json!({ "type": v })
                .as_object()
                .cloned()
                .unwrap_or_default()
        };
        assert!(visible(Some(&condition), &siblings(json!("NodePort"))));
        assert!(!visible(Some(&condition), &siblings(json!("ClusterIP"))));
        assert!(visible(
            Some(&condition),
            &siblings(json!(["LoadBalancer"]))
        ));
        assert!(visible(None, &Map::new()));
        assert_eq!(join("", "a"), "a");
        assert_eq!(index(&join("ports", "x"), 2), "ports.x[2]");
    }
}
