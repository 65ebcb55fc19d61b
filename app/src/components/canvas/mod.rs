//! The interactive canvas: nodes as HTML cards and edges as SVG inside one transformed layer,
//! only what is in view rendered (culling), fine-grained updates while dragging, and pointer,
//! wheel, keyboard and drag-and-drop input.

pub mod edge;
pub mod gesture;
pub mod keys;
pub mod minimap;
pub mod node;
pub mod store;

use crate::components::computed::Computed;
use crate::components::dynamic::{dynamic, listener};
use crate::components::handler::Handler;
use crate::components::var::{Stored, Var};
use leptos::{ev, prelude::*};

use crate::domain::geometry::{self, Rect};
use crate::domain::id_set::IdSet;
use crate::domain::number::decimal;
use crate::model::{NodeKind, Position};
use edge::{curve, out_handle, EdgeView};
use gesture::{snap_to, Gesture, DRAG_THRESHOLD};
use keys::{command, Command, KeyPress};
use minimap::Minimap;
use node::NodeCard;
pub use store::{EditorStore, NodeState};

/// The drag-and-drop data type that carries a node kind from the palette.
pub const KIND_MIME: &str = "application/x-kubeorch-kind";
/// Extra margin (screen pixels) rendered around the view so panning shows no gaps.
const CULL_MARGIN: f64 = 240.0;
/// Grid size of the dotted background and of snapping.
pub const GRID: f64 = 10.0;

