//! Label selectors (`=`, `==`, `!=`, `in`, `notin`, exists, `!`exists) and field selectors
//! (`path=value`, `path!=value` on any dotted field, e.g. `metadata.name`).

use serde_json::Value;

use crate::status::ApiError;

#[derive(Clone, Debug, PartialEq)]
enum Op {
    Eq(String),
    NotEq(String),
    In(Vec<String>),
    NotIn(Vec<String>),
    Exists,
    NotExists,
}

/// A parsed label selector (all requirements must hold).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LabelSelector(Vec<(String, Op)>);

/// Splits on commas that are not inside parentheses.
fn split_top(s: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0i32, 0usize, Vec::new());
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn bad(sel: &str, why: &str) -> ApiError {
    ApiError::bad_request(format!("unable to parse requirement {sel:?}: {why}"))
}

fn set_values(rest: &str, req: &str) -> Result<Vec<String>, ApiError> {
    let inner = rest
        .trim()
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| bad(req, "expected a parenthesised list of values"))?;
    Ok(inner
        .split(',')
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect())
}

fn parse_requirement(req: &str) -> Result<(String, Op), ApiError> {
    let r = req.trim();
    if let Some(key) = r.strip_prefix('!') {
        return Ok((key.trim().to_string(), Op::NotExists));
    }
    if let Some((k, v)) = r.split_once("!=") {
        return Ok((k.trim().to_string(), Op::NotEq(v.trim().to_string())));
    }
    if let Some((k, v)) = r.split_once("==").or_else(|| r.split_once('=')) {
        return Ok((k.trim().to_string(), Op::Eq(v.trim().to_string())));
    }
    let mut words = r.splitn(2, char::is_whitespace);
    let key = words.next().unwrap_or_default().to_string();
    let rest = words.next().unwrap_or_default().trim();
    if let Some(vals) = rest.strip_prefix("notin") {
        return Ok((key, Op::NotIn(set_values(vals, req)?)));
    }
    if let Some(vals) = rest.strip_prefix("in") {
        return Ok((key, Op::In(set_values(vals, req)?)));
    }
    if !rest.is_empty() || r.contains(['<', '>', '(', ')']) {
        return Err(bad(
            req,
            "expected one of =, ==, !=, in, notin, or a bare key",
        ));
    }
    Ok((key, Op::Exists))
}

impl LabelSelector {
    /// Parses a `labelSelector` query value.
    pub fn parse(s: &str) -> Result<Self, ApiError> {
        let mut reqs = Vec::new();
        for part in split_top(s).into_iter().filter(|p| !p.trim().is_empty()) {
            let (key, op) = parse_requirement(part)?;
            if key.is_empty() {
                return Err(bad(part, "empty label key"));
            }
            reqs.push((key, op));
        }
        Ok(Self(reqs))
    }

    /// Whether an object's labels satisfy the selector.
    pub fn matches(&self, obj: &Value) -> bool {
        let labels = obj.pointer("/metadata/labels");
        self.0.iter().all(|(key, op)| {
            let val = labels.and_then(|l| l.get(key)).and_then(Value::as_str);
            match op {
                Op::Eq(v) => val == Some(v.as_str()),
                Op::NotEq(v) => val != Some(v.as_str()),
                Op::In(vs) => val.is_some_and(|x| vs.iter().any(|v| v == x)),
                Op::NotIn(vs) => !val.is_some_and(|x| vs.iter().any(|v| v == x)),
                Op::Exists => val.is_some(),
                Op::NotExists => val.is_none(),
            }
        })
    }
}

/// A parsed field selector.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldSelector(Vec<(String, bool, String)>);

impl FieldSelector {
    /// Parses a `fieldSelector` query value.
    pub fn parse(s: &str) -> Result<Self, ApiError> {
        let mut reqs = Vec::new();
        for part in s.split(',').filter(|p| !p.trim().is_empty()) {
            let (path, eq, value) = if let Some((k, v)) = part.split_once("!=") {
                (k, false, v)
            } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                (k, true, v)
            } else {
                return Err(ApiError::bad_request(format!(
                    "invalid field selector {part:?}: expected field=value or field!=value"
                )));
            };
            reqs.push((path.trim().to_string(), eq, value.trim().to_string()));
        }
        Ok(Self(reqs))
    }

    /// Whether the object's fields satisfy the selector (a missing field reads as "").
    pub fn matches(&self, obj: &Value) -> bool {
        self.0.iter().all(|(path, eq, want)| {
            let pointer = format!("/{}", path.replace('.', "/"));
            let got = match obj.pointer(&pointer) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            (got == *want) == *eq
        })
    }
}

/// Both selectors of a list or watch request, plus its namespace.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Namespace the request is scoped to (None = all).
    pub namespace: Option<String>,
    /// Label selector.
    pub labels: LabelSelector,
    /// Field selector.
    pub fields: FieldSelector,
}

impl Filter {
    /// Whether an object is in scope.
    pub fn matches(&self, obj: &Value) -> bool {
        let ns_ok = match &self.namespace {
            Some(ns) => {
                obj.pointer("/metadata/namespace").and_then(Value::as_str) == Some(ns.as_str())
            }
            None => true,
        };
        ns_ok && self.labels.matches(obj) && self.fields.matches(obj)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj() -> Value {
        json!({"metadata": {"name": "web", "namespace": "prod", "labels": {"app": "web", "tier": "front"}}})
    }

    #[test]
    fn label_selector_operators() {
        let o = obj();
        for (sel, want) in [
            ("app=web", true),
            ("app==web", true),
            ("app!=web", false),
            ("app in (web, api)", true),
            ("app notin (web)", false),
            ("tier", true),
            ("!tier", false),
            ("!missing", true),
            ("app=web,tier in (front)", true),
            ("app=web,tier=back", false),
            ("", true),
        ] {
            let parsed = LabelSelector::parse(sel).map(|s| s.matches(&o));
            assert_eq!(parsed.ok(), Some(want), "{sel}");
        }
        assert!(LabelSelector::parse("app in web").is_err());
        assert!(LabelSelector::parse("a>1").is_err());
    }

    #[test]
    fn field_selector_paths() {
        let o = obj();
        assert!(FieldSelector::parse("metadata.name=web")
            .map(|s| s.matches(&o))
            .unwrap_or(false));
        assert!(
            FieldSelector::parse("metadata.namespace!=dev,metadata.name==web")
                .map(|s| s.matches(&o))
                .unwrap_or(false)
        );
        assert!(!FieldSelector::parse("metadata.name=api")
            .map(|s| s.matches(&o))
            .unwrap_or(true));
        assert!(FieldSelector::parse("nonsense").is_err());
    }
}
