//! Version history in the editor: the versions panel (list, pick two to compare, restore) and the
//! compare view (two read-only canvases side by side with the changes highlighted).

pub mod compare;
mod panel;
mod restore;
mod row;
mod selection;

pub use panel::{versions_panel_view, VersionsPanel, VersionsPanelProps, PAGE};
pub use restore::RestoreDialog;
pub use selection::compare_href;

use crate::model::VersionKind;

/// The label of a version's kind.
pub fn kind_label(kind: VersionKind) -> &'static str {
    match kind {
        VersionKind::Save => "Save",
        VersionKind::Deploy => "Deploy",
        VersionKind::Restore => "Restore",
    }
}
