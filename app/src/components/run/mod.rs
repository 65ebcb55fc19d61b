//! Deploying from the editor: the Run button (with the design-vs-live preview), the run panel,
//! and the live status of nodes (an SSE subscription exposed as signals keyed by node id).
//!
//! Mounting (inside the editor page, once per workflow):
//! ```ignore
//! let live = provide_live_status(workflow.id.clone());   // subscribes after hydration
//! view! {
//!     <RunButton workflow_id=workflow.id.clone() design=graph_signal cluster_id=cluster_signal/>
//!     <RunPanel/>
//!     // in each node card:  <NodeStatusBadge node_id=node.id.clone()/>
//!     // or read live.nodes / live.node(&id) for colour (state_class), counts, message
//! }
//! ```

pub mod badge;
pub mod button;
pub mod delete;
pub mod live;
pub mod panel;
pub mod plan_view;

pub use badge::{state_class, state_label, NodeStatusBadge};
pub use button::RunButton;
pub use delete::DeleteWorkflowDialog;
pub use live::{provide_live_status, use_live_status, LiveStatus};
pub use panel::RunPanel;
