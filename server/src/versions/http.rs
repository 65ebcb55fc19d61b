//! `GET /api/workflows/{id}/versions/compare?from=A&to=B`: the compare endpoint at the path the
//! spec gives it (the pages call the same service through the `workflows/versions/compare`
//! server function). Same session rules, same JSON, same errors.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::request::Parts;
use serde::Deserialize;

use app::api::services::require_session;
use app::error::AppError;

use crate::api_errors::error_response;
use crate::state::AppState;

/// The query string.
#[derive(Debug, Deserialize)]
pub struct CompareQuery {
    /// The older version.
    pub from: u64,
    /// The newer version.
    pub to: u64,
}

/// The handler.
pub async fn compare(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<CompareQuery>, QueryRejection>,
    parts: Parts,
) -> Response {
    let result = async {
        let Query(query) = query.map_err(|e| {
            AppError::BadRequest(format!(
                "Give two version numbers as `?from=…&to=…` ({}).",
                e.body_text()
            ))
        })?;
        let session = require_session(state.services.accounts.as_ref(), &parts).await?;
        state
            .services
            .versions
            .compare(&session, &id, query.from, query.to)
            .await
    }
    .await;
    match result {
        Ok(comparison) => Json(comparison).into_response(),
        Err(error) => error_response(error),
    }
}
