//! The double's HTTP endpoints.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD as B64};
use base64::Engine;
use rand::RngCore;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{Behaviour, Grant, IdpState, Tamper, CLIENT_ID, CLIENT_SECRET};

type Shared = Arc<Mutex<IdpState>>;
type Params = HashMap<String, String>;

/// All endpoints.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/authorize", get(authorize_oidc))
        .route("/token", post(token_oidc))
        .route("/userinfo", get(userinfo))
        .route("/login/oauth/authorize", get(authorize_github))
        .route("/login/oauth/access_token", post(token_github))
        .route("/api/user", get(github_user))
        .route("/api/user/emails", get(github_emails))
        .with_state(state)
}

fn random() -> String {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    B64.encode(bytes)
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn oauth_error(code: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": code }))).into_response()
}

async fn discovery(State(state): State<Shared>) -> Json<Value> {
    let base = state.lock().map(|s| s.base.clone()).unwrap_or_default();
    Json(json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "userinfo_endpoint": format!("{base}/userinfo"),
        "jwks_uri": format!("{base}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "code_challenge_methods_supported": ["S256"],
    }))
}

async fn jwks(State(state): State<Shared>) -> Json<Value> {
    Json(state.lock().map(|s| s.keys.jwks()).unwrap_or_default())
}

async fn authorize_oidc(state: State<Shared>, query: Query<Params>) -> Response {
    authorize(state, query, true)
}

async fn authorize_github(state: State<Shared>, query: Query<Params>) -> Response {
    authorize(state, query, false)
}

/// Grants at once (no login page) if the request is well-formed, PKCE S256 included.
fn authorize(State(state): State<Shared>, Query(query): Query<Params>, oidc: bool) -> Response {
    let Ok(mut state) = state.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    state.authorize_requests.push(query.clone());
    let get = |key: &str| query.get(key).cloned().unwrap_or_default();
    let well_formed = get("response_type") == "code"
        && get("client_id") == CLIENT_ID
        && get("code_challenge_method") == "S256"
        && !get("code_challenge").is_empty()
        && !get("state").is_empty()
        && (!oidc || get("scope").split(' ').any(|s| s == "openid"));
    if !well_formed {
        return (StatusCode::BAD_REQUEST, "malformed authorization request").into_response();
    }
    let code = random();
    let grant = Grant {
        redirect_uri: get("redirect_uri"),
        nonce: query.get("nonce").cloned(),
        challenge: get("code_challenge"),
        subject: state.behaviour.subject.clone(),
    };
    state.codes.insert(code.clone(), grant);
    let mut back = url::Url::parse(&get("redirect_uri")).expect("redirect_uri is a URL");
    back.query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &get("state"));
    if oidc {
        back.query_pairs_mut().append_pair("iss", &state.base);
    }
    Redirect::to(back.as_str()).into_response()
}

/// Client credentials from HTTP Basic or the form.
fn client_ok(headers: &HeaderMap, form: &Params) -> bool {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|v| STANDARD.decode(v).ok())
        .and_then(|v| String::from_utf8(v).ok());
    let expected = format!("{CLIENT_ID}:{CLIENT_SECRET}");
    basic.as_deref() == Some(expected.as_str())
        || (form.get("client_id").map(String::as_str) == Some(CLIENT_ID)
            && form.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET))
}

/// Redeems a code once, checking client, redirect URI and the PKCE verifier.
fn redeem(state: &mut IdpState, headers: &HeaderMap, form: &Params) -> Result<Grant, &'static str> {
    let get = |key: &str| form.get(key).cloned().unwrap_or_default();
    let grant = state.codes.remove(&get("code"));
    let verifier_hash = B64.encode(Sha256::digest(get("code_verifier").as_bytes()));
    let valid = grant.as_ref().is_some_and(|g| {
        get("grant_type") == "authorization_code"
            && g.redirect_uri == get("redirect_uri")
            && g.challenge == verifier_hash
    });
    if !client_ok(headers, form) {
        state.refused_token_requests += 1;
        return Err("invalid_client");
    }
    match grant {
        Some(grant) if valid => Ok(grant),
        _ => {
            state.refused_token_requests += 1;
            Err("invalid_grant")
        }
    }
}

fn id_token(state: &IdpState, grant: &Grant, b: &Behaviour) -> String {
    let at = now();
    let mut claims = json!({
        "iss": if b.tamper == Tamper::WrongIssuer { "http://127.0.0.1:1/other".to_string() } else { state.base.clone() },
        "sub": grant.subject,
        "aud": if b.tamper == Tamper::WrongAudience { "someone-else" } else { CLIENT_ID },
        "iat": if b.tamper == Tamper::Expired { at - 600 } else { at },
        "exp": if b.tamper == Tamper::Expired { at - 300 } else { at + 300 },
        "nonce": if b.tamper == Tamper::WrongNonce { Some("not-the-nonce".to_string()) } else { grant.nonce.clone() },
        "name": b.name,
    });
    if b.email_in_id_token {
        claims["email"] = json!(b.email);
        claims["email_verified"] = json!(b.email_verified);
    }
    state.keys.sign(&claims, b.tamper == Tamper::ForeignKey)
}

fn token(state: Shared, headers: HeaderMap, form: Params, oidc: bool) -> Response {
    let Ok(mut state) = state.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    state.token_requests.push(form.clone());
    let grant = match redeem(&mut state, &headers, &form) {
        Ok(grant) => grant,
        Err(code) => return oauth_error(code),
    };
    let behaviour = Behaviour {
        subject: grant.subject.clone(),
        ..state.behaviour.clone()
    };
    let access_token = random();
    state
        .access_tokens
        .insert(access_token.clone(), behaviour.clone());
    state.issued.push(access_token.clone());
    let mut body = json!({
        "access_token": access_token, "token_type": "Bearer", "expires_in": 300,
    });
    if oidc && behaviour.tamper != Tamper::Missing {
        let id_token = id_token(&state, &grant, &behaviour);
        state.issued.push(id_token.clone());
        body["id_token"] = json!(id_token);
    }
    Json(body).into_response()
}

async fn token_oidc(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<Params>,
) -> Response {
    token(state, headers, form, true)
}

async fn token_github(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<Params>,
) -> Response {
    token(state, headers, form, false)
}

/// The behaviour behind the request's bearer token.
fn bearer(state: &Shared, headers: &HeaderMap) -> Option<Behaviour> {
    let token = headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")?
        .to_string();
    state.lock().ok()?.access_tokens.get(&token).cloned()
}

async fn userinfo(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let Some(b) = bearer(&state, &headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    Json(json!({
        "sub": b.subject, "name": b.name, "email": b.email, "email_verified": b.email_verified,
    }))
    .into_response()
}

async fn github_user(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let Some(b) = bearer(&state, &headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let id: u64 = b.subject.parse().unwrap_or(1);
    Json(json!({ "id": id, "login": format!("octo{id}"), "name": b.name, "email": b.email }))
        .into_response()
}

async fn github_emails(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let Some(b) = bearer(&state, &headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let emails: Vec<Value> = b
        .email
        .iter()
        .map(|e| json!({ "email": e, "primary": true, "verified": b.email_verified }))
        .collect();
    Json(Value::Array(emails)).into_response()
}
