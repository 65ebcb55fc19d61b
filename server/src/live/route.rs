//! `GET /api/workflows/{id}/events`: the live event stream of one of the caller's workflows
//! (`snapshot`, `node_update`, `run_update`, `workflow_saved`; see `docs/api.md`).

use axum::extract::{Path, State};
use axum::response::Response;
use http::HeaderMap;

use crate::api_errors::error_response;
use crate::events::last_event_id::last_event_id;
use crate::events::sse;
use crate::signed_in::SignedIn;
use crate::state::AppState;

/// Streams the workflow's events; 401 without a session, 404 for a workflow that is not the
/// caller's.
pub async fn stream(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedIn(session): SignedIn,
    headers: HeaderMap,
) -> Response {
    if let Err(error) = state.services.workflows.get(&session, &id).await {
        return error_response(error);
    }
    let (hub, viewer) = state.live.open(&session.user.id, &id).await;
    let subscription = hub.subscribe(last_event_id(&headers));
    sse::response(
        subscription,
        state.live.config().heartbeat,
        state.shutdown.clone(),
        viewer,
    )
}
