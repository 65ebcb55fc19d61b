//! A node card: kind badge, name, key facts and the two connection handles. Re-renders only when
//! its own position, settings or selection change.

use crate::components::computed::Computed;
use crate::components::dynamic::{dynamic, listener};
use crate::components::handler::Handler;
use leptos::{ev, prelude::*};

use super::store::{EditorStore, NodeState};
use crate::components::run::NodeStatusBadge;
use crate::components::var::Var;
use crate::domain::editing::{display_name, name_in};
use crate::domain::facts::facts;
use crate::domain::geometry;
use crate::domain::issue::{has_errors, Issue};
use crate::model::metadata;

/// How many facts a card shows.
const FACTS: usize = 3;

/// Two-letter badge of a kind.
pub fn badge(kind: crate::model::NodeKind) -> &'static str {
    use crate::model::NodeKind::*;
    match kind {
        Deployment => "De",
        StatefulSet => "St",
        DaemonSet => "Ds",
        Job => "Jb",
        CronJob => "Cj",
        Service => "Sv",
        Ingress => "In",
        ConfigMap => "Cm",
        Secret => "Se",
        PersistentVolumeClaim => "Pv",
        Hpa => "Hp",
        NetworkPolicy => "Np",
        Custom => "Cr",
    }
}

/// One node on the canvas. `on_grab` starts a drag or selection, `on_handle` a connection.
#[component]
pub fn NodeCard(
    node: NodeState,
    store: EditorStore,
    on_grab: Handler<(ev::PointerEvent, String)>,
    on_handle: Handler<(ev::PointerEvent, String)>,
    connecting: Var<Option<String>>,
) -> impl IntoView {
    let meta = metadata::summary(node.kind);
    let category = format!("node cat-{}", meta.category.name());
    let id = node.id.clone();
    let selected = {
        let id = id.clone();
        dynamic(move || store.selection.with(|s| s.contains(&id)))
    };
    let is_source = {
        let id = id.clone();
        dynamic(move || connecting.with(|c| c.as_deref() == Some(id.as_str())))
    };
    let position = node.position;
    let data = node.data;
    let style = dynamic(move || geometry::translate(position.get()));
    let name = dynamic(move || data.with(|d| display_name(name_in(d)).to_string()));
    let details = dynamic(move || data.with(|d| facts(d, FACTS).join(" · ")));
    let marker = Computed::new({
        let id = id.clone();
        move |_| store.report.with(|r| marker_of(r.nodes.get(&id)))
    });
    let grab_id = id.clone();
    let handle_id = id.clone();
    let badge_id = id.clone();
    view! {
        <div
            class=category
            class:selected=selected
            class:connect-source=is_source
            data-node-id=id
            data-kind=node.kind.as_str()
            style=style
            on:pointerdown=listener(move |ev| on_grab.run((ev, grab_id.clone())))
        >
            <span class="handle handle-in" aria-hidden="true"></span>
            <span class="node-badge" aria-hidden="true">{badge(node.kind)}</span>
            <div class="node-body">
                <div class="node-name">{name}</div>
                <div class="node-kind">{meta.display_name.clone()}</div>
                <div class="node-facts">{details}</div>
                <NodeStatusBadge node_id=badge_id/>
            </div>
            {move || marker.get().map(|m| view! {
                <span class=m.class title=m.title.clone() data-issues=m.count role="img" aria-label=m.title>
                    {m.count}
                </span>
            })}
            <span
                class="handle handle-out"
                title="Drag to connect"
                on:pointerdown=listener(move |ev| on_handle.run((ev, handle_id.clone())))
            ></span>
        </div>
    }
}

/// A card's problem marker: how many problems, the worst one's class and all messages.
#[derive(Clone, Debug, PartialEq)]
struct Marker {
    count: usize,
    class: &'static str,
    title: String,
}

fn marker_of(issues: Option<&Vec<Issue>>) -> Option<Marker> {
    let issues = issues.filter(|i| !i.is_empty())?;
    let class = if has_errors(issues) {
        "node-marker error"
    } else {
        "node-marker warning"
    };
    let title = issues
        .iter()
        .map(|i| i.message.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    Some(Marker {
        count: issues.len(),
        class,
        title,
    })
}
