//! `/builds`: start an image build from Git, and the signed-in user's latest builds.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::builds::list_builds;
use crate::components::auth::{RequireUser, ToLogin};
use crate::components::builds::form::NewBuildForm;
use crate::components::builds::state_label;
use crate::error::AppError;
use crate::model::build::Build;

/// The page: only for signed-in users.
#[component]
pub fn BuildsPage() -> impl IntoView {
    view! {
        <Title text="Builds"/>
        <RequireUser>
            <section class="page-head">
                <h1>"Builds"</h1>
                <p class="lead">"Clone a repository, build its image and push it to one of your registries."</p>
            </section>
            <NewBuildForm/>
            <BuildList/>
        </RequireUser>
    }
}

#[component]
fn BuildList() -> impl IntoView {
    let builds = Resource::new(|| (), |_| list_builds());
    view! {
        <h2>"Latest builds"</h2>
        <Transition fallback=|| view! { <p class="muted">"Loading your builds…"</p> }>
            {move || Suspend::new(async move {
                match builds.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="muted">"No builds yet."</p>
                    }
                    .into_any(),
                    Ok(list) => view! {
                        <ul class="workflow-list" id="build-list">
                            {list.into_iter().map(|record| view! { <BuildRow record/> }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(AppError::Unauthorized(_)) => view! { <ToLogin/> }.into_any(),
                    Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn BuildRow(record: Build) -> impl IntoView {
    let build = record;
    let (label, class) = state_label(build.state);
    let created = build.created_at.format("%Y-%m-%d %H:%M").to_string();
    view! {
        <li class="workflow-row build-row">
            <div class="workflow-main">
                <a class="workflow-name" href=format!("/builds/{}", build.id)>
                    {format!("{}:{}", build.image, build.tag)}
                </a>
                <p class="muted small">
                    {format!("{} · {} · → {} · {created}", build.repo_url, build.branch, build.registry_name)}
                </p>
            </div>
            <span class=format!("status {class}")>{label}</span>
        </li>
    }
}
