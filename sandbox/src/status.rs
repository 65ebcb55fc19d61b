//! Kubernetes `Status` errors, shaped exactly like the real API server's, so that kube-rs decodes
//! them into `kube::Error::Api` and kubectl prints their message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::discovery::ResourceDef;

/// An API error answered as a `Status` object with the matching HTTP code.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code} {reason}: {message}")]
pub struct ApiError {
    /// HTTP status code (also `Status.code`).
    pub code: u16,
    /// Machine-readable reason, e.g. `NotFound`, `Conflict`, `Invalid`.
    pub reason: &'static str,
    /// Human-readable message.
    pub message: String,
    /// `Status.details`, when the error concerns one object.
    pub details: Option<Value>,
}

impl ApiError {
    fn new(code: u16, reason: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            reason,
            message: message.into(),
            details: None,
        }
    }

    fn with_details(mut self, res: &ResourceDef, name: &str, causes: Option<Value>) -> Self {
        let mut details = json!({"name": name, "group": res.group, "kind": res.plural});
        if let Some(causes) = causes {
            details["causes"] = causes;
        }
        self.details = Some(details);
        self
    }

    /// 400: the request itself is malformed.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }

    /// 404 for an object of `res`.
    pub fn not_found(res: &ResourceDef, name: &str) -> Self {
        Self::new(
            404,
            "NotFound",
            format!("{} \"{name}\" not found", res.qualified()),
        )
        .with_details(res, name, None)
    }

    /// 404 for a path that names no resource.
    pub fn no_route(path: &str) -> Self {
        Self::new(
            404,
            "NotFound",
            format!("the server could not find the requested resource ({path})"),
        )
    }

    /// 409 AlreadyExists on create.
    pub fn already_exists(res: &ResourceDef, name: &str) -> Self {
        Self::new(
            409,
            "AlreadyExists",
            format!("{} \"{name}\" already exists", res.qualified()),
        )
        .with_details(res, name, None)
    }

    /// 409 Conflict for a stale resourceVersion or uid precondition.
    pub fn conflict(res: &ResourceDef, name: &str, why: &str) -> Self {
        Self::new(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} \"{name}\": {why}",
                res.qualified()
            ),
        )
        .with_details(res, name, None)
    }

    /// 409 Conflict from server-side apply: `conflicts` are (manager, field path) pairs.
    pub fn apply_conflicts(
        res: &ResourceDef,
        name: &str,
        api_version: &str,
        conflicts: &[(String, String)],
    ) -> Self {
        let n = conflicts.len();
        let plural = if n == 1 { "conflict" } else { "conflicts" };
        let list: Vec<String> = conflicts
            .iter()
            .map(|(m, f)| format!("conflict with \"{m}\" using {api_version}: {f}"))
            .collect();
        let causes: Vec<Value> = conflicts
            .iter()
            .map(|(m, f)| {
                json!({"type": "FieldManagerConflict", "message": format!("conflict with \"{m}\" using {api_version}"), "field": f})
            })
            .collect();
        Self::new(
            409,
            "Conflict",
            format!("Apply failed with {n} {plural}: {}", list.join("\n")),
        )
        .with_details(res, name, Some(Value::Array(causes)))
    }

    /// 422 Invalid: `field` holds `value`, which breaks `rule`.
    pub fn invalid(res: &ResourceDef, name: &str, field: &str, value: &str, rule: &str) -> Self {
        let kind = match res.group {
            "" => res.kind.to_string(),
            g => format!("{}.{g}", res.kind),
        };
        let cause = format!("Invalid value: \"{value}\": {rule}");
        Self::new(
            422,
            "Invalid",
            format!("{kind} \"{name}\" is invalid: {field}: {cause}"),
        )
        .with_details(
            res,
            name,
            Some(json!([{"reason": "FieldValueInvalid", "message": cause, "field": field}])),
        )
    }

    /// 405 for a verb the resource does not support.
    pub fn method_not_allowed(what: &str) -> Self {
        Self::new(
            405,
            "MethodNotAllowed",
            format!("the server does not allow this method on the requested resource ({what})"),
        )
    }

    /// 415 for an unknown patch content type.
    pub fn unsupported_media_type(ct: &str) -> Self {
        Self::new(415, "UnsupportedMediaType", format!("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got {ct:?})"))
    }

    /// 415 for protobuf or CBOR bodies (kubectl's imperative `create <kind>` sends protobuf).
    pub fn protobuf_unsupported(ct: &str) -> Self {
        Self::new(
            415,
            "UnsupportedMediaType",
            format!("the sandbox API server accepts JSON and YAML bodies only, not {ct:?}: write a manifest and use kubectl apply -f (or create -f) instead of kubectl create <kind>"),
        )
    }

    /// 410 Expired: the resource version is older than the retained history.
    pub fn expired(message: impl Into<String>) -> Self {
        Self::new(410, "Expired", message)
    }

    /// 503: the injected API outage.
    pub fn unavailable() -> Self {
        Self::new(
            503,
            "ServiceUnavailable",
            "the sandbox API server is unavailable (injected outage)",
        )
    }

    /// 500 with an injected or internal cause.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "InternalError", message)
    }

    /// An injected failure with an arbitrary code.
    pub fn injected(code: u16, message: impl Into<String>) -> Self {
        let reason = match code {
            400 => "BadRequest",
            403 => "Forbidden",
            409 => "Conflict",
            422 => "Invalid",
            429 => "TooManyRequests",
            503 => "ServiceUnavailable",
            504 => "Timeout",
            _ => "InternalError",
        };
        Self::new(code, reason, message)
    }

    /// The `Status` object for this error.
    pub fn to_status(&self) -> Value {
        let mut status = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        if let Some(details) = &self.details {
            status["details"] = details.clone();
        }
        status
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = StatusCode::from_u16(self.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (code, axum::Json(self.to_status())).into_response()
    }
}

/// Result of an API operation.
pub type ApiResult<T> = Result<T, ApiError>;
