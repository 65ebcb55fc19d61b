//! Container builds from Git (spec §8): registries with encrypted credentials, and builds that
//! clone a repository, plan and build an image with a daemonless builder and push it — in the
//! background, cancellable, with a time cap, logs streamed over SSE and stored.
//!
//! - [`registry`]: URL checks, sealed passwords, the `/v2/` test; [`registries`]: the service.
//! - [`git`]: safe shallow clones; [`plan`]: build file or stack detection, Containerfile checks.
//! - [`builder`]: the [`builder::ImageBuilder`] trait and its `buildah` implementation.
//! - [`process`]: tools in their own process group, killed on cancel.
//! - [`runner`]: one build's stages; [`feed`]: its numbered events; [`service`]: the use cases;
//!   [`route`]: the SSE endpoint.

pub mod builder;
pub mod check;
pub mod feed;
pub mod git;
pub mod plan;
pub mod process;
pub mod registries;
pub mod registry;
pub mod route;
pub mod runner;
pub mod service;

pub use registries::Registries;
pub use service::Builds;
