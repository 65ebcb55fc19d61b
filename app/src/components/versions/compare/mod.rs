//! The compare view: summary counts on top, the two versions side by side on read-only canvases
//! with synchronized pan and zoom (added, removed, modified and moved nodes highlighted on both),
//! the changed nodes, the field changes of the selected node, and the rendered manifests as a
//! unified YAML diff.

mod canvas;
mod changes;
mod marks;
mod yaml;

use crate::components::dynamic::listener;
use std::sync::Arc;

use crate::components::var::Var;
use leptos::prelude::*;

use crate::api::version_manifests::ManifestComparison;
use crate::api::versions::Comparison;
use crate::components::format::short_time;
use crate::components::versions::kind_label;
use crate::domain::geometry;
use crate::error::AppError;
use crate::model::{Version, Viewport};
use canvas::{display_name, DiffCanvas, SharedView};
use changes::{ChangedNodes, NodeDetails, Summary};
use marks::Side;
use yaml::ManifestDiff;

/// Space around the fitted designs, in pixels.
const FIT_PADDING: f64 = 32.0;

/// Two versions compared.
#[component]
pub fn CompareView(
    /// The older side.
    from: Version,
    /// The newer side.
    to: Version,
    /// What changed from `from` to `to`.
    comparison: Comparison,
    /// The rendered manifests of both, compared (or why they could not be).
    manifests: Result<ManifestComparison, AppError>,
) -> impl IntoView {
    let diff = Arc::new(comparison.diff);
    let (from_graph, to_graph) = (Arc::new(from.graph()), Arc::new(to.graph()));
    let from_label = format!("Version {}", from.number);
    let to_label = format!("Version {}", to.number);
    let (from_head, to_head) = (heading(&from), heading(&to));
    let names = (from.nodes.iter())
        .chain(to.nodes.iter())
        .map(|node| (node.id.clone(), display_name(node)))
        .collect();
    let view = SharedView {
        viewport: Var::new(Viewport::default()),
        size: Var::new((0.0, 0.0)),
        selected: Var::new(None),
    };
    let content = geometry::bounds(
        from.nodes
            .iter()
            .chain(to.nodes.iter())
            .map(|node| node.position),
    );
    let fit = move || {
        let (width, height) = view.size.get_untracked();
        if let Some(content) = content.filter(|_| width > 0.0) {
            view.viewport
                .set(geometry::fit(content, width, height, FIT_PADDING));
        }
    };
    Effect::new(move |previous: Option<bool>| {
        let measured = view.size.with(|(w, _)| *w > 0.0);
        if measured && previous != Some(true) {
            fit();
        }
        measured || previous == Some(true)
    });
    let zoom = move |factor: f64| {
        let (width, height) = view.size.get_untracked();
        view.viewport
            .update(|vp| *vp = geometry::zoom_centred(*vp, factor, width, height));
    };

    let (from_side, to_side) = (from_graph.clone(), to_graph.clone());
    let (from_diff, to_diff, list_diff) = (diff.clone(), diff.clone(), diff.clone());
    let (from_name, to_name, changed) = (from_label.clone(), to_label.clone(), to_graph.clone());
    view! {
        <Summary counts=comparison.summary/>
        <div class="compare-toolbar" role="toolbar" aria-label="Canvas view">
            <button type="button" class="btn btn-ghost btn-small" on:click=listener(move |_| zoom(1.2)) aria-label="Zoom in">"+"</button>
            <button type="button" class="btn btn-ghost btn-small" on:click=listener(move |_| zoom(1.0 / 1.2)) aria-label="Zoom out">"−"</button>
            <button type="button" class="btn btn-ghost btn-small" id="fit-view" on:click=listener(move |_| fit())>"Fit"</button>
            <span class="muted small">"Drag to pan, scroll to zoom: both sides move together."</span>
        </div>
        <div class="compare-sides">
            <SidePane version="from" head=from_head.0 detail=from_head.1>
                <DiffCanvas graph=from_side diff=from_diff side=Side::From view label=from_name/>
            </SidePane>
            <SidePane version="to" head=to_head.0 detail=to_head.1>
                <DiffCanvas graph=to_side diff=to_diff side=Side::To view label=to_name/>
            </SidePane>
        </div>
        <div class="compare-details">
            <section>
                <h2 class="section-title">"Changed nodes"</h2>
                <ChangedNodes to=changed diff=list_diff selected=view.selected/>
            </section>
            <NodeDetails
                from=from_graph
                to=to_graph
                diff
                from_label
                to_label
                selected=view.selected
            />
        </div>
        <ManifestDiff manifests names/>
    }
}

/// One side: a heading (number, kind, message, time) above its canvas.
#[component]
fn SidePane(
    version: &'static str,
    head: String,
    detail: String,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="compare-side" data-version=version>
            <h2 class="compare-side-head">{head}</h2>
            <p class="muted small">{detail}</p>
            {children()}
        </section>
    }
}

/// The heading and the line under it for a version.
fn heading(version: &Version) -> (String, String) {
    let message = if version.message.is_empty() {
        "(no message)"
    } else {
        version.message.as_str()
    };
    (
        format!("Version {} · {}", version.number, kind_label(version.kind)),
        format!("{message} · {}", short_time(version.created_at)),
    )
}
