//! Choosing the cluster a workflow deploys to (stored on the workflow at once).

use crate::components::derived::Derived;
use crate::components::dynamic::dynamic;
use crate::components::var::{Stored, Var};
use leptos::prelude::*;

use crate::api::clusters::list_clusters;
use crate::api::workflows::UpdateWorkflow;
use crate::components::form::FormError;

/// A select of the user's clusters bound to `selected`; a change is saved on the workflow.
#[component]
pub fn ClusterPicker(
    /// The workflow.
    #[prop(into)]
    workflow_id: String,
    /// The workflow's cluster id.
    selected: Var<Option<String>>,
) -> impl IntoView {
    let clusters = Resource::new(|| (), |_| list_clusters());
    let save = ServerAction::<UpdateWorkflow>::new();
    let error = Derived::new(move || {
        save.value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    Effect::new(move |_| {
        if let Some(Ok(workflow)) = save.value().get() {
            selected.set(workflow.cluster_id);
        }
    });
    let workflow_id = Stored::new(workflow_id);
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        save.dispatch(UpdateWorkflow {
            id: workflow_id.get_value(),
            name: None,
            description: None,
            cluster_id: Some(value),
        });
    };
    view! {
        <label class="field inline-field cluster-picker">
            <span>"Cluster"</span>
            <Transition fallback=|| view! { <select disabled><option>"Loading…"</option></select> }>
                {move || Suspend::new(async move {
                    let list = clusters.await.unwrap_or_default();
                    let none_selected = move || selected.get().is_none();
                    view! {
                        <select id="workflow-cluster" on:change=on_change
                            prop:value=dynamic(move || selected.get().unwrap_or_default())>
                            <option value="" selected=none_selected>"— choose a cluster —"</option>
                            {list.into_iter().map(|c| {
                                let id = c.id.clone();
                                let is = move || selected.get().as_deref() == Some(id.as_str());
                                view! { <option value=c.id.clone() selected=is>{c.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                    }
                })}
            </Transition>
            <FormError error/>
        </label>
    }
}
