//! Service labels: the `kompose.*` ones steer the conversion (as Kompose reads them); the others
//! become annotations of the workload.

use std::collections::BTreeMap;

use compose_spec::{ListOrMap, Service};

use super::Context;
use crate::domain::formats;
use crate::domain::wiring::RESERVED_PREFIXES;
use crate::model::metadata::Format;

/// `kompose.*` labels this import understands.
pub const KNOWN: &[&str] = &[
    "kompose.controller.type",
    "kompose.service.type",
    "kompose.service.expose",
    "kompose.service.expose.tls-secret",
    "kompose.service.expose.ingress-class-name",
    "kompose.service.nodeport.port",
    "kompose.volume.size",
    "kompose.volume.storage-class-name",
    "kompose.image-pull-policy",
    "kompose.image-pull-secret",
    "kompose.serviceaccount-name",
];

/// A list-or-map of strings as a map (`KEY=value` items; a bare `KEY` is empty).
pub fn to_map(list: &ListOrMap) -> BTreeMap<String, String> {
    match list {
        ListOrMap::List(items) => items
            .iter()
            .map(|item| match item.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (item.clone(), String::new()),
            })
            .collect(),
        ListOrMap::Map(map) => map
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    v.as_ref().map(|v| v.to_string()).unwrap_or_default(),
                )
            })
            .collect(),
    }
}

/// The service's `kompose.*` labels (unknown ones warned about) and its other labels as
/// annotations (invalid keys warned about).
pub fn split(
    ctx: &mut Context,
    name: &str,
    service: &Service,
) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let mut kompose = BTreeMap::new();
    let mut annotations = BTreeMap::new();
    let mut all = to_map(&service.labels);
    all.extend(to_map(&service.annotations));
    for (key, value) in all {
        if key.starts_with("kompose.") {
            if !KNOWN.contains(&key.as_str()) {
                ctx.draft.warn(
                    Some(name),
                    Some(&format!("labels.{key}")),
                    format!("the Kompose label {key} is not supported: it was dropped"),
                );
            }
            kompose.insert(key, value);
        } else if formats::check(Format::LabelKey, &key).is_ok()
            && !RESERVED_PREFIXES.iter().any(|p| key.starts_with(p))
        {
            annotations.insert(key, value);
        } else {
            ctx.draft.warn(
                Some(name),
                Some(&format!("labels.{key}")),
                "the label name is not a valid Kubernetes annotation key (or is reserved): it was dropped",
            );
        }
    }
    (kompose, annotations)
}
