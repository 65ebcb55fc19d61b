//! `environment` and `env_file` → a ConfigMap (`<service>-env`) and, for sensitive names, a
//! Secret (`<service>-secrets`) that keeps only the key names; both reach the container with
//! `envFrom`.

use std::collections::{BTreeMap, BTreeSet};

use compose_spec::service::EnvFile;
use compose_spec::{ListOrMap, Service, ShortOrLong};
use serde_json::json;

use super::super::interpolate::{interpolate, parse_dotenv};
use super::super::names::with_suffix;
use super::storage::relative;
use super::Context;
use crate::domain::formats;
use crate::model::metadata::Format;
use crate::model::NodeKind;

const SENSITIVE: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "CREDENTIAL",
    "PRIVATE",
    "APIKEY",
    "API_KEY",
    "ACCESS_KEY",
    "AUTH",
    "SALT",
    "DSN",
    "CONNECTION_STRING",
];

/// True for variables whose value should not be stored: sensitive names (`DB_PASSWORD`,
/// `*_KEY`, …; `*_FILE` names a path and is not secret) and URLs with credentials.
pub fn sensitive(name: &str, value: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if upper.ends_with("_FILE") {
        return false;
    }
    let credentials_in_url = value
        .split_once("://")
        .and_then(|(_, rest)| rest.split('/').next())
        .is_some_and(|authority| authority.contains('@') && authority.contains(':'));
    SENSITIVE.iter().any(|s| upper.contains(s))
        || upper == "KEY"
        || upper.ends_with("_KEY")
        || credentials_in_url
}

/// Adds the service's environment objects and connects them to `workload`.
pub fn environment(ctx: &mut Context, name: &str, service: &Service, workload: &str) {
    let mut vars: BTreeMap<String, String> = BTreeMap::new();
    if let Some(files) = &service.env_file {
        for (path, required) in env_files(files) {
            read_env_file(ctx, name, &path, required, &mut vars);
        }
    }
    let unset: Vec<String> = match &service.environment {
        ListOrMap::List(items) => items
            .iter()
            .filter_map(|item| match item.split_once('=') {
                Some((k, v)) => {
                    vars.insert(k.to_string(), v.to_string());
                    None
                }
                None => Some(item.clone()),
            })
            .collect(),
        ListOrMap::Map(map) => map
            .iter()
            .filter_map(|(k, v)| match v {
                Some(v) => {
                    vars.insert(k.to_string(), v.to_string());
                    None
                }
                None => Some(k.to_string()),
            })
            .collect(),
    };
    for key in unset {
        match ctx.vars.get(&key) {
            Some(value) => {
                vars.insert(key, value.clone());
            }
            None => ctx.draft.warn(
                Some(name),
                Some(&format!("environment.{key}")),
                "takes its value from the shell, which an import does not have: it was set empty (add it to the .env)",
            ),
        }
    }
    let mut config = BTreeMap::new();
    let mut secret = BTreeSet::new();
    for (key, value) in vars {
        if formats::check(Format::EnvName, &key).is_err() {
            ctx.draft.warn(
                Some(name),
                Some(&format!("environment.{key}")),
                "not a valid environment variable name for Kubernetes: it was dropped",
            );
        } else if sensitive(&key, &value) {
            secret.insert(key);
        } else {
            config.insert(key, value);
        }
    }
    let base = ctx.draft.name_of(workload);
    if !config.is_empty() {
        let data = json!({ "data": config, "mountPath": "" });
        let id = ctx
            .draft
            .add(NodeKind::ConfigMap, &with_suffix(&base, "-env"), data);
        ctx.draft.link(&id, workload);
    }
    if !secret.is_empty() {
        let keys: Vec<String> = secret.into_iter().collect();
        ctx.draft.warn(
            Some(name),
            Some("environment"),
            format!(
                "{} look sensitive: they went into a Secret whose values are not stored; enter them when deploying",
                keys.join(", ")
            ),
        );
        let data = json!({ "keys": keys, "secretType": "Opaque", "mountPath": "" });
        let id = ctx
            .draft
            .add(NodeKind::Secret, &with_suffix(&base, "-secrets"), data);
        ctx.draft.link(&id, workload);
    }
}

fn env_files(files: &EnvFile) -> Vec<(String, bool)> {
    match files {
        EnvFile::Single(path) => vec![(path.to_string_lossy().into_owned(), true)],
        EnvFile::List(list) => list
            .iter()
            .map(|item| match item {
                ShortOrLong::Short(path) => (path.to_string_lossy().into_owned(), true),
                ShortOrLong::Long(config) => {
                    (config.path.to_string_lossy().into_owned(), config.required)
                }
            })
            .collect(),
    }
}

fn read_env_file(
    ctx: &mut Context,
    name: &str,
    path: &str,
    required: bool,
    vars: &mut BTreeMap<String, String>,
) {
    let key = format!("env_file.{path}");
    let content = relative(path).and_then(|p| ctx.input.files.get(&p).cloned());
    let Some(content) = content else {
        if required {
            ctx.draft.warn(
                Some(name),
                Some(&key),
                format!("the file {path} was not provided, so its variables are missing: import from the Git repository or add them under `environment`"),
            );
        }
        return;
    };
    let (pairs, bad) = parse_dotenv(&content);
    for line in bad {
        ctx.draft.warn(
            Some(name),
            Some(&key),
            format!("line {line} is not NAME=value: it was ignored"),
        );
    }
    let mut missing = BTreeSet::new();
    for (k, v) in pairs {
        let value = interpolate(&v, &ctx.vars, &mut missing).unwrap_or(v);
        vars.insert(k, value);
    }
}

#[cfg(test)]
mod tests {
    use super::sensitive;

    #[test]
    fn sensitive_names_and_urls() {
        for name in [
            "POSTGRES_PASSWORD",
            "SECRET_KEY_BASE",
            "api_key",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "JWT_KEY",
        ] {
            assert!(sensitive(name, "x"), "{name}");
        }
        for name in [
            "POSTGRES_USER",
            "POSTGRES_PASSWORD_FILE",
            "LOG_LEVEL",
            "KEYCLOAK_URL",
            "MONKEY",
        ] {
            assert!(!sensitive(name, "x"), "{name}");
        }
        assert!(sensitive(
            "DATABASE_URL",
            "postgres://app:hunter2@db:5432/app"
        ));
        assert!(!sensitive("DATABASE_URL", "postgres://db:5432/app"));
    }
}
