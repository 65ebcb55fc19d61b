//! Reading a JSON object field by field, for the hand-written readers of the types the browser
//! reads most ([`super::metadata`], the opened workflow in [`super::read`]). serde's derived
//! deserializers are one copy of the parsing code per type in the browser bundle; these readers
//! share one parsed [`Value`] and a few small functions. Errors name the path of the bad field.

use serde_json::{Map, Value};

/// The fields of one JSON object, read by name; `what` names it in errors.
pub(crate) struct Fields<'a> {
    /// The object.
    pub map: &'a Map<String, Value>,
    /// Where it is, for errors (`workflow.nodes[3]`).
    pub what: String,
}

impl<'a> Fields<'a> {
    /// The object `value`, refusing any key not in `known` (serde's `deny_unknown_fields`).
    pub fn new(value: &'a Value, what: String, known: &[&str]) -> Result<Self, String> {
        let fields = Self::lenient(value, what)?;
        if let Some(key) = fields.map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(format!("{}: unknown field `{key}`", fields.what));
        }
        Ok(fields)
    }

    /// The object `value`; unknown keys are ignored (serde's default).
    pub fn lenient(value: &'a Value, what: String) -> Result<Self, String> {
        let map = value
            .as_object()
            .ok_or_else(|| format!("{what}: expected an object"))?;
        Ok(Self { map, what })
    }

    /// The value at `key`; `null` counts as missing (as for serde's `Option`).
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// `what.key`, for the errors of a nested value.
    pub fn path(&self, key: &str) -> String {
        format!("{}.{key}", self.what)
    }

    /// The error for a value at `key` that is not `expected`.
    pub fn error(&self, key: &str, expected: &str) -> String {
        format!("{}: `{key}` must be {expected}", self.what)
    }

    /// The error for a missing `key`.
    pub fn missing(&self, key: &str) -> String {
        format!("{}: missing field `{key}`", self.what)
    }

    /// A required string.
    pub fn string(&self, key: &str) -> Result<String, String> {
        self.opt_string(key)?.ok_or_else(|| self.missing(key))
    }

    /// An optional string (`null` or absent is `None`).
    pub fn opt_string(&self, key: &str) -> Result<Option<String>, String> {
        self.get(key)
            .map(|v| {
                v.as_str()
                    .map(String::from)
                    .ok_or_else(|| self.error(key, "a string"))
            })
            .transpose()
    }

    /// A string that is empty when absent or `null`.
    pub fn string_or_empty(&self, key: &str) -> Result<String, String> {
        Ok(self.opt_string(key)?.unwrap_or_default())
    }

    /// A string that is empty when absent; `null` is refused (serde's `#[serde(default)] String`).
    pub fn string_or_default(&self, key: &str) -> Result<String, String> {
        match self.map.get(key) {
            None => Ok(String::new()),
            Some(v) => v
                .as_str()
                .map(String::from)
                .ok_or_else(|| self.error(key, "a string")),
        }
    }

    /// A flag, false when absent.
    pub fn flag(&self, key: &str) -> Result<bool, String> {
        self.get(key)
            .map(|v| v.as_bool().ok_or_else(|| self.error(key, "true or false")))
            .transpose()
            .map(Option::unwrap_or_default)
    }

    /// An optional integer.
    pub fn integer(&self, key: &str) -> Result<Option<i64>, String> {
        self.get(key)
            .map(|v| v.as_i64().ok_or_else(|| self.error(key, "an integer")))
            .transpose()
    }

    /// An optional whole number ≥ 0.
    pub fn opt_count(&self, key: &str) -> Result<Option<u64>, String> {
        self.get(key)
            .map(|v| v.as_u64().ok_or_else(|| self.error(key, "a whole number")))
            .transpose()
    }

    /// A required whole number ≥ 0.
    pub fn count(&self, key: &str) -> Result<u64, String> {
        self.opt_count(key)?.ok_or_else(|| self.missing(key))
    }

    /// A required number.
    pub fn number(&self, key: &str) -> Result<f64, String> {
        self.get(key)
            .ok_or_else(|| self.missing(key))?
            .as_f64()
            .ok_or_else(|| self.error(key, "a number"))
    }

    /// A required value read by `read` (given the value and its path).
    pub fn with<T>(
        &self,
        key: &str,
        read: impl Fn(&'a Value, String) -> Result<T, String>,
    ) -> Result<T, String> {
        let value = self.map.get(key).ok_or_else(|| self.missing(key))?;
        read(value, self.path(key))
    }

    /// A list of values read by `item`; empty when absent, `null` is refused.
    pub fn list<T>(
        &self,
        key: &str,
        item: impl Fn(&'a Value, String) -> Result<T, String>,
    ) -> Result<Vec<T>, String> {
        match self.map.get(key) {
            None => Ok(Vec::new()),
            Some(value) if value.is_array() => items(value, self.path(key), item),
            Some(_) => Err(self.error(key, "a list")),
        }
    }

    /// An optional name out of `all` (as `name` spells them).
    pub fn named<T: Copy>(
        &self,
        key: &str,
        all: &[T],
        name: fn(T) -> &'static str,
    ) -> Result<Option<T>, String> {
        let Some(text) = self.opt_string(key)? else {
            return Ok(None);
        };
        all.iter()
            .copied()
            .find(|v| name(*v) == text)
            .map(Some)
            .ok_or_else(|| format!("{}: unknown {key} `{text}`", self.what))
    }

    /// A required name out of `all`.
    pub fn required<T: Copy>(
        &self,
        key: &str,
        all: &[T],
        name: fn(T) -> &'static str,
    ) -> Result<T, String> {
        self.named(key, all, name)?.ok_or_else(|| self.missing(key))
    }
}

/// The list `value` (at `what`), each item read by `item` with its path (`what[3]`).
pub(crate) fn items<'a, T>(
    value: &'a Value,
    what: String,
    item: impl Fn(&'a Value, String) -> Result<T, String>,
) -> Result<Vec<T>, String> {
    let list = value
        .as_array()
        .ok_or_else(|| format!("{what}: expected a list"))?;
    list.iter()
        .enumerate()
        .map(|(i, v)| item(v, format!("{what}[{i}]")))
        .collect()
}
