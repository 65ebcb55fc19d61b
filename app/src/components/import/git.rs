//! The progress of a Git import: a progress bar and the log, fed by the session's event stream
//! (read by [`ImportProgress`]); on completion the session's analysis is loaded. The stream is
//! closed once the import is over (the browser would otherwise reconnect to it).

use crate::components::dynamic::dynamic;
use crate::components::var::Var;
use leptos::prelude::*;

use crate::model::import::progress::ImportProgress;
use crate::model::import::Analysis;

/// Follows session `id`; fills `analysis` (and `candidates`) on completion, `error` on failure.
#[component]
pub fn GitProgress(
    id: String,
    analysis: Var<Option<Analysis>>,
    error: Var<Option<String>>,
    candidates: Var<Vec<String>>,
) -> impl IntoView {
    let progress = Var::new(ImportProgress::default());

    #[cfg(feature = "hydrate")]
    {
        use crate::api::import::get_import_session;
        use crate::client::sse::{follow, SseState};
        use crate::model::import::progress::Next;
        use leptos::task::spawn_local;
        let url = format!("/api/import/{id}/events");
        let id = id.clone();
        let show_error = move || {
            if let Some(e) = progress.with_untracked(|p| p.error.clone()) {
                error.set(Some(e));
            }
        };
        let on_message = move |m: crate::client::sse::SseMessage| {
            let next = progress.try_update(|p| p.apply(&m.event, &m.data));
            show_error();
            if next == Some(Next::Load) {
                let id = id.clone();
                spawn_local(async move {
                    match get_import_session(id).await {
                        Ok(session) => {
                            candidates.set(session.candidates);
                            analysis.set(session.analysis);
                        }
                        Err(e) => error.set(Some(e.to_string())),
                    }
                });
            }
        };
        let on_state = move |state| {
            if state == SseState::Closed {
                progress.update(ImportProgress::disconnected);
                show_error();
            }
        };
        follow(
            url,
            &["snapshot", "progress", "log", "complete", "failed"],
            on_message,
            on_state,
            move || progress.with(|p| p.over),
        );
    }
    let _ = (&id, analysis, candidates, error);

    view! {
        <div class="import-progress" id="import-git-progress">
            <progress id="import-progress" max="100" value=dynamic(move || progress.with(|p| p.percent.to_string()))></progress>
            <span class="small" id="import-progress-message">{dynamic(move || progress.with(|p| p.message.clone()))}</span>
            <details class="small">
                <summary>"Log"</summary>
                <pre id="import-log">{dynamic(move || progress.with(|p| p.log.join("\n")))}</pre>
            </details>
        </div>
    }
}