/// The canvas. `on_add` adds a node of a kind at a canvas point (drop from the palette).
#[component]
pub fn Canvas(
    store: EditorStore,
    on_add: Handler<(NodeKind, Position)>,
    snap: Var<bool>,
) -> impl IntoView {
    let container = store.element;
    let gesture = Stored::new(Gesture::Idle);
    let connecting = Var::new(None::<String>);
    let pointer = Var::new(None::<Position>);
    let marquee = Var::new(None::<Rect>);
    let space_held = Var::new(false);

    let local = move |ev: &ev::MouseEvent| -> Position {
        container
            .get_untracked()
            .map(|el| {
                let r = el.get_bounding_client_rect();
                Position {
                    x: ev.client_x() as f64 - r.left(),
                    y: ev.client_y() as f64 - r.top(),
                }
            })
            .unwrap_or_default()
    };
    let at =
        move |ev: &ev::MouseEvent| geometry::to_canvas(store.viewport.get_untracked(), local(ev));
    let capture = move |ev: &ev::PointerEvent| {
        if let Some(el) = container.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
            let _ = el.focus();
        }
    };

    #[cfg(feature = "hydrate")]
    {
        let measure = move || {
            if let Some(el) = container.get_untracked() {
                let size = (el.client_width() as f64, el.client_height() as f64);
                if size.0 > 0.0 && size != store.size.get_untracked() {
                    store.size.set(size);
                }
            }
        };
        Effect::new(move |_| {
            if container.get().is_some() {
                measure();
            }
        });
        let resize = window_event_listener(ev::resize, move |_| measure());
        on_cleanup(move || resize.remove());
    }

    let start_drag = move |ev: &ev::PointerEvent| {
        let selected = store.selection.get_untracked();
        let origins = store.nodes.with_untracked(|nodes| {
            nodes
                .iter()
                .filter(|n| selected.contains(&n.id))
                .map(|n| (n.position, n.position.get_untracked()))
                .collect()
        });
        gesture.set_value(Gesture::Drag {
            grab: at(ev),
            origins,
            before: None,
        });
    };

    let start_pan = move |ev: &ev::PointerEvent| {
        gesture.set_value(Gesture::Pan {
            origin: local(ev),
            start: store.viewport.get_untracked(),
        });
    };

    let on_grab = Handler::new(move |(ev, id): (ev::PointerEvent, String)| {
        if ev.button() != 0 || space_held.get_untracked() {
            return;
        }
        ev.stop_propagation();
        capture(&ev);
        if ev.shift_key() || ev.ctrl_key() || ev.meta_key() {
            store.toggle(&id);
        } else if !store.selection.with_untracked(|s| s.contains(&id)) {
            store.select_only(&id);
        }
        if store.selection.with_untracked(|s| s.contains(&id)) {
            start_drag(&ev);
        }
    });

    let on_handle = Handler::new(move |(ev, id): (ev::PointerEvent, String)| {
        if ev.button() != 0 {
            return;
        }
        ev.stop_propagation();
        capture(&ev);
        store.hint.set(None);
        connecting.set(Some(id.clone()));
        pointer.set(Some(at(&ev)));
        gesture.set_value(Gesture::Connect { source: id });
    });

    let on_background = move |ev: ev::PointerEvent| {
        if ev.button() != 0 && ev.button() != 1 {
            return;
        }
        capture(&ev);
        if space_held.get_untracked() || ev.button() == 1 {
            start_pan(&ev);
        } else if ev.shift_key() && ev.button() == 0 {
            let anchor = at(&ev);
            gesture.set_value(Gesture::Select {
                anchor,
                base: store.selection.get_untracked(),
            });
            marquee.set(Some(Rect::from_corners(anchor, anchor)));
        } else {
            store.clear_selection();
            start_pan(&ev);
        }
    };

    let on_move = move |ev: ev::PointerEvent| {
        gesture.update_value(|g| match g {
            Gesture::Idle => {}
            Gesture::Pan { origin, start } => {
                store
                    .viewport
                    .set(geometry::pan(*start, *origin, local(&ev)));
            }
            Gesture::Drag {
                grab,
                origins,
                before,
            } => {
                let p = at(&ev);
                let (dx, dy) = (p.x - grab.x, p.y - grab.y);
                if before.is_none() {
                    let zoom = store.viewport.get_untracked().zoom;
                    if dx.hypot(dy) * zoom < DRAG_THRESHOLD {
                        return;
                    }
                    *before = Some(store.snapshot());
                }
                let snap = snap.get_untracked();
                for (position, origin) in origins.iter() {
                    position.set(Position {
                        x: snap_to(origin.x + dx, GRID, snap),
                        y: snap_to(origin.y + dy, GRID, snap),
                    });
                }
            }
            Gesture::Connect { .. } => pointer.set(Some(at(&ev))),
            Gesture::Select { anchor, base } => {
                let area = Rect::from_corners(*anchor, at(&ev));
                marquee.set(Some(area));
                let mut chosen = base.clone();
                chosen.extend(store.nodes_in(area));
                store.selection.set(chosen);
            }
        });
    };

    let on_up = move |ev: ev::PointerEvent| {
        let finished = gesture.try_update_value(std::mem::take).unwrap_or_default();
        match finished {
            Gesture::Drag {
                before: Some(before),
                ..
            } => {
                store.layout_epoch.update(|n| *n += 1);
                store.commit(before);
            }
            Gesture::Connect { source } => {
                connecting.set(None);
                pointer.set(None);
                if let Some(target) = store.node_at(at(&ev)) {
                    let _ = store.connect(&source, &target);
                }
            }
            Gesture::Select { .. } => marquee.set(None),
            _ => {}
        }
    };

    let on_wheel = move |ev: ev::WheelEvent| {
        ev.prevent_default();
        let factor = geometry::wheel_factor(ev.delta_y(), ev.delta_mode());
        let anchor = local(&ev);
        store
            .viewport
            .update(|vp| *vp = geometry::zoom_at(*vp, factor, anchor));
    };

    let on_key = move |ev: ev::KeyboardEvent| {
        let key = ev.key();
        if key == " " {
            ev.prevent_default();
            space_held.set(true);
            return;
        }
        let press = KeyPress {
            key: &key,
            modifier: ev.ctrl_key() || ev.meta_key(),
            shift: ev.shift_key(),
        };
        let Some(cmd) = command(press) else { return };
        let handled = run(store, cmd, gesture, connecting, marquee);
        if handled {
            ev.prevent_default();
        }
    };

    let on_drop = move |ev: ev::DragEvent| {
        ev.prevent_default();
        let kind = ev
            .data_transfer()
            .and_then(|dt| dt.get_data(KIND_MIME).ok())
            .and_then(|k| k.parse::<NodeKind>().ok());
        if let Some(kind) = kind {
            on_add.run((kind, at(&ev)));
            if let Some(el) = container.get_untracked() {
                let _ = el.focus();
            }
        }
    };

    let visible = Computed::new(move |_| {
        store.layout_epoch.track();
        let viewport = store.viewport.get();
        let (w, h) = store.size.get();
        let area = geometry::visible(viewport, w, h).inflate(CULL_MARGIN / viewport.zoom);
        store.nodes.with(|nodes| {
            nodes
                .iter()
                .filter(|n| area.intersects(&Rect::node(n.position.get_untracked())))
                .cloned()
                .collect::<Vec<NodeState>>()
        })
    });
    let visible_edges = Computed::new(move |_| {
        let shown: IdSet = visible.with(|v| v.iter().map(|n| n.id.clone()).collect());
        store.edges.with(|edges| {
            edges
                .iter()
                .filter(|e| shown.contains(&e.source) || shown.contains(&e.target))
                .cloned()
                .collect::<Vec<_>>()
        })
    });

    let world_style = dynamic(move || geometry::world_transform(store.viewport.get()));
    let grid_style = dynamic(move || {
        let vp = store.viewport.get();
        let step = decimal(GRID * 2.0 * vp.zoom, 2);
        format!(
            "background-size:{step}px {step}px;background-position:{}px {}px",
            decimal(vp.x, 2),
            decimal(vp.y, 2)
        )
    });
    let pending_edge = move || {
        let source = connecting.get()?;
        let from = out_handle(store.position_of(&source)?);
        let to = pointer.get()?;
        Some(view! { <path class="edge-line edge-pending" d=curve(from, to)></path> })
    };
    let marquee_view = move || {
        marquee.get().map(|r| {
            view! {
                <div
                    class="marquee"
                    style=format!(
                        "transform:translate({}px,{}px);width:{}px;height:{}px",
                        decimal(r.x, 1), decimal(r.y, 1), decimal(r.w, 1), decimal(r.h, 1)
                    )
                ></div>
            }
        })
    };
    let live_text = dynamic(move || {
        let count = store.selection.with(IdSet::len);
        match count {
            0 => String::new(),
            1 => store
                .selection
                .with(|s| s.iter().next().cloned())
                .and_then(|id| store.node(&id))
                .map(|n| {
                    format!(
                        "Selected {} {}",
                        n.kind,
                        crate::domain::editing::name_in(&n.data.get_untracked())
                    )
                })
                .unwrap_or_default(),
            n => format!("{n} nodes selected"),
        }
    });

    view! {
        <div
            class="canvas"
            class:connecting=dynamic(move || connecting.with(Option::is_some))
            class:space-pan=dynamic(move || space_held.get())
            node_ref=container
            tabindex="0"
            role="application"
            aria-label="Workflow canvas. Drag from the palette or press Enter on a palette item to add nodes; Tab selects nodes, arrows move them, Delete removes them."
            aria-describedby="canvas-status"
            style=grid_style
            on:pointerdown=listener(on_background)
            on:pointermove=listener(on_move)
            on:pointerup=listener(on_up)
            on:pointercancel=listener(on_up)
            on:wheel=listener(on_wheel)
            on:keydown=listener(on_key)
            on:keyup=listener(move |ev: ev::KeyboardEvent| {
                if ev.key() == " " {
                    space_held.set(false);
                }
            })
            on:blur=listener(move |_| space_held.set(false))
            on:dragover=listener(|ev: ev::DragEvent| ev.prevent_default())
            on:drop=listener(on_drop)
        >
            <div class="canvas-world" style=world_style>
                <svg class="edges" aria-hidden="true">
                    <For each=move || visible_edges.get() key=|e| e.id.clone() let:edge>
                        <EdgeView edge store/>
                    </For>
                    {pending_edge}
                </svg>
                <For each=move || visible.get() key=|n| n.id.clone() let:node>
                    <NodeCard node store on_grab on_handle connecting/>
                </For>
                {marquee_view}
            </div>
            <Show when=move || store.nodes.with(Vec::is_empty)>
                <div class="canvas-empty">
                    <p>"Drag a resource from the palette onto the canvas to start."</p>
                </div>
            </Show>
            <Minimap store/>
            <p id="canvas-status" class="sr-only" aria-live="polite">{live_text}</p>
        </div>
    }
}

/// Runs a keyboard command; returns whether the key was used (so the browser default is skipped).
fn run(
    store: EditorStore,
    cmd: Command,
    gesture: Stored<Gesture>,
    connecting: Var<Option<String>>,
    marquee: Var<Option<Rect>>,
) -> bool {
    match cmd {
        Command::Delete => store.delete_selection(),
        Command::Undo => store.undo(),
        Command::Redo => store.redo(),
        Command::Copy => store.copy_selection(),
        Command::Paste => store.paste(),
        Command::Duplicate => {
            store.copy_selection();
            store.paste();
        }
        Command::SelectAll => store.select_all(),
        Command::Escape => {
            gesture.set_value(Gesture::Idle);
            connecting.set(None);
            marquee.set(None);
            store.hint.set(None);
            store.clear_selection();
        }
        Command::Nudge(dx, dy) => store.nudge_selection(dx, dy),
        Command::Cycle(backwards) => return store.cycle_selection(backwards),
        Command::ZoomIn => store.zoom_by(store::ZOOM_STEP),
        Command::ZoomOut => store.zoom_by(1.0 / store::ZOOM_STEP),
        Command::FitView => store.fit_view(),
        Command::Layout => store.auto_layout(),
    }
    true
}
