//! A read-only canvas for one side of a comparison: nodes and connections highlighted by what
//! changed, pan by dragging and zoom with the wheel on a viewport shared with the other side, and
//! a click selects a node on both.

use crate::components::dynamic::listener;
use std::collections::HashMap;
use std::sync::Arc;

use crate::components::var::{Stored, Var};
use leptos::{ev, prelude::*};

use super::marks::{edge_class, node_classes, Side};
use crate::components::canvas::edge::{curve, in_handle, out_handle};
use crate::domain::diff::GraphDiff;
use crate::domain::geometry;
use crate::model::{Graph, Position, Viewport};

/// Pan and zoom shared by both canvases, and the size they are drawn at.
#[derive(Clone, Copy)]
pub struct SharedView {
    /// The viewport of both canvases.
    pub viewport: Var<Viewport>,
    /// The canvas size in pixels (both have the same).
    pub size: Var<(f64, f64)>,
    /// The selected node, if any.
    pub selected: Var<Option<String>>,
}

/// A node's display name: its `name` setting, else its id.
pub use crate::domain::editing::label_or_id as display_name;

/// Measures until the canvas has been laid out (it may be built before it is in the page), at
/// most `frames` animation frames.
#[cfg(feature = "hydrate")]
fn measure_when_laid_out(measure: impl Fn() -> bool + Copy + 'static, frames: u32) {
    if !measure() && frames > 0 {
        request_animation_frame(move || measure_when_laid_out(measure, frames - 1));
    }
}

/// The top-left corner of the canvas on the screen.
#[cfg(feature = "hydrate")]
fn origin(container: NodeRef<leptos::html::Div>) -> (f64, f64) {
    container
        .get_untracked()
        .map(|el| el.get_bounding_client_rect())
        .map(|r| (r.left(), r.top()))
        .unwrap_or_default()
}

/// Pointer events only happen in the browser.
#[cfg(not(feature = "hydrate"))]
fn origin(_: NodeRef<leptos::html::Div>) -> (f64, f64) {
    (0.0, 0.0)
}

/// One side of the comparison.
#[component]
pub fn DiffCanvas(
    /// The design shown.
    graph: Arc<Graph>,
    /// The comparison.
    diff: Arc<GraphDiff>,
    /// Older or newer side.
    side: Side,
    /// Shared pan, zoom and selection.
    view: SharedView,
    /// Accessible name, e.g. "Version 3".
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let container = NodeRef::<leptos::html::Div>::new();
    let drag = Stored::new(None::<(Position, Viewport)>);
    let SharedView {
        viewport,
        size,
        selected,
    } = view;

    #[cfg(feature = "hydrate")]
    {
        let measure = move || {
            let Some(el) = container.get_untracked() else {
                return false;
            };
            let measured = (el.client_width() as f64, el.client_height() as f64);
            if measured.0 > 0.0 && measured != size.get_untracked() {
                size.set(measured);
            }
            measured.0 > 0.0
        };
        Effect::new(move |_| {
            if container.get().is_some() {
                measure_when_laid_out(measure, 120);
            }
        });
        let resize = window_event_listener(ev::resize, move |_| {
            measure();
        });
        on_cleanup(move || resize.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = size;

    let local = move |ev: &ev::MouseEvent| -> Position {
        let origin = origin(container);
        Position {
            x: ev.client_x() as f64 - origin.0,
            y: ev.client_y() as f64 - origin.1,
        }
    };
    let on_down = move |ev: ev::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        if let Some(el) = container.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
        drag.set_value(Some((local(&ev), viewport.get_untracked())));
    };
    let on_move = move |ev: ev::PointerEvent| {
        if let Some((origin, start)) = drag.get_value() {
            viewport.set(geometry::pan(start, origin, local(&ev)));
        }
    };
    let on_up = move |_: ev::PointerEvent| drag.set_value(None);
    let on_wheel = move |ev: ev::WheelEvent| {
        ev.prevent_default();
        let factor = geometry::wheel_factor(ev.delta_y(), ev.delta_mode());
        let anchor = local(&ev);
        viewport.update(|vp| *vp = geometry::zoom_at(*vp, factor, anchor));
    };

    let positions: HashMap<String, Position> = graph
        .nodes
        .iter()
        .map(|n| (n.id.clone(), n.position))
        .collect();
    let edges = graph
        .edges
        .iter()
        .filter_map(|edge| {
            let (from, to) = (positions.get(&edge.source)?, positions.get(&edge.target)?);
            let class = edge_class(&diff, edge, side);
            let d = curve(out_handle(*from), in_handle(*to));
            Some(view! { <path class=class d=d data-edge-id=edge.id.clone()></path> })
        })
        .collect_view();
    let nodes = graph
        .nodes
        .iter()
        .map(|node| {
            let classes = format!("diff-node {}", node_classes(diff.mark_of(&node.id), side));
            let id = node.id.clone();
            let is_selected = {
                let id = id.clone();
                move || selected.with(|s| s.as_deref() == Some(id.as_str()))
            };
            let style = geometry::translate(node.position);
            view! {
                <button
                    type="button"
                    class=classes
                    class:selected=is_selected
                    data-node-id=id.clone()
                    style=style
                    on:pointerdown=|ev| ev.stop_propagation()
                    on:click=listener(move |_| selected.set(Some(id.clone())))
                >
                    <span class="diff-node-name">{display_name(node)}</span>
                    <span class="diff-node-kind">{node.kind.as_str()}</span>
                </button>
            }
        })
        .collect_view();
    let world = move || geometry::world_transform(viewport.get());
    let side_name = match side {
        Side::From => "from",
        Side::To => "to",
    };
    let empty = graph.nodes.is_empty();

    view! {
        <div
            class="diff-canvas"
            data-side=side_name
            node_ref=container
            role="group"
            aria-label=label
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointercancel=on_up
            on:wheel=on_wheel
        >
            <div class="canvas-world" style=world>
                <svg class="edges" aria-hidden="true">{edges}</svg>
                {nodes}
            </div>
            {empty.then(|| view! { <p class="diff-empty muted">"No resources in this version."</p> })}
        </div>
    }
}
