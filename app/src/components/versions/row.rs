//! One version in the versions panel.

use crate::components::derived::Derived;
use crate::components::dynamic::{dynamic, listener};
use crate::components::handler::Handler;
use leptos::prelude::*;

use super::kind_label;
use crate::api::versions::VersionSummary;
use crate::components::format::short_time;
use crate::components::run::badge::run_label;
use crate::model::RunState;

/// A version: number, kind, tag, message, author and time, and for deploys the run's result; a
/// box to pick it for comparing, a restore button and (in the editor) a redeploy button.
#[component]
pub fn VersionRow(
    version: VersionSummary,
    /// Whether it is picked for comparing.
    #[prop(into)]
    picked: Derived<bool>,
    /// Picks or unpicks it.
    on_pick: Handler<u64>,
    /// Asks to restore it.
    on_restore: Handler<u64>,
    /// Asks to restore and run it (absent: no redeploy button).
    #[prop(optional_no_strip)]
    on_redeploy: Option<Handler<u64>>,
    /// The result of the run that deployed it, when known.
    #[prop(into)]
    run: Derived<Option<RunState>>,
) -> impl IntoView {
    let VersionSummary {
        number,
        created_at,
        author_name,
        kind,
        message,
        tag,
        restored_from,
        deployed,
        ..
    } = version;
    let kind_name = kind.as_str();
    let author = if author_name.is_empty() {
        "a removed user".to_string()
    } else {
        author_name
    };
    // One text node: adjacent texts merge in the server's HTML and then fail to hydrate.
    let origin = restored_from
        .map(|n| format!(" · from v{n}"))
        .unwrap_or_default();
    let meta = format!("{author} · {}{origin}", short_time(created_at));
    let no_message = message.is_empty();
    let message = if no_message {
        "(no message)".to_string()
    } else {
        message
    };
    view! {
        <li class="version-row" class:picked=dynamic(move || picked.get()) data-number=number data-kind=kind_name>
            <input
                type="checkbox"
                class="version-pick"
                aria-label=format!("Pick version {number} to compare")
                prop:checked=dynamic(move || picked.get())
                on:change=listener(move |_| on_pick.run(number))
            />
            <div class="version-main">
                <div class="version-line">
                    <span class="version-number">"v" {number}</span>
                    <span class=format!("version-kind kind-{kind_name}")>{kind_label(kind)}</span>
                    {deployed.then(|| view! { <span class="version-deployed" title="Deployed by a run">"deployed"</span> })}
                    <span
                        class=dynamic(move || run.get().map_or("version-run live-badge".to_string(), |state| format!("version-run live-badge {}", run_label(state).1)))
                        data-run-state=dynamic(move || run.get().map(|state| state.as_str()))
                        hidden=dynamic(move || run.get().is_none())
                    >
                        {dynamic(move || run.get().map(|state| run_label(state).0).unwrap_or_default())}
                    </span>
                    {tag.map(|tag| view! { <span class="version-tag">{tag}</span> })}
                </div>
                <div class="version-message" class:muted=no_message>{message}</div>
                <div class="muted small">{meta}</div>
            </div>
            <button
                type="button"
                class="btn btn-ghost btn-small version-restore"
                title=format!("Make version {number} the working copy again")
                on:click=listener(move |_| on_restore.run(number))
            >
                "Restore"
            </button>
            <button
                type="button"
                class="btn btn-ghost btn-small version-redeploy"
                title=format!("Restore version {number}, then review and run it")
                hidden=on_redeploy.is_none()
                on:click=listener(move |_| {
                    if let Some(redeploy) = on_redeploy {
                        redeploy.run(number);
                    }
                })
            >
                "Redeploy"
            </button>
        </li>
    }
}
