//! Pure parts of a deploy (spec §5): the order objects are applied in, which live objects are
//! pruned, and what an apply would change on a live object.

pub mod levels;
pub mod live_diff;
pub mod prune;

pub use levels::{apply_levels, LevelError};
pub use live_diff::{object_changes, ObjectPlan, PlanAction};
pub use prune::{prune_set, same_object};

/// The label every object carries with its workflow's id.
pub const WORKFLOW_LABEL: &str = "kubeorch.io/workflow";
/// The label every object carries with its node's id.
pub const NODE_LABEL: &str = "kubeorch.io/node";
/// The label marking objects this product manages.
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
/// The value of [`MANAGED_BY_LABEL`] (also the server-side apply field manager).
pub const MANAGER: &str = "kubeorch";
/// The label on namespaces a deploy created, with the creating workflow's id.
pub const CREATED_BY_LABEL: &str = "kubeorch.io/created-by-workflow";
