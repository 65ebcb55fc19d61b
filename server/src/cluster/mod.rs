//! Clusters (spec §1, §12): credentials checked and encrypted at rest, kube clients built from
//! them (or from the user's built-in Sandbox), connection tests, and the cluster service.
//!
//! - [`kubeconfig`]: only inline credentials; `exec`, `auth-provider`, `tokenFile` and any other
//!   file reference are refused.
//! - [`crypto`]: AES-256-GCM with the server's key, bound to the record.
//! - [`client`]: a cached `kube::Client` per cluster; [`scrub`] keeps secrets out of messages.
//! - [`sandboxes`]: the "Sandbox — simulated, nothing runs" cluster every user gets.

pub mod apply;
pub mod client;
pub mod credentials;
pub mod crypto;
pub mod errors;
pub mod kubeconfig;
pub mod probe;
pub mod resources;
pub mod sandboxes;
pub mod scrub;
pub mod service;
pub mod watch;

pub use client::{ClientFactory, ClusterClient};
pub use service::Clusters;
