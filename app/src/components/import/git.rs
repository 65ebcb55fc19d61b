//! The progress of a Git import: a progress bar and the log, fed by the session's event stream
//! (`progress`, `log`, `complete`, `failed`); on `complete` the session's analysis is loaded. The
//! stream is closed once the import is over (the browser would otherwise reconnect to it).

use leptos::prelude::*;

use crate::model::import::Analysis;

/// Follows session `id`; fills `analysis` (and `candidates`) on completion, `error` on failure.
#[component]
pub fn GitProgress(
    id: String,
    analysis: RwSignal<Option<Analysis>>,
    error: RwSignal<Option<String>>,
    candidates: RwSignal<Vec<String>>,
) -> impl IntoView {
    let percent = RwSignal::new(0u8);
    let message = RwSignal::new(String::from("Starting…"));
    let log = RwSignal::new(Vec::<String>::new());
    let over = RwSignal::new(false);

    #[cfg(feature = "hydrate")]
    {
        use crate::api::import::get_import_session;
        use crate::client::sse::{follow, SseState};
        use leptos::task::spawn_local;
        let url = format!("/api/import/{id}/events");
        let id = id.clone();
        let on_message = move |m: crate::client::sse::SseMessage| {
            let data: serde_json::Value = serde_json::from_str(&m.data).unwrap_or_default();
            match m.event.as_str() {
                "progress" => {
                    percent.set(data["percent"].as_u64().unwrap_or(0).min(100) as u8);
                    message.set(data["message"].as_str().unwrap_or_default().to_string());
                }
                "log" => {
                    log.update(|l| l.push(data["line"].as_str().unwrap_or_default().to_string()))
                }
                "snapshot" => {
                    percent.set(data["progress"].as_u64().unwrap_or(0).min(100) as u8);
                    if let Some(lines) = data["log"].as_array() {
                        log.set(
                            lines
                                .iter()
                                .filter_map(|l| l.as_str().map(String::from))
                                .collect(),
                        );
                    }
                    if data["state"] == "failed" {
                        error.set(data["error"].as_str().map(String::from));
                        over.set(true);
                    }
                }
                "failed" => {
                    message.set("Failed".into());
                    error.set(data["message"].as_str().map(String::from));
                    over.set(true);
                }
                _ => {}
            }
            if m.event == "complete" || (m.event == "snapshot" && data["state"] == "completed") {
                percent.set(100);
                message.set("Done".into());
                over.set(true);
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
            if state == SseState::Closed && !over.get_untracked() {
                message.set("Disconnected".into());
                error.set(Some(
                    "Lost the connection to the import's progress. Start the import again.".into(),
                ));
                over.set(true);
            }
        };
        follow(
            url,
            &["snapshot", "progress", "log", "complete", "failed"],
            on_message,
            on_state,
            move || over.get(),
        );
    }
    let _ = (&id, analysis, candidates, error, over);

    view! {
        <div class="import-progress" id="import-git-progress">
            <progress id="import-progress" max="100" value=move || percent.get().to_string()></progress>
            <span class="small" id="import-progress-message">{move || message.get()}</span>
            <details class="small">
                <summary>"Log"</summary>
                <pre id="import-log">{move || log.get().join("\n")}</pre>
            </details>
        </div>
    }
}
