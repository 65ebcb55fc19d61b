//! "Use this image": after a build completed, pick one of the user's workflows and the workload
//! nodes (Deployments and other workloads) that should run the built image; the server sets it
//! and saves a version.

use crate::components::dynamic::{dynamic, listener};
use std::collections::BTreeSet;

use crate::components::derived::Derived;
use crate::components::var::Var;
use leptos::prelude::*;

use crate::api::builds::SetBuildImage;
use crate::api::workflows::{get_workflow, list_workflows};
use crate::components::form::FormError;
use crate::model::build::Build;

/// The panel for a completed `build`; `preselect` is a node id to tick first.
#[component]
pub fn UseImage(record: Build, preselect: Option<String>) -> impl IntoView {
    let build = record;
    let image = build.image_ref.clone().unwrap_or_default();
    let workflow_id = Var::new(build.workflow_id.clone().unwrap_or_default());
    let chosen = Var::new(
        preselect
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect::<BTreeSet<String>>(),
    );
    let workflows = Resource::new(|| (), |_| list_workflows());
    let workflow = Resource::new(
        move || workflow_id.get(),
        |id| async move {
            if id.is_empty() {
                Ok(None)
            } else {
                get_workflow(id).await.map(Some)
            }
        },
    );
    let apply = ServerAction::<SetBuildImage>::new();
    let error = Derived::new(move || {
        apply
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let build_id = build.id.clone();

    view! {
        <section class="card use-image" id="use-image">
            <h2>"Use this image"</h2>
            <p class="mono small" id="built-image">{image.clone()}</p>
            <label class="field">
                <span>"Workflow"</span>
                <Transition fallback=|| view! { <select disabled><option>"…"</option></select> }>
                    {move || Suspend::new(async move {
                        let list = workflows.await.unwrap_or_default();
                        let current = workflow_id.get_untracked();
                        view! {
                            <select id="use-image-workflow" on:change=listener(move |ev| {
                                chosen.set(BTreeSet::new());
                                workflow_id.set(event_target_value(&ev));
                            })>
                                <option value="" selected=current.is_empty()>"Choose a workflow…"</option>
                                {list.into_iter().map(|w| {
                                    let selected = w.id == current;
                                    view! { <option value=w.id.clone() selected=selected>{w.name.clone()}</option> }
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Transition>
            </label>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match workflow.await {
                        Ok(Some(workflow)) => {
                            let nodes: Vec<(String, String)> = workflow
                                .nodes
                                .iter()
                                .filter(|n| n.kind.is_workload())
                                .map(|n| {
                                    let name = n.data.get("name").and_then(|v| v.as_str()).unwrap_or(&n.id).to_string();
                                    (n.id.clone(), format!("{} ({})", name, n.kind.as_str()))
                                })
                                .collect();
                            if nodes.is_empty() {
                                return view! { <p class="muted">"This workflow has no workload nodes."</p> }.into_any();
                            }
                            view! {
                                <fieldset class="stack node-choice">
                                    <legend>"Nodes to update"</legend>
                                    {nodes.into_iter().map(|(id, label)| {
                                        let for_check = id.clone();
                                        let initially = chosen.with_untracked(|c| c.contains(&id));
                                        view! {
                                            <label class="check">
                                                <input type="checkbox" class="use-image-node" data-node=id.clone()
                                                    checked=initially
                                                    prop:checked=dynamic(move || chosen.with(|c| c.contains(&for_check)))
                                                    on:change=listener(move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        let id = id.clone();
                                                        chosen.update(|c| { if on { c.insert(id); } else { c.remove(&id); } });
                                                    })/>
                                                " " {label}
                                            </label>
                                        }
                                    }).collect_view()}
                                </fieldset>
                            }
                            .into_any()
                        }
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
            <FormError error/>
            {move || apply.value().get().and_then(Result::ok).map(|done| view! {
                <p class="ok" id="use-image-done" role="status">
                    {format!("Set on {} node(s); saved as version {}.", done.node_ids.len(), done.version)}
                    " " <a href=format!("/workflows/{}", workflow_id.get_untracked())>"Open the workflow"</a>
                </p>
            })}
            <div class="modal-actions">
                <button class="btn" id="use-image-apply"
                    disabled=dynamic(move || apply.pending().get() || chosen.with(BTreeSet::is_empty) || workflow_id.with(String::is_empty))
                    on:click=listener(move |_| {
                        apply.dispatch(SetBuildImage {
                            build_id: build_id.clone(),
                            workflow_id: workflow_id.get_untracked(),
                            node_ids: chosen.get_untracked().into_iter().collect(),
                        });
                    })>
                    "Set image"
                </button>
            </div>
        </section>
    }
}
