//! The shared model: what a workflow is, serialised the same way by the server, the store and the
//! browser. No IO, no Leptos.

pub mod build;
pub mod cluster;
pub mod data;
pub mod events;
pub(crate) mod fields;
pub mod graph;
pub mod import;
pub mod kind;
pub mod metadata;
pub mod read;
pub mod run;
pub mod sso;
pub mod status;
pub mod time;
pub mod user;
pub mod workflow;

pub use build::{Build, BuildRequest, BuildState, Registry, RegistryInput};
pub use cluster::{Cluster, ClusterAuth, ClusterConnection, ConnectionState, CredentialsInput};
pub use data::NodeSettings;
pub use graph::{Edge, Graph, Node, NodeData, Position, Viewport};
pub use kind::NodeKind;
pub use run::{NodeResult, PrunedObject, Run, RunState, StepState};
pub use sso::{LinkedIdentity, LoginMethods, ProviderInfo, SsoProblem};
pub use status::{NodeState, NodeStatus, ObjectRef};
pub use user::{Role, UserProfile};
pub use workflow::{Version, VersionInfo, VersionKind, Workflow, WorkflowStatus, WorkflowSummary};
