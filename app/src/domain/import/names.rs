//! Kubernetes names from Compose names: one sanitising rule, applied once per Compose name and
//! then reused everywhere that name is referenced, so a volume, its PVC and its mounts agree.

use std::collections::{BTreeMap, BTreeSet};

/// Longest object name used (a DNS-1123 label, also valid for Services).
pub const MAX_NAME: usize = 63;

/// A DNS-1035 label from any text: lower case, `_` `.` and spaces become `-`, other characters
/// are dropped, it starts with a letter (`x-` is put in front otherwise), ends with a letter or
/// digit and has at most `max` characters. Empty input gives `unnamed`.
pub fn sanitize(raw: &str, max: usize) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if matches!(c, '-' | '_' | '.' | ' ' | '/' | ':') && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out = out.trim_matches('-').to_string();
    if out.is_empty() {
        out = "unnamed".into();
    }
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out.insert_str(0, "x-");
    }
    cut(&out, max)
}

/// `name` cut to `max` characters without a trailing `-`.
fn cut(name: &str, max: usize) -> String {
    let cut: String = name.chars().take(max).collect();
    cut.trim_end_matches('-').to_string()
}

/// `base` + `suffix` within [`MAX_NAME`] characters (the base is shortened, never the suffix).
pub fn with_suffix(base: &str, suffix: &str) -> String {
    let room = MAX_NAME.saturating_sub(suffix.len());
    format!("{}{suffix}", cut(base, room))
}

/// Hands out unique names per kind: a taken name gets `-2`, `-3`, … appended.
#[derive(Debug, Default)]
pub struct NameBook {
    taken: BTreeMap<String, BTreeSet<String>>,
}

impl NameBook {
    /// A free name in `scope` (a kind, or a kind and namespace), as close to `wanted` as
    /// possible, and records it.
    pub fn claim(&mut self, scope: &str, wanted: &str) -> String {
        let taken = self.taken.entry(scope.to_string()).or_default();
        let mut name = wanted.to_string();
        let mut n = 2;
        while taken.contains(&name) {
            name = with_suffix(wanted, &format!("-{n}"));
            n += 1;
        }
        taken.insert(name.clone());
        name
    }
}

/// A valid ConfigMap/Secret key from a file name (`[-._a-zA-Z0-9]+`), or `None` when nothing
/// usable remains.
pub fn data_key(raw: &str) -> Option<String> {
    let key: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(253)
        .collect();
    (!key.is_empty() && key != "." && key != "..").then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::formats::is_dns1123_label;

    #[test]
    fn names_become_dns_labels() {
        assert_eq!(sanitize("web_app", MAX_NAME), "web-app");
        assert_eq!(sanitize("My.Service__1", MAX_NAME), "my-service-1");
        assert_eq!(sanitize("2fa", MAX_NAME), "x-2fa");
        assert_eq!(sanitize("___", MAX_NAME), "unnamed");
        assert_eq!(sanitize("Ünïcode", MAX_NAME), "ncode");
        let long = sanitize(&"a-".repeat(80), MAX_NAME);
        assert!(long.len() <= MAX_NAME && is_dns1123_label(&long), "{long}");
    }

    #[test]
    fn clashing_names_get_numbers() {
        let mut book = NameBook::default();
        assert_eq!(book.claim("service", "web"), "web");
        assert_eq!(book.claim("service", "web"), "web-2");
        assert_eq!(book.claim("deployment", "web"), "web");
        let long = "a".repeat(63);
        let second = book.claim("service", &long);
        assert_eq!(second, long);
        let third = book.claim("service", &long);
        assert!(third.len() <= MAX_NAME && third.ends_with("-2"), "{third}");
    }

    #[test]
    fn data_keys() {
        assert_eq!(data_key("nginx.conf").as_deref(), Some("nginx.conf"));
        assert_eq!(data_key("a b").as_deref(), Some("a_b"));
        assert_eq!(data_key(".."), None);
    }
}
