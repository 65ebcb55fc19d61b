//! Import (spec §7): Docker Compose files and plain Kubernetes YAML → a graph of nodes and
//! edges with positions and warnings, ready to preview and apply. Pure (no IO): files a Compose
//! file refers to are passed in. The converters are server-only (`import` feature); the browser
//! sees [`crate::model::import::Analysis`] and uses [`merge`] to add one to the open design.

#[cfg(feature = "import")]
pub mod compose;
#[cfg(feature = "import")]
pub mod draft;
#[cfg(feature = "import")]
pub mod error;
#[cfg(feature = "import")]
pub mod interpolate;
#[cfg(feature = "import")]
pub mod kube;
pub mod merge;
pub mod names;

#[cfg(feature = "import")]
pub use compose::{convert as convert_compose, ComposeInput};
#[cfg(feature = "import")]
pub use error::ImportError;
#[cfg(feature = "import")]
pub use kube::convert as convert_kubernetes;

#[cfg(feature = "import")]
use crate::model::import::ImportFormat;

/// Whether `text` is a Compose file (a top-level `services:` mapping) or Kubernetes YAML
/// (`apiVersion` and `kind`). Unreadable text counts as Compose, whose errors explain more.
#[cfg(feature = "import")]
pub fn detect(text: &str) -> ImportFormat {
    use serde::Deserialize;
    let first = yaml_serde::Deserializer::from_str(text)
        .next()
        .and_then(|doc| serde_json::Value::deserialize(doc).ok());
    match first {
        Some(serde_json::Value::Object(map))
            if !map.contains_key("services") && map.contains_key("kind") =>
        {
            ImportFormat::Kubernetes
        }
        _ => ImportFormat::Compose,
    }
}
