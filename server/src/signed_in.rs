//! The caller's session as an extractor for plain (non-server-function) routes.

use axum::extract::FromRequestParts;
use axum::response::Response;
use http::request::Parts;

use app::api::services::{require_session, Session};

use crate::api_errors::error_response;
use crate::state::AppState;

/// The caller's session; without one the route answers 401 with the JSON error.
pub struct SignedIn(pub Session);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        require_session(state.services.accounts.as_ref(), parts)
            .await
            .map(SignedIn)
            .map_err(error_response)
    }
}
