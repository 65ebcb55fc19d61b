//! The minimap: every node as a dot-sized box and the visible area as a frame; click or drag in
//! it to move the view there.

use crate::components::computed::Computed;
use crate::components::dynamic::{dynamic, listener};
use crate::components::var::Stored;
use leptos::{ev, prelude::*, svg};

use super::store::EditorStore;
use crate::domain::geometry::{self, bounds, NODE_HEIGHT, NODE_WIDTH};
use crate::domain::number::decimal;
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
    let view_box = dynamic(move || {
        let r = world.get();
        format!(
            "{} {} {} {}",
            decimal(r.x, 1),
            decimal(r.y, 1),
            decimal(r.w.max(1.0), 1),
            decimal(r.h.max(1.0), 1)
        )
    });

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
            width=decimal(WIDTH, 0)
            height=decimal(HEIGHT, 0)
            viewBox=view_box
            preserveAspectRatio="xMidYMid meet"
            role="img"
            aria-label="Minimap"
            on:pointerdown=listener(move |ev: ev::PointerEvent| {
                ev.stop_propagation();
                dragging.set_value(true);
                center_on(&ev);
            })
            on:pointermove=listener(move |ev: ev::PointerEvent| {
                if dragging.get_value() {
                    center_on(&ev);
                }
            })
            on:pointerup=listener(move |_| dragging.set_value(false))
            on:pointerleave=listener(move |_| dragging.set_value(false))
        >
            <For each=move || store.nodes.get() key=|n| n.id.clone() let:node>
                {
                    let selected = {
                        let id = node.id.clone();
                        dynamic(move || store.selection.with(|s| s.contains(&id)))
                    };
                    let position = node.position;
                    view! {
                        <rect
                            class="minimap-node"
                            class:selected=selected
                            x=dynamic(move || decimal(position.get().x, 1))
                            y=dynamic(move || decimal(position.get().y, 1))
                            width=decimal(NODE_WIDTH, 0)
                            height=decimal(NODE_HEIGHT, 0)
                        ></rect>
                    }
                }
            </For>
            <rect
                class="minimap-frame"
                x=dynamic(move || decimal(frame.get().x, 1))
                y=dynamic(move || decimal(frame.get().y, 1))
                width=dynamic(move || decimal(frame.get().w, 1))
                height=dynamic(move || decimal(frame.get().h, 1))
            ></rect>
        </svg>
    }
}
