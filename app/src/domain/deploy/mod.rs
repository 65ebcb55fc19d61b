//! Pure parts of a deploy (spec §5): the order objects are applied in, which live objects are
//! pruned, and what an apply would change on a live object.

pub mod levels;
pub mod live_diff;
pub mod prune;

pub use levels::{apply_levels, LevelError};
pub use live_diff::{object_changes, ObjectPlan, PlanAction};
pub use prune::{prune_set, same_object};

pub use crate::domain::wiring::{
    MANAGED_BY as MANAGER, MANAGED_BY_LABEL, NODE_LABEL, WORKFLOW_LABEL,
};
/// The label on namespaces a deploy created, with the creating workflow's id.
pub const CREATED_BY_LABEL: &str = "kubeorch.io/created-by-workflow";
