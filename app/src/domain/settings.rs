//! Reads a node's stored `data` into typed [`NodeSettings`]: fills in the metadata defaults, checks
//! every value against its parameter (type, required, range, options, length, format) with the
//! field path, then deserialises. Generic over the metadata: no code per kind.

use serde_json::{Map, Value};

use super::formats;
use super::issue::Issue;
use crate::model::metadata::{self, Format, ParamType, Parameter};
use crate::model::{NodeData, NodeKind, NodeSettings};

/// Longest single-line string when a parameter sets no `maxLength`.
pub const DEFAULT_MAX_STRING: usize = 4096;
/// Longest multi-line text when a parameter sets no `maxLength`.
pub const DEFAULT_MAX_TEXT: usize = 65536;

/// The typed settings (when the data is usable) and every problem found.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    /// `None` when an error prevents reading the data.
    pub settings: Option<NodeSettings>,
    /// Field errors (and warnings).
    pub issues: Vec<Issue>,
}

/// Reads and checks a node's data.
pub fn parse(kind: NodeKind, data: &NodeData) -> Parsed {
    let params = &metadata::of(kind).parameters;
    let complete = with_defaults(params, data);
    let mut issues = Vec::new();
    check_object(params, &complete, "", &mut issues);
    if !issues.is_empty() {
        return Parsed {
            settings: None,
            issues,
        };
    }
    match NodeSettings::from_value(kind, Value::Object(complete)) {
        Ok(settings) => Parsed {
            settings: Some(settings),
            issues,
        },
        Err(err) => Parsed {
            settings: None,
            issues: vec![Issue::error(format!("the settings cannot be read: {err}"))],
        },
    }
}

