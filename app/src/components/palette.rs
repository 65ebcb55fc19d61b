//! The palette: every node kind grouped by category, searchable; drag an item onto the canvas, or
//! click it (or press Enter on it) to add the node in the middle of the view.

use crate::components::dynamic::{dynamic, listener};
use crate::components::handler::Handler;
use crate::components::var::Var;
use leptos::{ev, prelude::*};

use super::canvas::node::badge;
use super::canvas::KIND_MIME;
use crate::model::metadata::{self, Category, KindSummary};
use crate::model::NodeKind;

const SECTIONS: [(Category, &str); 6] = [
    (Category::Workloads, "Workloads"),
    (Category::Traffic, "Traffic"),
    (Category::Config, "Configuration"),
    (Category::Storage, "Storage"),
    (Category::Policy, "Policy"),
    (Category::Custom, "Custom"),
];

/// Whether `meta` matches the search text (name, kind or description, case-insensitive).
/// Compared in upper case: the shell already carries the upper-case tables (the user menu's
/// initials), so the editor does not load the lower-case ones for this.
pub fn matches(meta: &KindSummary, query: &str) -> bool {
    let query = query.trim().to_uppercase();
    query.is_empty()
        || [
            meta.display_name.as_str(),
            meta.kind.as_str(),
            meta.description.as_str(),
        ]
        .iter()
        .any(|text| text.to_uppercase().contains(&query))
}

/// The palette; `on_pick` adds a node of the picked kind.
#[component]
pub fn Palette(on_pick: Handler<NodeKind>) -> impl IntoView {
    let query = Var::new(String::new());
    let sections = move || {
        let q = query.get();
        SECTIONS
            .iter()
            .filter_map(|(category, title)| {
                let items: Vec<&'static KindSummary> = metadata::summaries()
                    .iter()
                    .filter(|m| m.category == *category && matches(m, &q))
                    .collect();
                (!items.is_empty()).then(|| {
                    view! {
                        <section class="palette-section">
                            <h3>{*title}</h3>
                            <ul>
                                {items.into_iter().map(|meta| view! { <PaletteItem meta on_pick/> }).collect_view()}
                            </ul>
                        </section>
                    }
                })
            })
            .collect_view()
    };
    let nothing = move || {
        let q = query.get();
        metadata::summaries().iter().all(|m| !matches(m, &q))
    };
    view! {
        <aside class="palette" aria-label="Resources">
            <input
                class="palette-search"
                type="search"
                placeholder="Search resources"
                aria-label="Search resources"
                prop:value=dynamic(move || query.get())
                on:input=listener(move |ev: ev::Event| query.set(event_target_value(&ev)))
            />
            <div class="palette-list">
                {sections}
                <Show when=nothing>
                    <p class="muted palette-none">"No resource matches."</p>
                </Show>
            </div>
        </aside>
    }
}

#[component]
fn PaletteItem(meta: &'static KindSummary, on_pick: Handler<NodeKind>) -> impl IntoView {
    let kind = meta.kind;
    view! {
        <li>
            <button
                class=format!("palette-item cat-{}", meta.category.name())
                draggable="true"
                data-kind=kind.as_str()
                title=meta.description.clone()
                on:click=listener(move |_| on_pick.run(kind))
                on:dragstart=listener(move |ev: ev::DragEvent| {
                    if let Some(dt) = ev.data_transfer() {
                        let _ = dt.set_data(KIND_MIME, kind.as_str());
                        dt.set_effect_allowed("copy");
                    }
                })
            >
                <span class="node-badge" aria-hidden="true">{badge(kind)}</span>
                <span class="palette-name">{meta.display_name.clone()}</span>
            </button>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_matches_names_kinds_and_descriptions() {
        let deployment = metadata::summary(NodeKind::Deployment);
        assert!(matches(deployment, ""));
        assert!(matches(deployment, "deploy"));
        assert!(matches(deployment, "  DEPLOYMENT "));
        assert!(!matches(deployment, "ingress"));
        let pvc = metadata::summary(NodeKind::PersistentVolumeClaim);
        assert!(matches(pvc, "persistentvolumeclaim"));
    }
}
