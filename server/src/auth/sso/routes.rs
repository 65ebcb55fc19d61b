//! The browser's way to and from a provider (plain redirects, not server functions):
//!
//! - `GET /api/auth/sso/{provider}/login?next=/path` → 303 to the provider;
//! - `POST /api/auth/sso/{provider}/link` (signed in; a form post, so the cross-site write
//!   guard applies) → 303 to the provider;
//! - `GET /api/auth/sso/{provider}/callback?code&state[&iss]` (or `?error&state`) → 303 to
//!   `/auth/complete?code=…` (log in), `/profile?linked=…` (link), or the log-in / profile page
//!   with `sso_error`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use http::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use http::request::Parts;
use http::{HeaderValue, StatusCode};

use app::api::services::AccountService;
use app::components::auth::safe_next;

use super::secrets::binding_of;
use super::service::{problem_url, CallbackParams, Purpose, SsoService};

/// The routes, for any router state.
pub fn routes<S: Clone + Send + Sync + 'static>(sso: Arc<SsoService>) -> Router<S> {
    Router::new()
        .route("/api/auth/sso/{provider}/login", get(login))
        .route("/api/auth/sso/{provider}/link", post(link))
        .route("/api/auth/sso/{provider}/callback", get(callback))
        .with_state(sso)
}

/// The query's values for `key`, first one.
fn param(query: &Option<String>, key: &str) -> Option<String> {
    let query = query.as_deref()?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

async fn login(
    State(sso): State<Arc<SsoService>>,
    Path(provider): Path<String>,
    RawQuery(query): RawQuery,
    parts: Parts,
) -> Response {
    let purpose = Purpose::Login {
        next: safe_next(param(&query, "next")),
    };
    match sso
        .start(&provider, purpose, binding_of(&parts.headers))
        .await
    {
        Ok(started) => see_other(started.location.as_str(), Some(&started.set_cookie)),
        Err(failure) => see_other(&problem_url("/login", &provider, &failure), None),
    }
}

async fn link(
    State(sso): State<Arc<SsoService>>,
    Path(provider): Path<String>,
    parts: Parts,
) -> Response {
    let session = match sso.accounts.session(&parts).await {
        Ok(Some(session)) => session,
        _ => return see_other("/login?next=/profile", None),
    };
    let purpose = Purpose::Link {
        user_id: session.user.id,
    };
    match sso
        .start(&provider, purpose, binding_of(&parts.headers))
        .await
    {
        Ok(started) => see_other(started.location.as_str(), Some(&started.set_cookie)),
        Err(failure) => see_other(&problem_url("/profile", &provider, &failure), None),
    }
}

async fn callback(
    State(sso): State<Arc<SsoService>>,
    Path(provider): Path<String>,
    RawQuery(query): RawQuery,
    parts: Parts,
) -> Response {
    let params = CallbackParams {
        code: param(&query, "code"),
        state: param(&query, "state"),
        error: param(&query, "error"),
        iss: param(&query, "iss"),
    };
    let location = sso
        .callback(&provider, params, binding_of(&parts.headers), &parts)
        .await;
    see_other(&location, None)
}

/// A 303 to `location` that no cache keeps, optionally setting a cookie.
fn see_other(location: &str, set_cookie: Option<&str>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(location) {
        headers.insert(LOCATION, value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    if let Some(Ok(cookie)) = set_cookie.map(HeaderValue::from_str) {
        headers.insert(SET_COOKIE, cookie);
    }
    response
}
