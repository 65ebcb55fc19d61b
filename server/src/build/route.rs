//! `GET /api/builds/{id}/events`: the event stream of one of the caller's builds (`progress`,
//! `log`, `complete`, `failed`; see `docs/api.md`). Every event from the first is sent (or those
//! after `Last-Event-ID`); the stream ends after the build's last event.

use axum::extract::{Path, State};
use axum::response::Response;
use http::HeaderMap;

use app::error::AppError;

use crate::api_errors::error_response;
use crate::events::last_event_id::last_event_id;
use crate::events::sse;
use crate::signed_in::SignedIn;
use crate::state::AppState;

/// Streams the build's events; 401 without a session, 404 for a build that is not the caller's.
pub async fn stream(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedIn(session): SignedIn,
    headers: HeaderMap,
) -> Response {
    let build = match state.services.builds.get(&session, &id).await {
        Ok(build) => build,
        Err(error) => return error_response(error),
    };
    match state
        .build_feeds
        .subscribe(&build, last_event_id(&headers))
        .await
    {
        Ok(subscription) => sse::response(
            subscription,
            state.config.heartbeat(),
            state.shutdown.clone(),
            (),
        ),
        Err(error) => {
            tracing::error!("builds: cannot read the events of {id}: {error}");
            error_response(AppError::internal())
        }
    }
}
