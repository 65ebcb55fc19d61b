//! A page address with a trailing slash (`/workflows/`) is redirected to the address without it
//! (308, query kept), so every page has one address and the server answers it with the page's
//! own status instead of the not-found fallback's 404. The API (`/api/…`) and static files are
//! left as they are.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::Method;

/// The middleware.
pub async fn redirect(request: Request, next: Next) -> Response {
    let page_read = matches!(*request.method(), Method::GET | Method::HEAD);
    if page_read {
        if let Some(to) = target(request.uri().path(), request.uri().query()) {
            return Redirect::permanent(&to).into_response();
        }
    }
    next.run(request).await
}

/// Where `path` (with `query`) redirects to: `None` when it has no trailing slash, is the root,
/// is under `/api/` or `/pkg/`, or would become a protocol-relative address (`//host`).
fn target(path: &str, query: Option<&str>) -> Option<String> {
    if path == "/" || !path.ends_with('/') || path.starts_with("/api/") || path.starts_with("/pkg/")
    {
        return None;
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() || trimmed.starts_with("//") {
        return None;
    }
    Some(match query {
        Some(query) => format!("{trimmed}?{query}"),
        None => trimmed.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::target;

    #[test]
    fn pages_lose_their_trailing_slash_and_keep_their_query() {
        assert_eq!(target("/workflows/", None).as_deref(), Some("/workflows"));
        assert_eq!(
            target("/workflows/abc//", Some("x=1&y=2")).as_deref(),
            Some("/workflows/abc?x=1&y=2")
        );
        assert_eq!(target("/login/", Some("")).as_deref(), Some("/login?"));
    }

    #[test]
    fn other_addresses_are_left_alone() {
        for path in [
            "/",
            "//",
            "/workflows",
            "/api/workflows/",
            "/pkg/x/",
            "//evil.example/",
        ] {
            assert_eq!(target(path, None), None, "{path}");
        }
    }
}
