//! The preview of an import: the graph drawn read-only at its computed positions (same node
//! size as the editor), what it contains, and every warning.

use crate::components::derived::Derived;
use crate::components::dynamic::dynamic;
use leptos::prelude::*;

use crate::domain::editing::node_name;
use crate::domain::geometry::{bounds, NODE_HEIGHT, NODE_WIDTH};
use crate::domain::number::decimal;
use crate::model::import::Analysis;
use crate::model::NodeKind;

const MARGIN: f64 = 20.0;

/// Counts per kind, e.g. `2 deployments, 1 service`.
fn summary(analysis: &Analysis) -> String {
    let mut parts = Vec::new();
    for kind in NodeKind::ALL {
        let n = analysis
            .nodes
            .iter()
            .filter(|node| node.kind == kind)
            .count();
        if n > 0 {
            parts.push(format!("{n} {kind}"));
        }
    }
    format!(
        "{} nodes ({}), {} edges",
        analysis.nodes.len(),
        parts.join(", "),
        analysis.edges.len()
    )
}

/// The read-only graph and the warnings.
#[component]
pub fn ImportPreview(#[prop(into)] analysis: Derived<Analysis>) -> impl IntoView {
    let drawing = move || {
        let analysis = analysis.get();
        let (min_x, min_y, w, h) = bounds(analysis.nodes.iter().map(|n| n.position))
            .map_or((0.0, 0.0, 0.0, 0.0), |r| (r.x, r.y, r.w, r.h));
        let width = (w + 2.0 * MARGIN).max(100.0);
        let height = (h + 2.0 * MARGIN).max(60.0);
        let at = |x: f64, y: f64| (x - min_x + MARGIN, y - min_y + MARGIN);
        let centre = |id: &str| {
            analysis.nodes.iter().find(|n| n.id == id).map(|n| {
                let (x, y) = at(n.position.x, n.position.y);
                (x + NODE_WIDTH / 2.0, y + NODE_HEIGHT / 2.0)
            })
        };
        let edges = analysis
            .edges
            .iter()
            .filter_map(|e| Some((e.id.clone(), centre(&e.source)?, centre(&e.target)?)))
            .map(|(id, (x1, y1), (x2, y2))| {
                view! { <line class="preview-edge" data-edge=id x1=decimal(x1, 1) y1=decimal(y1, 1) x2=decimal(x2, 1) y2=decimal(y2, 1)/> }
            })
            .collect_view();
        let nodes = analysis
            .nodes
            .iter()
            .map(|n| {
                let (x, y) = at(n.position.x, n.position.y);
                let name = node_name(n).to_string();
                view! {
                    <g class=format!("preview-node kind-{}", n.kind) data-node=n.id.clone() data-x=decimal(n.position.x, 2) data-y=decimal(n.position.y, 2)>
                        <rect x=decimal(x, 1) y=decimal(y, 1) width=decimal(NODE_WIDTH, 0) height=decimal(NODE_HEIGHT, 0) rx="8"/>
                        <text x=decimal(x + 12.0, 1) y=decimal(y + 22.0, 1) class="preview-kind">{n.kind.as_str()}</text>
                        <text x=decimal(x + 12.0, 1) y=decimal(y + 42.0, 1) class="preview-name">{name}</text>
                    </g>
                }
            })
            .collect_view();
        view! {
            <svg class="import-canvas" id="import-canvas" role="img" aria-label="Preview of the imported resources"
                viewBox=format!("0 0 {} {}", decimal(width, 1), decimal(height, 1)) width=decimal(width, 1) height=decimal(height, 1)>
                {edges}
                {nodes}
            </svg>
        }
    };
    view! {
        <div class="import-preview" id="import-preview">
            <p class="muted small" id="import-summary">{dynamic(move || summary(&analysis.get()))}</p>
            <div class="import-canvas-frame">{drawing}</div>
            <Show when=move || !analysis.get().warnings.is_empty()>
                <details class="import-warnings" open>
                    <summary>{dynamic(move || format!("{} warnings", analysis.get().warnings.len()))}</summary>
                    <ul id="import-warnings">
                        {move || analysis.get().warnings.into_iter().map(|w| {
                            let place = match (w.service, w.key) {
                                (Some(s), Some(k)) => format!("{s} · {k}"),
                                (Some(s), None) => s,
                                (None, Some(k)) => k,
                                (None, None) => String::new(),
                            };
                            view! { <li><strong>{place}</strong>" "{w.message}</li> }
                        }).collect_view()}
                    </ul>
                </details>
            </Show>
        </div>
    }
}
