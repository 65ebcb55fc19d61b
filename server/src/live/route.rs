//! `GET /api/workflows/{id}/events`: the live event stream of one of the caller's workflows
//! (`snapshot`, `node_update`, `run_update`, `workflow_saved`; see `docs/api.md`).

use axum::extract::{Path, Request, State};
use axum::response::Response;

use app::api::services::require_session;

use crate::api_errors::error_response;
use crate::events::last_event_id::last_event_id;
use crate::events::sse;
use crate::state::AppState;

/// Streams the workflow's events; 401 without a session, 404 for a workflow that is not the
/// caller's.
pub async fn stream(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let session = match require_session(state.services.accounts.as_ref(), &parts).await {
        Ok(session) => session,
        Err(error) => return error_response(error),
    };
    if let Err(error) = state.services.workflows.get(&session, &id).await {
        return error_response(error);
    }
    let (hub, viewer) = state.live.open(&session.user.id, &id).await;
    let subscription = hub.subscribe(last_event_id(&parts.headers));
    sse::response(
        subscription,
        state.live.config().heartbeat,
        state.shutdown.clone(),
        viewer,
    )
}
