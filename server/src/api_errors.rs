//! Gives server-function errors the right HTTP status even when our code never ran: a body that
//! does not parse is reported by the framework as a 500 carrying an [`AppError`] (`bad_request`);
//! this turns it into the status the error stands for. Plain routes answer errors the same way
//! through [`error_response`].

use axum::body::{to_bytes, Body};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;

use app::error::AppError;

/// Largest error body read back.
const MAX_ERROR_BYTES: usize = 64 * 1024;

/// The JSON answer of a plain route for `error`, with the status it stands for.
pub fn error_response(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(error)).into_response()
}

/// Rewrites a framework 500 to the status of the [`AppError`] in its body.
pub async fn fix_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_ERROR_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