/// `data` with every missing parameter (and missing field of objects and object lists) set
/// to its default.
pub fn with_defaults(params: &[Parameter], data: &Map<String, Value>) -> Map<String, Value> {
    let mut out = data.clone();
    for param in params {
        let value = out
            .entry(param.name.clone())
            .or_insert_with(|| param.default_value());
        match (param.ty, value) {
            (ParamType::Object, Value::Object(fields)) => {
                *fields = with_defaults(&param.fields, fields)
            }
            (ParamType::Objects, Value::Array(items)) => {
                for item in items {
                    if let Value::Object(fields) = item {
                        *fields = with_defaults(&param.fields, fields);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn check_object(
    params: &[Parameter],
    data: &Map<String, Value>,
    prefix: &str,
    issues: &mut Vec<Issue>,
) {
    for key in data
        .keys()
        .filter(|key| !params.iter().any(|p| &p.name == *key))
    {
        issues.push(Issue::field_error(
            join(prefix, key),
            format!("unknown setting `{key}`"),
        ));
    }
    for param in params {
        if let Some(value) = data.get(&param.name) {
            check_value(param, value, &join(prefix, &param.name), issues);
        }
    }
}

fn check_value(param: &Parameter, value: &Value, path: &str, issues: &mut Vec<Issue>) {
    let mut fail = |message: String| {
        issues.push(Issue::field_error(
            path,
            format!("{} {message}", param.label),
        ))
    };
    match (param.ty, value) {
        (ParamType::String | ParamType::Text, Value::String(s)) => {
            if let Err(message) = StrRule::of(param).check(s) {
                fail(message);
            }
        }
        (ParamType::Select, v) if param.options.iter().any(|o| &o.value == v) => {}
        (ParamType::Select, _) => fail(format!("must be one of: {}", option_list(param))),
        (ParamType::Number, Value::Null) if param.default_value().is_null() && !param.required => {}
        (ParamType::Number, Value::Number(n)) => match n.as_i64() {
            Some(n)
                if param.min.is_some_and(|min| n < min) || param.max.is_some_and(|max| n > max) =>
            {
                fail(format!(
                    "must be between {} and {}",
                    param.min.unwrap_or(i64::MIN),
                    param.max.unwrap_or(i64::MAX)
                ))
            }
            Some(_) => {}
            None => fail("must be a whole number".into()),
        },
        (ParamType::Number, _) => fail("must be a whole number".into()),
        (ParamType::Bool, Value::Bool(_)) => {}
        (ParamType::Bool, _) => fail("must be true or false".into()),
        (ParamType::List, Value::Array(items)) => check_list(param, items, path, issues),
        (ParamType::Map, Value::Object(map)) => check_map(param, map, path, issues),
        (ParamType::Object, Value::Object(fields)) => {
            check_object(&param.fields, fields, path, issues)
        }
        (ParamType::Objects, Value::Array(items)) => {
            if param.required && items.is_empty() {
                fail("needs at least one entry".into());
            }
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::Object(fields) => {
                        check_object(&param.fields, fields, &format!("{path}[{i}]"), issues)
                    }
                    _ => issues.push(Issue::field_error(
                        format!("{path}[{i}]"),
                        format!("{} entries must be objects", param.label),
                    )),
                }
            }
        }
        (ParamType::List, _) => fail("must be a list of strings".into()),
        (ParamType::Map | ParamType::Object, _) => fail("must be an object".into()),
        (ParamType::Objects, _) => fail("must be a list of objects".into()),
        (ParamType::String | ParamType::Text, _) => fail("must be a string".into()),
    }
}

/// Rules for one string: required, longest length, whether line breaks are allowed, syntax.
struct StrRule {
    required: bool,
    max: usize,
    multi_line: bool,
    format: Option<Format>,
}

impl StrRule {
    /// The rule for a `string`/`text` parameter's value.
    fn of(param: &Parameter) -> Self {
        let multi_line = param.ty == ParamType::Text;
        Self {
            required: param.required,
            max: param.max_length.unwrap_or(if multi_line {
                DEFAULT_MAX_TEXT
            } else {
                DEFAULT_MAX_STRING
            }),
            multi_line,
            format: param.format,
        }
    }

    /// The rule for an item of a `list` (free items such as arguments may span lines).
    fn list_item(param: &Parameter) -> Self {
        let multi_line = param.format.is_none() && param.options.is_empty();
        Self {
            required: true,
            max: param.max_length.unwrap_or(DEFAULT_MAX_STRING),
            multi_line,
            format: param.format,
        }
    }

    /// The rule for the keys of a `map`.
    fn map_key(param: &Parameter) -> Self {
        Self {
            required: true,
            max: 253,
            multi_line: false,
            format: param.key_format,
        }
    }

    /// The rule for the values of a `map` (free values such as ConfigMap data may span lines).
    fn map_value(param: &Parameter) -> Self {
        let multi_line = param.value_format.is_none();
        Self {
            required: false,
            max: param.max_length.unwrap_or(DEFAULT_MAX_TEXT),
            multi_line,
            format: param.value_format,
        }
    }

    fn check(&self, s: &str) -> Result<(), String> {
        if s.is_empty() {
            return if self.required {
                Err("is required".into())
            } else {
                Ok(())
            };
        }
        if s.chars().count() > self.max {
            return Err(format!("is too long (at most {} characters)", self.max));
        }
        if s.contains('\0') {
            return Err("must not contain NUL characters".into());
        }
        if !self.multi_line
            && s.chars()
                .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
        {
            return Err("must be a single line without control characters".into());
        }
        match self.format {
            Some(format) => formats::check(format, s),
            None => Ok(()),
        }
    }
}

fn check_list(param: &Parameter, items: &[Value], path: &str, issues: &mut Vec<Issue>) {
    if param.required && items.is_empty() {
        issues.push(Issue::field_error(
            path,
            format!("{} needs at least one entry", param.label),
        ));
    }
    let rule = StrRule::list_item(param);
    for (i, item) in items.iter().enumerate() {
        let problem = match item {
            Value::String(_)
                if !param.options.is_empty() && !param.options.iter().any(|o| &o.value == item) =>
            {
                Some(format!("must be one of: {}", option_list(param)))
            }
            Value::String(_) if !param.options.is_empty() && items[..i].contains(item) => {
                Some("lists a value twice".to_string())
            }
            Value::String(s) => rule.check(s).err(),
            _ => Some("entries must be strings".to_string()),
        };
        if let Some(message) = problem {
            issues.push(Issue::field_error(
                format!("{path}[{i}]"),
                format!("{} {message}", param.label),
            ));
        }
    }
}

fn check_map(param: &Parameter, map: &Map<String, Value>, path: &str, issues: &mut Vec<Issue>) {
    if param.required && map.is_empty() {
        issues.push(Issue::field_error(
            path,
            format!("{} needs at least one entry", param.label),
        ));
    }
    let (key_rule, value_rule) = (StrRule::map_key(param), StrRule::map_value(param));
    for (key, value) in map {
        let entry = format!("{path}[{}]", serde_json::to_string(key).unwrap_or_default());
        let key_problem = key_rule.check(key).err().map(|m| format!("key {m}"));
        let value_problem = match value {
            Value::String(s) => value_rule.check(s).err().map(|m| format!("value {m}")),
            _ => Some("values must be strings".to_string()),
        };
        for message in key_problem.into_iter().chain(value_problem) {
            issues.push(Issue::field_error(
                entry.clone(),
                format!("{} {message}", param.label),
            ));
        }
    }
}

fn option_list(param: &Parameter) -> String {
    param
        .options
        .iter()
        .map(|o| match &o.value {
            Value::String(s) if s.is_empty() => "(empty)".to_string(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Key sets of a value and of the parameters describing it agree, recursively.
    fn same_shape(params: &[Parameter], data: &Map<String, Value>, path: &str) {
        let mut declared: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
        let mut present: Vec<&str> = data.keys().map(String::as_str).collect();
        declared.sort_unstable();
        present.sort_unstable();
        assert_eq!(
            declared, present,
            "{path}: metadata and typed settings differ"
        );
        for p in params.iter().filter(|p| p.ty == ParamType::Object) {
            same_shape(
                &p.fields,
                data[&p.name].as_object().unwrap(),
                &join(path, &p.name),
            );
        }
    }

    #[test]
    fn metadata_defaults_and_typed_settings_agree() {
        for kind in NodeKind::ALL {
            let meta = metadata::of(kind);
            let defaults = with_defaults(&meta.parameters, &Map::new());
            let typed = NodeSettings::from_value(kind, Value::Object(defaults.clone()))
                .unwrap_or_else(|e| panic!("{kind}: defaults do not fit the typed settings: {e}"));
            let back = typed.to_data();
            assert_eq!(back, defaults, "{kind}: typed settings change the defaults");
            same_shape(&meta.parameters, &back, kind.as_str());
            for p in meta
                .parameters
                .iter()
                .filter(|p| p.ty == ParamType::Objects)
            {
                let item = with_defaults(&p.fields, &Map::new());
                let mut data = defaults.clone();
                data.insert(p.name.clone(), json!([item]));
                let typed = NodeSettings::from_value(kind, Value::Object(data)).unwrap();
                let items = typed.to_data()[&p.name].clone();
                same_shape(
                    &p.fields,
                    items[0].as_object().unwrap(),
                    &format!("{kind}.{}[0]", p.name),
                );
            }
        }
    }

    #[test]
    fn field_errors_carry_paths() {
        let data = json!({
            "name": "Web",
            "image": "nginx",
            "replicas": -1,
            "ports": [{ "containerPort": 70000 }],
            "labels": { "ok": "a\nb" },
            "livenessProbe": { "type": "ftp" },
            "bogus": 1,
        });
        let parsed = parse(NodeKind::Deployment, data.as_object().unwrap());
        assert!(parsed.settings.is_none());
        let fields: Vec<&str> = parsed
            .issues
            .iter()
            .filter_map(|i| i.field.as_deref())
            .collect();
        for want in [
            "bogus",
            "name",
            "replicas",
            "ports[0].containerPort",
            "labels[\"ok\"]",
            "livenessProbe.type",
        ] {
            assert!(fields.contains(&want), "{want} missing from {fields:?}");
        }
        let ok = parse(
            NodeKind::Deployment,
            json!({ "name": "web", "image": "nginx" })
                .as_object()
                .unwrap(),
        );
        assert_eq!(ok.issues, []);
        assert_eq!(ok.settings.unwrap().name(), "web");
    }
}
