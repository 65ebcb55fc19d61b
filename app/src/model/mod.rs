//! The shared model: what a workflow is, serialised the same way by the server, the store and the
//! browser. No IO, no Leptos.

pub mod data;
pub mod graph;
pub mod kind;
pub mod metadata;
pub mod sso;
pub mod user;
pub mod workflow;

pub use data::NodeSettings;
pub use graph::{Edge, Graph, Node, NodeData, Position, Viewport};
pub use kind::NodeKind;
pub use sso::{LinkedIdentity, LoginMethods, ProviderInfo, SsoProblem};
pub use user::{Role, UserProfile};
pub use workflow::{Version, VersionInfo, VersionKind, Workflow, WorkflowStatus, WorkflowSummary};
