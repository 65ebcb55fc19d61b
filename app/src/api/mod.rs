//! Server functions: thin entry points the pages call (and that curl can call as JSON endpoints
//! under `/api`). They check the caller, call a service, and map errors.

pub mod auth;
pub mod builds;
pub mod clusters;
pub mod deploy;
pub mod import;
mod opened;
pub mod registries;
pub mod render;
#[cfg(feature = "ssr")]
pub mod services;
pub mod sso;
pub mod status;
pub mod text_json;
pub mod version_manifests;
pub mod versions;
pub mod workflows;

pub use text_json::TextJson;
