//! Edges: a curve from the source node's output handle to the target's input handle, labelled
//! with what the connection does.

use crate::components::computed::Computed;
use crate::components::dynamic::{dynamic, listener};
use leptos::prelude::*;

use super::store::EditorStore;
use crate::domain::edges::{edge_rule, EdgeMeaning};
use crate::domain::geometry::{NODE_HEIGHT, NODE_WIDTH};
use crate::domain::number::decimal;
use crate::model::{Edge, Position};

/// The output handle of a node drawn at `node`.
pub fn out_handle(node: Position) -> Position {
    Position {
        x: node.x + NODE_WIDTH,
        y: node.y + NODE_HEIGHT / 2.0,
    }
}

/// The input handle of a node drawn at `node`.
pub fn in_handle(node: Position) -> Position {
    Position {
        x: node.x,
        y: node.y + NODE_HEIGHT / 2.0,
    }
}

/// SVG path data of a horizontal S-curve from `a` to `b`.
pub fn curve(a: Position, b: Position) -> String {
    let bend = ((b.x - a.x).abs() / 2.0).max(60.0);
    let n = |v: f64| decimal(v, 1);
    format!(
        "M{} {} C{} {} {} {} {} {}",
        n(a.x),
        n(a.y),
        n(a.x + bend),
        n(a.y),
        n(b.x - bend),
        n(b.y),
        n(b.x),
        n(b.y)
    )
}

/// The word drawn on an edge.
pub fn label(meaning: EdgeMeaning) -> &'static str {
    match meaning {
        EdgeMeaning::Selects => "selects",
        EdgeMeaning::Routes => "routes",
        EdgeMeaning::ConfigFrom => "config",
        EdgeMeaning::SecretFrom => "secret",
        EdgeMeaning::Mounts => "mounts",
        EdgeMeaning::Scales => "scales",
        EdgeMeaning::Isolates => "policy",
        EdgeMeaning::DependsOn => "depends on",
    }
}

/// One edge, re-drawn only when one of its two nodes moves.
#[component]
pub fn EdgeView(edge: Edge, store: EditorStore) -> impl IntoView {
    let meaning = {
        let kinds = (store.node(&edge.source), store.node(&edge.target));
        match kinds {
            (Some(s), Some(t)) => edge_rule(s.kind, t.kind),
            _ => None,
        }
    };
    let label = meaning.map(label).unwrap_or("invalid");
    let (source, target) = (edge.source.clone(), edge.target.clone());
    let ends = Computed::new(move |_| {
        Some((
            out_handle(store.position_of(&source)?),
            in_handle(store.position_of(&target)?),
        ))
    });
    let path = dynamic(move || ends.get().map(|(a, b)| curve(a, b)).unwrap_or_default());
    let middle = move || {
        ends.get().map(|(a, b)| Position {
            x: (a.x + b.x) / 2.0,
            y: (a.y + b.y) / 2.0,
        })
    };
    let id = edge.id.clone();
    let selected = dynamic(move || {
        store
            .selected_edge
            .with(|s| s.as_deref() == Some(id.as_str()))
    });
    let select_id = edge.id.clone();
    view! {
        <g
            class="edge"
            class:selected=selected
            class:invalid=meaning.is_none()
            data-edge-id=edge.id.clone()
            data-meaning=label
            on:pointerdown=listener(move |ev: leptos::ev::PointerEvent| {
                ev.stop_propagation();
                store.select_edge(&select_id);
            })
        >
            <title>{format!("{} {} {}", edge.source, meaning.map(|m| m.describe()).unwrap_or("→"), edge.target)}</title>
            <path class="edge-hit" d=path.clone()></path>
            <path class="edge-line" d=path></path>
            <text
                class="edge-label"
                x=dynamic(move || decimal(middle().map(|m| m.x).unwrap_or_default(), 1))
                y=dynamic(move || decimal(middle().map(|m| m.y - 6.0).unwrap_or_default(), 1))
            >
                {label}
            </text>
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_sit_on_the_node_sides_and_the_curve_joins_them() {
        let node = Position { x: 100.0, y: 50.0 };
        assert_eq!(
            out_handle(node),
            Position {
                x: 100.0 + NODE_WIDTH,
                y: 50.0 + NODE_HEIGHT / 2.0
            }
        );
        assert_eq!(
            in_handle(node),
            Position {
                x: 100.0,
                y: 50.0 + NODE_HEIGHT / 2.0
            }
        );
        let d = curve(Position { x: 0.0, y: 0.0 }, Position { x: 300.0, y: 100.0 });
        assert_eq!(d, "M0 0 C150 0 150 100 300 100");
    }
}
