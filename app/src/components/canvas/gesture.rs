//! Pointer gestures on the canvas: pan, drag nodes, draw a connection, box-select.

use crate::domain::id_set::IdSet;

use crate::components::var::Var;

use crate::model::{Graph, Position, Viewport};

/// The gesture in progress between pointer down and pointer up.
#[derive(Clone, Debug, Default)]
pub enum Gesture {
    /// Nothing.
    #[default]
    Idle,
    /// Moving the view: where the pointer went down (screen) and the viewport then.
    Pan {
        /// Screen point of pointer down.
        origin: Position,
        /// Viewport at pointer down.
        start: Viewport,
    },
    /// Moving the selected nodes.
    Drag {
        /// Canvas point of pointer down.
        grab: Position,
        /// Each moved node's position signal and where it started.
        origins: Vec<(Var<Position>, Position)>,
        /// The design before the first move (taken lazily, so a click costs nothing).
        before: Option<Graph>,
    },
    /// Drawing a connection from this node.
    Connect {
        /// The source node.
        source: String,
    },
    /// Box selection from `anchor` (canvas), adding to `base`.
    Select {
        /// Canvas point of pointer down.
        anchor: Position,
        /// Selection kept from before (Shift adds).
        base: IdSet,
    },
}

/// How far (in screen pixels) the pointer must travel before a press becomes a drag.
pub const DRAG_THRESHOLD: f64 = 3.0;

/// Snaps a coordinate to the grid when `snap` is on.
pub fn snap_to(value: f64, grid: f64, snap: bool) -> f64 {
    if snap && grid > 0.0 {
        (value / grid).round() * grid
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapping_rounds_to_the_grid_only_when_on() {
        assert_eq!(snap_to(23.0, 10.0, true), 20.0);
        assert_eq!(snap_to(26.0, 10.0, true), 30.0);
        assert_eq!(snap_to(23.0, 10.0, false), 23.0);
        assert_eq!(snap_to(23.0, 0.0, true), 23.0);
    }
}
