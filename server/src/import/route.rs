//! `GET /api/import/{id}/events`: the event stream of one of the caller's Git import sessions
//! (`snapshot` first, then `progress`, `log`, `complete`, `failed`; a new subscriber gets the
//! session's events so far, or the snapshot when they are no longer buffered), with
//! `Last-Event-ID` replay and the live events' heartbeat.

use axum::extract::{Path, State};
use axum::response::Response;
use http::HeaderMap;

use crate::api_errors::error_response;
use crate::events::last_event_id::last_event_id;
use crate::events::sse;
use crate::signed_in::SignedIn;
use crate::state::AppState;

/// Streams the session's events; 401 without a session, 404 for a session that is not the
/// caller's.
pub async fn stream(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedIn(session): SignedIn,
    headers: HeaderMap,
) -> Response {
    let entry = match state.imports.entry(&session.user.id, &id) {
        Ok(entry) => entry,
        Err(error) => return error_response(error),
    };
    let view = entry.clone();
    let last = last_event_id(&headers).unwrap_or(entry.start_id);
    let subscription = entry.hub.subscribe(Some(last), move || {
        (
            "snapshot".into(),
            serde_json::to_string(&view.view()).unwrap_or_else(|_| "{}".into()),
        )
    });
    sse::response(
        subscription,
        state.live.config().heartbeat,
        state.shutdown.clone(),
        entry,
    )
}
