//! Cross-site request refusal for the API (spec §12, with the SameSite=Lax session cookie).
//!
//! A request that changes something (any method but GET/HEAD/OPTIONS) to `/api/…` is refused
//! with 403 when the browser says it comes from another site: `Sec-Fetch-Site: cross-site`, or an
//! `Origin` whose host differs from `Host` (or `X-Forwarded-Host`). Clients that are not browsers send neither header and
//! are unaffected.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, Method, StatusCode};

use app::error::AppError;

/// The middleware.
pub async fn same_site_only(request: Request, next: Next) -> Response {
    if is_cross_site_write(&request) {
        let error = AppError::Forbidden(
            "Requests from other sites are not allowed. Use the KubeOrch app itself.".into(),
        );
        let body = serde_json::to_string(&error).unwrap_or_default();
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    next.run(request).await
}

fn is_cross_site_write(request: &Request) -> bool {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || !request.uri().path().starts_with("/api/") {
        return false;
    }
    let headers = request.headers();
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if text("sec-fetch-site") == Some("cross-site") {
        return true;
    }
    let Some(origin) = text("origin") else {
        return false;
    };
    // Behind a reverse proxy that rewrites Host, the public host is in X-Forwarded-Host (a
    // header a cross-site page cannot add without a CORS preflight, which is never granted).
    let from = origin_host(origin);
    ![text("host"), text("x-forwarded-host")]
        .into_iter()
        .flatten()
        .any(|host| Some(host) == from)
}

/// `host[:port]` of an origin such as `https://example.com:8443`.
fn origin_host(origin: &str) -> Option<&str> {
    origin
        .split_once("://")
        .map(|(_, rest)| rest.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut builder = http::Request::builder()
            .method(Method::POST)
            .uri("/api/workflows/delete");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(axum::body::Body::empty()).expect("request")
    }

    #[test]
    fn only_cross_site_writes_are_refused() {
        assert!(!is_cross_site_write(&post(&[])), "API clients");
        assert!(!is_cross_site_write(&post(&[
            ("host", "a.test:3000"),
            ("origin", "http://a.test:3000")
        ])));
        assert!(is_cross_site_write(&post(&[
            ("host", "a.test:3000"),
            ("origin", "https://evil.test")
        ])));
        assert!(is_cross_site_write(&post(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        let get = http::Request::builder()
            .uri("/api/workflows/list")
            .header("origin", "https://evil.test")
            .body(axum::body::Body::empty())
            .expect("request");
        assert!(!is_cross_site_write(&get));
    }
}
