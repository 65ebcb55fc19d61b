//! Docker Compose → workflow graph (spec §7). Each service becomes a workload (Deployment,
//! StatefulSet with a headless Service, DaemonSet or Job), a Service with every port (and an
//! Ingress when exposed), a ConfigMap and a Secret (names only) for its environment, PVCs for
//! named volumes, ConfigMaps for file binds and configs, Secrets for secrets; `depends_on`
//! becomes dependency edges. Everything dropped or approximated is a warning naming the key.

mod env;
mod keys;
mod kompose;
mod parse;
mod ports;
mod storage;
mod units;
mod workload;

use std::collections::{BTreeMap, BTreeSet};

use compose_spec::{Compose, Service};

use super::draft::Draft;
use super::error::ImportError;
use super::interpolate::{parse_dotenv, Vars};
use super::names::{sanitize, MAX_NAME};
use crate::model::import::{Analysis, ImportFormat};

pub use storage::relative as relative_path;

/// What to convert and with what.
#[derive(Clone, Debug, Default)]
pub struct ComposeInput {
    /// The Compose file.
    pub text: String,
    /// The `.env` file next to it (may be empty).
    pub dotenv: String,
    /// Other files by path relative to the Compose file (`config/nginx.conf`), when known
    /// (Git import): read for `env_file`, file binds, configs and secrets' key names.
    pub files: BTreeMap<String, String>,
    /// Profiles to enable (services without profiles are always imported).
    pub profiles: Vec<String>,
    /// Namespace of every object.
    pub namespace: String,
}

/// Converts a Compose file.
pub fn convert(input: &ComposeInput) -> Result<Analysis, ImportError> {
    let namespace = if input.namespace.is_empty() {
        "default"
    } else {
        input.namespace.as_str()
    };
    let mut draft = Draft::new(namespace);
    let (pairs, bad) = parse_dotenv(&input.dotenv);
    for line in bad {
        draft.warn(
            None,
            Some(".env"),
            format!("line {line} of .env is not NAME=value: it was ignored"),
        );
    }
    let vars: Vars = pairs.into_iter().collect();
    let compose = parse::parse(&input.text, &vars, &mut draft)?;
    let (services, profiles) = select(&compose, &input.profiles, &mut draft);
    if services.is_empty() {
        return Err(ImportError::Empty(format!(
            "every service is in a profile: pick at least one of {}",
            profiles.join(", ")
        )));
    }
    let mut ctx = Context {
        draft,
        compose: &compose,
        input,
        vars,
        names: services
            .iter()
            .map(|(name, _)| (name.to_string(), sanitize(name, MAX_NAME)))
            .collect(),
        workloads: BTreeMap::new(),
        shared: BTreeMap::new(),
    };
    for (name, service) in &services {
        workload::convert(&mut ctx, name, service);
    }
    for (name, service) in &services {
        dependencies(&mut ctx, name, service);
    }
    let mut analysis = ctx.draft.finish(ImportFormat::Compose);
    analysis.profiles = profiles;
    analysis.services = services.iter().map(|(n, _)| n.to_string()).collect();
    Ok(analysis)
}

/// Conversion state shared by the per-service steps.
pub(crate) struct Context<'a> {
    pub draft: Draft,
    pub compose: &'a Compose,
    pub input: &'a ComposeInput,
    pub vars: Vars,
    /// Sanitised base name per Compose service.
    pub names: BTreeMap<String, String>,
    /// Workload node id per Compose service.
    pub workloads: BTreeMap<String, String>,
    /// Node ids of objects shared between services (volumes, secrets, configs) by
    /// `<kind>:<compose name>`.
    pub shared: BTreeMap<String, String>,
}

/// The services enabled by `wanted` profiles, in file order, and every profile in the file.
fn select<'c>(
    compose: &'c Compose,
    wanted: &[String],
    draft: &mut Draft,
) -> (Vec<(&'c str, &'c Service)>, Vec<String>) {
    let mut all = BTreeSet::new();
    let mut services = Vec::new();
    for (name, service) in &compose.services {
        all.extend(service.profiles.iter().map(|p| p.to_string()));
        let on = service.profiles.is_empty()
            || service
                .profiles
                .iter()
                .any(|p| wanted.iter().any(|w| w == p.as_str()));
        if on {
            services.push((name.as_str(), service));
        }
    }
    for profile in wanted {
        if !all.contains(profile) {
            draft.warn(
                None,
                Some("profiles"),
                format!("no service is in the profile `{profile}`"),
            );
        }
    }
    (services, all.into_iter().collect())
}

/// `depends_on` → dependency edges (dependency → dependent).
fn dependencies(ctx: &mut Context, name: &str, service: &Service) {
    let Some(dependent) = ctx.workloads.get(name).cloned() else {
        return;
    };
    let needed: Vec<String> = match &service.depends_on {
        compose_spec::ShortOrLong::Short(set) => set.iter().map(|s| s.to_string()).collect(),
        compose_spec::ShortOrLong::Long(map) => map.keys().map(|s| s.to_string()).collect(),
    };
    for other in needed {
        match ctx.workloads.get(&other).cloned() {
            Some(dependency) => {
                ctx.draft.link(&dependency, &dependent);
            }
            None => ctx.draft.warn(
                Some(name),
                Some("depends_on"),
                format!("it depends on `{other}`, which is not imported (not defined, or in a profile that was not picked)"),
            ),
        }
    }
}

#[cfg(test)]
mod tests;
