//! `/workflows/:id/compare?from=A&to=B`: two versions of a workflow side by side with what
//! changed, and a way back to restore the older one.

use crate::components::dynamic::listener;
use crate::components::handler::Handler;
use crate::components::var::Var;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::api::version_manifests::{compare_manifests, ManifestComparison};
use crate::api::versions::{get_version, Comparison};
use crate::api::workflows::get_workflow;
use crate::components::auth::{RequireUser, ToLogin};
use crate::components::versions::compare::CompareView;
use crate::components::versions::{compare_href, RestoreDialog};
use crate::error::AppError;
use crate::model::{Version, Workflow};
use crate::pages::not_found::NotFound;

/// The page: only for signed-in users.
#[component]
pub fn ComparePage() -> impl IntoView {
    view! {
        <Title text="Compare versions"/>
        <RequireUser>
            <CompareLoader/>
        </RequireUser>
    }
}

/// Everything the page shows.
#[derive(Clone, Serialize, Deserialize)]
struct Loaded {
    workflow: Workflow,
    from: Version,
    to: Version,
    comparison: Comparison,
    manifests: Result<ManifestComparison, AppError>,
}

/// A version number from the query, or an error that says what to fix.
fn number(value: Option<String>, which: &str) -> Result<u64, AppError> {
    value
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| {
            AppError::BadRequest(format!(
                "The address needs a version number as `{which}`. Pick two versions in the versions panel."
            ))
        })
}

/// Why the page cannot show a comparison: the workflow is not there (or not yours), or the
/// versions asked for are not.
#[derive(Clone, Serialize, Deserialize)]
enum Failure {
    Workflow(AppError),
    Versions(String, AppError),
}

/// Loads everything at once: every server call starts in the first poll, while the page's
/// reactive owner (and with it the request context) is certainly alive during server rendering.
async fn load(id: String, from: Option<String>, to: Option<String>) -> Result<Loaded, Failure> {
    let versions = |error| Failure::Versions(id.clone(), error);
    let (from, to) = match number(from, "from").and_then(|f| Ok((f, number(to, "to")?))) {
        Ok(pair) => pair,
        Err(error) => {
            get_workflow(id.clone()).await.map_err(Failure::Workflow)?;
            return Err(versions(error));
        }
    };
    let (workflow, older, newer, manifests) = futures::join!(
        get_workflow(id.clone()),
        get_version(id.clone(), from),
        get_version(id.clone(), to),
        compare_manifests(id.clone(), from, to),
    );
    let workflow = workflow.map_err(Failure::Workflow)?;
    let (from, to) = (older.map_err(versions)?, newer.map_err(versions)?);
    Ok(Loaded {
        workflow,
        comparison: Comparison::of(&from, &to),
        from,
        to,
        manifests,
    })
}

#[component]
fn CompareLoader() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let loaded = Resource::new_blocking(
        move || {
            let query = query.read();
            (
                params.read().get("id").unwrap_or_default(),
                query.get("from"),
                query.get("to"),
            )
        },
        |(id, from, to)| load(id, from, to),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Comparing…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(loaded) => view! { <Compared loaded/> }.into_any(),
                    Err(Failure::Workflow(AppError::NotFound(_))) => view! { <NotFound/> }.into_any(),
                    Err(Failure::Workflow(AppError::Unauthorized(_))) => view! { <ToLogin/> }.into_any(),
                    Err(Failure::Workflow(error)) => {
                        view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any()
                    }
                    Err(Failure::Versions(id, error)) => view! {
                        <p class="error" role="alert" id="compare-error">{error.to_string()}</p>
                        <p><a href=format!("/workflows/{id}")>"Back to the editor"</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Compared(loaded: Loaded) -> impl IntoView {
    let Loaded {
        workflow,
        from,
        to,
        comparison,
        manifests,
    } = loaded;
    let editor = format!("/workflows/{}", workflow.id);
    let swapped = compare_href(&workflow.id, to.number, from.number);
    let restoring = Var::new(false);
    let navigate = use_navigate();
    let after_restore = {
        let editor = editor.clone();
        Handler::new(move |_| navigate(&editor, Default::default()))
    };
    let (id, older, newer) = (workflow.id.clone(), from.number, to.number);
    view! {
        <section class="page-head page-head-row">
            <div>
                <p class="crumbs">
                    <a href="/workflows">"Workflows"</a> " / " <a href=editor.clone()>{workflow.name.clone()}</a> " /"
                </p>
                <h1 id="compare-title">"Version " {older} " → version " {newer}</h1>
            </div>
            <div class="row-actions">
                <a class="btn btn-ghost btn-small" id="swap-sides" href=swapped>"Swap sides"</a>
                <button type="button" class="btn btn-ghost btn-small" id="restore-from" on:click=listener(move |_| restoring.set(true))>
                    "Restore version " {older}
                </button>
                <a class="btn btn-small" href=editor>"Back to the editor"</a>
            </div>
        </section>
        <Show when=move || restoring.get()>
            <RestoreDialog
                workflow_id=id.clone()
                number=older
                on_done=after_restore
                on_cancel=Handler::new(move |_| restoring.set(false))
            />
        </Show>
        <CompareView from to comparison manifests/>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_numbers_in_the_address_are_checked() {
        assert_eq!(number(Some(" 3 ".into()), "from").ok(), Some(3));
        let missing = number(None, "to");
        assert!(matches!(missing, Err(AppError::BadRequest(m)) if m.contains("`to`")));
        assert!(number(Some("three".into()), "from").is_err());
    }
}
