//! The minimap: every node as a dot-sized box and the visible area as a frame; click or drag in
//! it to move the view there.

use crate::components::computed::Computed;
use crate::components::var::Stored;
use leptos::{ev, prelude::*, svg};

use super::store::EditorStore;
use crate::domain::geometry::{self, bounds, NODE_HEIGHT, NODE_WIDTH};
use crate::model::Position;

/// Minimap width in pixels.
const WIDTH: f64 = 200.0;
/// Minimap height in pixels.
const HEIGHT: f64 = 130.0;

/// The minimap of `store`'s canvas.
#[component]
pub fn Minimap(store: EditorStore) -> impl IntoView {
    let svg = NodeRef::<svg::Svg>::new();
    let dragging = Stored::new(false);

    let frame = Computed::new(move |_| {
        let (w, h) = store.size.get();
        geometry::visible(store.viewport.get(), w, h)
    });
    let world = Computed::new(move |_| {
        store.layout_epoch.track();
        let view = frame.get();
        let content = store
            .nodes
            .with(|n| bounds(n.iter().map(|s| s.position.get_untracked())));
        content.map_or(view, |c| c.union(&view)).inflate(40.0)
    });
    let view_box = move || {
        let r = world.get();
        format!("{} {} {} {}", r.x, r.y, r.w.max(1.0), r.h.max(1.0))
    };

    let center_on = move |ev: &ev::PointerEvent| {
        let Some(el) = svg.get_untracked() else {
            return;
        };
        let r = el.get_bounding_client_rect();
        let world = world.get_untracked();
        let scale = (world.w / r.width()).max(world.h / r.height());
        let offset_x = (r.width() * scale - world.w) / 2.0;
        let offset_y = (r.height() * scale - world.h) / 2.0;
        let target = Position {
            x: world.x - offset_x + (ev.client_x() as f64 - r.left()) * scale,
            y: world.y - offset_y + (ev.client_y() as f64 - r.top()) * scale,
        };
        let (w, h) = store.size.get_untracked();
        store
            .viewport
            .update(|vp| *vp = geometry::centre_on(*vp, target, w, h));
    };

    view! {
        <svg
            class="minimap"
            node_ref=svg
            width=WIDTH
            height=HEIGHT
            viewBox=view_box
            preserveAspectRatio="xMidYMid meet"
            role="img"
            aria-label="Minimap"
            on:pointerdown=move |ev| {
                ev.stop_propagation();
                dragging.set_value(true);
                center_on(&ev);
            }
            on:pointermove=move |ev| {
                if dragging.get_value() {
                    center_on(&ev);
                }
            }
            on:pointerup=move |_| dragging.set_value(false)
            on:pointerleave=move |_| dragging.set_value(false)
        >
            <For each=move || store.nodes.get() key=|n| n.id.clone() let:node>
                {
                    let selected = {
                        let id = node.id.clone();
                        move || store.selection.with(|s| s.contains(&id))
                    };
                    let position = node.position;
                    view! {
                        <rect
                            class="minimap-node"
                            class:selected=selected
                            x=move || position.get().x
                            y=move || position.get().y
                            width=NODE_WIDTH
                            height=NODE_HEIGHT
                        ></rect>
                    }
                }
            </For>
            <rect
                class="minimap-frame"
                x=move || frame.get().x
                y=move || frame.get().y
                width=move || frame.get().w
                height=move || frame.get().h
            ></rect>
        </svg>
    }
}
