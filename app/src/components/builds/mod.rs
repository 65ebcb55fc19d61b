//! Image builds in the UI: the start form, the live log with its stage bar, and "use this
//! image" on workflow nodes.

pub mod form;
pub mod live;
pub mod progress;
pub mod use_image;

use crate::model::build::BuildState;

/// The label and status class of a build state.
pub fn state_label(state: BuildState) -> (&'static str, &'static str) {
    match state {
        BuildState::Pending => ("Pending", "status-draft"),
        BuildState::Cloning => ("Cloning", "status-progress"),
        BuildState::Building => ("Building", "status-progress"),
        BuildState::Pushing => ("Pushing", "status-progress"),
        BuildState::Completed => ("Completed", "status-ok"),
        BuildState::Failed => ("Failed", "status-bad"),
        BuildState::Cancelled => ("Cancelled", "status-draft"),
    }
}
