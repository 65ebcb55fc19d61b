//! `/builds/:id`: one build — its stage bar and live log while it runs, its error when it
//! failed, and "use this image" once it completed. Another user's build is the not-found page.

use crate::components::computed::Computed;
use crate::components::derived::Derived;
use crate::components::dynamic::dynamic;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::builds::{get_build, CancelBuild};
use crate::components::auth::{RequireUser, ToLogin};
use crate::components::builds::live::follow_build;
use crate::components::builds::progress::StageBar;
use crate::components::builds::state_label;
use crate::components::builds::use_image::UseImage;
use crate::components::form::{use_hydrated, FormError};
use crate::error::AppError;
use crate::model::build::{Build, BuildState};
use crate::pages::not_found::NotFound;

/// The page: only for signed-in users.
#[component]
pub fn BuildPage() -> impl IntoView {
    view! {
        <RequireUser>
            <BuildLoader/>
        </RequireUser>
    }
}

#[component]
fn BuildLoader() -> impl IntoView {
    let params = use_params_map();
    let build = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_build,
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Opening the build…"</p> }>
            {move || Suspend::new(async move {
                match build.await {
                    Ok(record) => view! { <BuildView record/> }.into_any(),
                    Err(AppError::NotFound(_)) => view! { <NotFound/> }.into_any(),
                    Err(AppError::Unauthorized(_)) => view! { <ToLogin/> }.into_any(),
                    Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BuildView(record: Build) -> impl IntoView {
    let build = record;
    let id = build.id.clone();
    let title = format!("Build {}:{}", build.image, build.tag);
    let feed = follow_build(build.clone());
    let current = Derived::new(move || feed.build.get());
    let cancel = ServerAction::<CancelBuild>::new();
    Effect::new(move |_| {
        if let Some(Ok(done)) = cancel.value().get() {
            feed.build.set(done);
        }
    });
    let cancel_error = Derived::new(move || {
        cancel
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let node = use_query_map().with_untracked(|q| q.get("node"));
    // The pushed image only: it changes once, when the build completes, so the panel (and
    // what the user ticked in it) is not rebuilt by the events that follow.
    let ready = use_hydrated();
    let pushed = Computed::new(move |_| {
        current.with(|b| {
            (b.state == BuildState::Completed)
                .then(|| b.image_ref.clone())
                .flatten()
        })
    });

    view! {
        <Title text=title.clone()/>
        <section class="page-head page-head-row">
            <div>
                <p class="crumbs"><a href="/builds">"Builds"</a> " / "</p>
                <h1>{title}</h1>
                <p class="muted small">
                    {format!("{} · {} · folder {} · → {}", build.repo_url, build.branch, build.context, build.registry_name)}
                </p>
            </div>
            <span class=dynamic(move || format!("status {}", state_label(current.get().state).1)) id="build-state">
                {dynamic(move || state_label(current.get().state).0)}
            </span>
        </section>
        <StageBar record=current/>
        <p class="muted small" id="build-message">{dynamic(move || feed.message.get())}</p>
        <Show when=move || !current.get().state.is_finished()>
            <button class="btn btn-ghost btn-danger-text" id="cancel-build" disabled=dynamic(move || cancel.pending().get())
                on:click={
                    let id = id.clone();
                    move |_| { cancel.dispatch(CancelBuild { id: id.clone() }); }
                }>
                {dynamic(move || if cancel.pending().get() { "Cancelling…" } else { "Cancel build" })}
            </button>
        </Show>
        <FormError error=cancel_error/>
        {move || {
            let b = current.get();
            b.error.clone().filter(|_| b.state == BuildState::Failed).map(|error| view! {
                <p class="error" role="alert" id="build-error">
                    {format!("Failed while {}: {error}", b.error_stage.map(|s| s.as_str()).unwrap_or("starting"))}
                </p>
            })
        }}
        <pre class="build-log mono" id="build-log" aria-live="polite">
            <For each=move || feed.lines.get().into_iter().enumerate() key=|(n, _)| *n let:((_, block))>
                {move || block.with(|lines| lines.iter().map(|l| {
                    let class = format!("log-line log-{}", l.stream);
                    view! { <span class=class data-stage=l.stage.as_str()>{l.line.clone()}"\n"</span> }
                }).collect_view())}
            </For>
        </pre>
        // Made in the browser only (after hydration), so its controls are always live.
        {move || {
            pushed.get().filter(|_| ready.get()).map(|_| {
                let preselect = node.clone();
                view! { <UseImage record=current.get_untracked() preselect/> }
            })
        }}
    }
}
