//! The one error type server functions return, shared by the server and the browser.
//!
//! Each variant maps to an HTTP status (see [`AppError::status`]) and carries a message written
//! for the user: it says what went wrong and what to do about it, and never contains secrets or
//! internals. On the wire it is JSON: `{"code": "not_found", "message": "…"}` (plus
//! `retry_after_secs` for `rate_limited`). Server functions wrap their body in [`respond`] so the
//! HTTP status (and `Retry-After`) follow the error when they are called as `/api/…` endpoints.

use crate::api::text_json::TextJsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What went wrong, in terms a user (or an API client) can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(into = "WireError", from = "WireError")]
pub enum AppError {
    /// 400: the request is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// 401: not signed in, or the sign-in failed.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: signed in, but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such thing (or not yours).
    #[error("{0}")]
    NotFound(String),
    /// 409: conflicts with existing data.
    #[error("{0}")]
    Conflict(String),
    /// 413: too big.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 422: well-formed but invalid; the message names the field and the rule.
    #[error("{0}")]
    Invalid(String),
    /// 429: too many attempts; try again after the given number of seconds.
    #[error("Too many attempts. Try again in {}.", wait_text(*.retry_after_secs))]
    RateLimited {
        /// Seconds until the next attempt can succeed.
        retry_after_secs: u64,
    },
    /// 500 (or the server could not be reached): not the user's fault.
    #[error("{0}")]
    Internal(String),
}

fn wait_text(secs: u64) -> String {
    match secs {
        0 | 1 => "a second".to_string(),
        2..=90 => format!("{secs} seconds"),
        _ => format!("{} minutes", secs.div_ceil(60)),
    }
}

impl AppError {
    /// The HTTP status code for this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::BadRequest(_) => 400,
            AppError::Unauthorized(_) => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) => 409,
            AppError::PayloadTooLarge(_) => 413,
            AppError::Invalid(_) => 422,
            AppError::RateLimited { .. } => 429,
            AppError::Internal(_) => 500,
        }
    }

    /// The stable machine-readable code (`not_found`, `rate_limited`, …).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::Invalid(_) => "invalid",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Internal(_) => "internal",
        }
    }

    /// True for "not signed in" (pages redirect to the log-in page).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, AppError::Unauthorized(_))
    }

    /// The generic "something broke on our side" error; the details go to the server log only.
    pub fn internal() -> Self {
        AppError::Internal("Something went wrong on the server. Please try again.".into())
    }

    /// "Sign in first."
    pub fn signed_out() -> Self {
        AppError::Unauthorized("Please log in to continue.".into())
    }
}

/// The JSON form of an [`AppError`].
#[derive(Clone, Debug, Serialize, Deserialize)]
struct WireError {
    code: String,
    message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retry_after_secs: Option<u64>,
}

impl From<AppError> for WireError {
    fn from(error: AppError) -> Self {
        let retry_after_secs = match error {
            AppError::RateLimited { retry_after_secs } => Some(retry_after_secs),
            _ => None,
        };
        WireError {
            code: error.code().to_string(),
            message: error.to_string(),
            retry_after_secs,
        }
    }
}

impl From<WireError> for AppError {
    fn from(wire: WireError) -> Self {
        let message = wire.message;
        match wire.code.as_str() {
            "bad_request" => AppError::BadRequest(message),
            "unauthorized" => AppError::Unauthorized(message),
            "forbidden" => AppError::Forbidden(message),
            "not_found" => AppError::NotFound(message),
            "conflict" => AppError::Conflict(message),
            "payload_too_large" => AppError::PayloadTooLarge(message),
            "invalid" => AppError::Invalid(message),
            "rate_limited" => AppError::RateLimited {
                retry_after_secs: wire.retry_after_secs.unwrap_or(1),
            },
            _ => AppError::Internal(message),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = TextJsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(e) | ServerFnErrorErr::MissingArg(e) => {
                AppError::BadRequest(format!("The request is not valid: {e}"))
            }
            // On the server, this is the request body that did not parse.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(e) => AppError::BadRequest(format!(
                "The request is not valid JSON of the expected shape: {e}"
            )),
            ServerFnErrorErr::Request(_) => AppError::Internal(
                "Cannot reach the server. Check your connection and try again.".into(),
            ),
            _ => AppError::internal(),
        }
    }
}

/// Runs a server function body; on error, sets the HTTP status (and `Retry-After`) of the
/// `/api/…` response. During server-side rendering the page's own status is left alone.
#[cfg(feature = "ssr")]
pub async fn respond<T>(
    body: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let result = body.await;
    if let Err(error) = &result {
        set_response_status(error);
    }
    result
}

#[cfg(feature = "ssr")]
fn set_response_status(error: &AppError) {
    use leptos::prelude::use_context;
    let is_api_call = use_context::<http::request::Parts>()
        .is_some_and(|parts| parts.uri.path().starts_with("/api/"));
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    if !is_api_call {
        return;
    }
    if let Ok(status) = http::StatusCode::from_u16(error.status()) {
        response.set_status(status);
    }
    if let AppError::RateLimited { retry_after_secs } = error {
        response.insert_header(http::header::RETRY_AFTER, (*retry_after_secs).into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_round_trip_through_json_with_stable_codes() {
        let errors = [
            AppError::NotFound("No such workflow.".into()),
            AppError::RateLimited {
                retry_after_secs: 42,
            },
            AppError::Invalid("Name must be 1–100 characters.".into()),
        ];
        for error in errors {
            let json = serde_json::to_value(&error).expect("serialises");
            assert_eq!(json["code"], error.code());
            let back: AppError = serde_json::from_value(json).expect("parses");
            assert_eq!(back, error);
        }
        let limited = serde_json::to_value(AppError::RateLimited {
            retry_after_secs: 42,
        })
        .expect("serialises");
        assert_eq!(limited["retry_after_secs"], 42);
        assert_eq!(
            limited["message"],
            "Too many attempts. Try again in 42 seconds."
        );
    }

    #[test]
    fn statuses_match_the_kinds() {
        assert_eq!(AppError::signed_out().status(), 401);
        assert_eq!(AppError::PayloadTooLarge(String::new()).status(), 413);
        assert_eq!(AppError::internal().status(), 500);
    }
}
