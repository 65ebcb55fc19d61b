//! Deploys (spec §5): [`service::Deployer`] takes a Run (save, `deploy` version, background
//! [`engine::Job`]), the design-vs-live preview, run history, and deleting a workflow's objects.
//! Pure parts (levels, prune set, live diff, status) are in `app::domain`.

pub mod applied;
pub mod engine;
pub mod plan;
pub mod preview;
pub mod prune;
pub mod render;
mod saver;
pub mod service;
mod steps;

pub use service::Deployer;
