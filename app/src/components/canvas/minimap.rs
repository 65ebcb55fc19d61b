//! The minimap: every node as a dot-sized box and the visible area as a frame; click or drag in
//! it to move the view there.

use leptos::{ev, prelude::*, svg};

use super::store::EditorStore;
use crate::domain::geometry::{self, bounds, Rect};
use crate::model::{Position, Viewport};

/// Minimap width in pixels.
const WIDTH: f64 = 200.0;
/// Minimap height in pixels.
const HEIGHT: f64 = 130.0;

/// The minimap of `store`'s canvas.
#[component]
pub fn Minimap(store: EditorStore) -> impl IntoView {
    let svg = NodeRef::<svg::Svg>::new();
    let dragging = StoredValue::new(false);

    let world = Memo::new(move |_| {
        store.layout_epoch.track();
        let (w, h) = store.size.get();
        let view = geometry::visible(store.viewport.get(), w, h);
        let content = store
            .nodes
            .with(|n| bounds(n.iter().map(|s| s.position.get_untracked())));
        content.map_or(view, |c| c.union(&view)).inflate(40.0)
    });
    let view_box = move || {
        let r = world.get();
        format!("{} {} {} {}", r.x, r.y, r.w.max(1.0), r.h.max(1.0))
    };
    let frame = move || {
        let (w, h) = store.size.get();
        geometry::visible(store.viewport.get(), w, h)
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
        let zoom = store.viewport.get_untracked().zoom;
        store.viewport.set(Viewport {
            x: w / 2.0 - target.x * zoom,
            y: h / 2.0 - target.y * zoom,
            zoom,
        });
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
                    let r = move || Rect::node(node.position.get());
                    view! {
                        <rect
                            class="minimap-node"
                            class:selected=selected
                            x=move || r().x
                            y=move || r().y
                            width=move || r().w
                            height=move || r().h
                        ></rect>
                    }
                }
            </For>
            <rect
                class="minimap-frame"
                x=move || frame().x
                y=move || frame().y
                width=move || frame().w
                height=move || frame().h
            ></rect>
        </svg>
    }
}
