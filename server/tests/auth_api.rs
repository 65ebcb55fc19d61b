//! Accounts over HTTP: sign-up, log-in, sessions and their revocation, limits, sign-up modes.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use common::{expect, expect_error, session_token, start, start_with};
use reqwest::header::{RETRY_AFTER, SET_COOKIE};
use reqwest::StatusCode;
use serde_json::json;
use server::config::SignupMode;

const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn sign_up_sets_an_http_only_session_cookie_and_first_user_is_admin() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut ada = fx.server.client();
    let response = ada
        .post(
            "/api/auth/register",
            json!({"email": " Ada@Example.com ", "name": "Ada", "password": PASSWORD}),
        )
        .await?;
    let cookie = response
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(cookie.starts_with("kubeorch_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let profile = expect(response, StatusCode::OK).await?;
    assert_eq!(profile["email"], "ada@example.com");
    assert_eq!(profile["role"], "admin");
    assert!(!profile.to_string().contains(PASSWORD) && profile.get("password_hash").is_none());

    let me = expect(ada.get("/api/auth/me").await?, StatusCode::OK).await?;
    assert_eq!(me, profile);
    let mut bob = fx.server.client();
    assert_eq!(
        bob.register("bob@example.com", PASSWORD).await?["role"],
        "user"
    );
    let taken = bob
        .post(
            "/api/auth/register",
            json!({"email": "ADA@example.com", "name": "X", "password": PASSWORD}),
        )
        .await?;
    expect_error(taken, StatusCode::CONFLICT, "conflict").await?;
    Ok(())
}

#[tokio::test]
async fn bad_input_gets_actionable_errors() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut client = fx.server.client();
    let short = client
        .post(
            "/api/auth/register",
            json!({"email": "a@example.com", "name": "A", "password": "short"}),
        )
        .await?;
    let body = expect_error(short, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await?;
    assert!(body["message"]
        .as_str()
        .unwrap_or_default()
        .contains("at least 8"));
    let long = client
        .post(
            "/api/auth/register",
            json!({"email": "a@example.com", "name": "A", "password": "x".repeat(73)}),
        )
        .await?;
    expect_error(long, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await?;
    let email = client
        .post(
            "/api/auth/register",
            json!({"email": "nope", "name": "A", "password": PASSWORD}),
        )
        .await?;
    expect_error(email, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await?;
    let anonymous = client.get("/api/workflows/list").await?;
    expect_error(anonymous, StatusCode::UNAUTHORIZED, "unauthorized").await?;
    let malformed = reqwest::Client::new()
        .post(format!("{}/api/auth/login", fx.server.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await?;
    expect_error(malformed, StatusCode::BAD_REQUEST, "bad_request").await?;
    let session = expect(client.get("/api/auth/session").await?, StatusCode::OK).await?;
    assert!(session.is_null());
    Ok(())
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_error() -> anyhow::Result<()> {
    let fx = start().await?;
    fx.server
        .client()
        .register("ada@example.com", PASSWORD)
        .await?;
    let mut client = fx.server.client();
    let wrong = client.login("ada@example.com", "not the password").await?;
    let wrong = expect_error(wrong, StatusCode::UNAUTHORIZED, "unauthorized").await?;
    let unknown = client.login("nobody@example.com", PASSWORD).await?;
    let unknown = expect_error(unknown, StatusCode::UNAUTHORIZED, "unauthorized").await?;
    assert_eq!(wrong, unknown);
    assert!(client.token.is_none());
    let right = client.login("ADA@example.com", PASSWORD).await?;
    expect(right, StatusCode::OK).await?;
    assert!(client.token.is_some());
    Ok(())
}

#[tokio::test]
async fn the_eleventh_rapid_login_attempt_gets_429_with_retry_after() -> anyhow::Result<()> {
    let fx = start().await?;
    fx.server
        .client()
        .register("ada@example.com", PASSWORD)
        .await?;
    let mut client = fx.server.client();
    for attempt in 1..=10 {
        let response = client.login("ada@example.com", "wrong password").await?;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let limited = client.login("ada@example.com", PASSWORD).await?;
    let wait: u64 = limited
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!(wait >= 1, "Retry-After is a positive number of seconds");
    let body = expect_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await?;
    assert_eq!(body["retry_after_secs"], wait);
    Ok(())
}

fn forge(
    token: &str,
    edit: impl FnOnce(&mut serde_json::Value),
) -> anyhow::Result<(String, String)> {
    let parts: Vec<&str> = token.split('.').collect();
    anyhow::ensure!(parts.len() == 3, "a JWT has three parts");
    let mut claims: serde_json::Value = serde_json::from_slice(&B64.decode(parts[1])?)?;
    edit(&mut claims);
    let payload = B64.encode(claims.to_string());
    let tampered = format!("{}.{payload}.{}", parts[0], parts[2]);
    let unsigned = format!("{}.{payload}.", B64.encode(r#"{"alg":"none","typ":"JWT"}"#));
    Ok((tampered, unsigned))
}

#[tokio::test]
async fn tampered_unsigned_and_revoked_tokens_are_rejected() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut ada = fx.server.client();
    let ada_id = ada.register("ada@example.com", PASSWORD).await?["id"].clone();
    let mut bob = fx.server.client();
    let bob_profile = bob.register("bob@example.com", PASSWORD).await?;
    let token = bob.token.clone().unwrap_or_default();
    let bearer = |t: &str| {
        let mut c = fx.server.client();
        c.token = Some(t.to_string());
        c
    };
    expect(bearer(&token).get("/api/auth/me").await?, StatusCode::OK).await?;

    let (tampered, unsigned) = forge(&token, |claims| claims["role"] = "admin".into())?;
    for bad in [tampered, unsigned, "garbage".to_string()] {
        let response = bearer(&bad).get("/api/auth/me").await?;
        expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await?;
    }
    let (as_ada, _) = forge(&token, |claims| claims["sub"] = ada_id)?;
    expect(
        bearer(&as_ada).get("/api/auth/me").await?,
        StatusCode::UNAUTHORIZED,
    )
    .await?;

    let logout = bob.post("/api/auth/logout", json!({})).await?;
    let cleared = logout
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    expect(logout, StatusCode::OK).await?;
    let revoked = bearer(&token).get("/api/auth/me").await?;
    expect_error(revoked, StatusCode::UNAUTHORIZED, "unauthorized").await?;
    // A fresh login works again.
    let mut again = fx.server.client();
    let profile = expect(
        again.login("bob@example.com", PASSWORD).await?,
        StatusCode::OK,
    )
    .await?;
    assert_eq!(profile, bob_profile);
    Ok(())
}

#[tokio::test]
async fn the_session_cookie_itself_authenticates() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut ada = fx.server.client();
    ada.register("ada@example.com", PASSWORD).await?;
    let token = ada.token.clone().unwrap_or_default();
    let me = reqwest::Client::new()
        .get(format!("{}/api/auth/me", fx.server.base))
        .header("cookie", format!("theme=dark; kubeorch_session={token}"))
        .send()
        .await?;
    expect(me, StatusCode::OK).await?;
    Ok(())
}

#[tokio::test]
async fn a_password_change_ends_every_older_session() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut first = fx.server.client();
    first.register("ada@example.com", PASSWORD).await?;
    let mut second = fx.server.client();
    expect(
        second.login("ada@example.com", PASSWORD).await?,
        StatusCode::OK,
    )
    .await?;

    let wrong = first
        .post(
            "/api/auth/password",
            json!({"current_password": "nope nope", "new_password": "a new password"}),
        )
        .await?;
    expect_error(wrong, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await?;
    let old_token = first.token.clone();
    let changed = first
        .post(
            "/api/auth/password",
            json!({"current_password": PASSWORD, "new_password": "a new password"}),
        )
        .await?;
    assert!(
        session_token(changed.headers()).is_some(),
        "a new session cookie"
    );
    expect(changed, StatusCode::OK).await?;
    assert_ne!(first.token, old_token);
    expect(first.get("/api/auth/me").await?, StatusCode::OK).await?;
    expect(second.get("/api/auth/me").await?, StatusCode::UNAUTHORIZED).await?;
    let mut fresh = fx.server.client();
    expect(
        fresh.login("ada@example.com", PASSWORD).await?,
        StatusCode::UNAUTHORIZED,
    )
    .await?;
    expect(
        fresh.login("ada@example.com", "a new password").await?,
        StatusCode::OK,
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn cross_site_writes_are_refused_even_with_a_session() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut ada = fx.server.client();
    ada.register("ada@example.com", PASSWORD).await?;
    let token = ada.token.clone().unwrap_or_default();
    let forged = reqwest::Client::new()
        .post(format!("{}/api/workflows/create", fx.server.base))
        .header("cookie", format!("kubeorch_session={token}"))
        .header("origin", "https://evil.example")
        .header("content-type", "text/plain")
        .body(r#"{"name":"planted"}"#)
        .send()
        .await?;
    expect_error(forged, StatusCode::FORBIDDEN, "forbidden").await?;
    let list = expect(ada.get("/api/workflows/list").await?, StatusCode::OK).await?;
    assert_eq!(list, json!([]), "nothing was created");
    Ok(())
}

#[tokio::test]
async fn closed_sign_up_admits_only_the_first_user() -> anyhow::Result<()> {
    let fx = start_with(|c| c.signup = SignupMode::Closed).await?;
    let mut ada = fx.server.client();
    assert_eq!(
        ada.register("ada@example.com", PASSWORD).await?["role"],
        "admin"
    );
    let bob = fx
        .server
        .client()
        .post(
            "/api/auth/register",
            json!({"email": "bob@example.com", "name": "Bob", "password": PASSWORD}),
        )
        .await?;
    expect_error(bob, StatusCode::FORBIDDEN, "forbidden").await?;
    Ok(())
}

#[tokio::test]
async fn invite_only_sign_up_takes_single_use_codes_from_admins() -> anyhow::Result<()> {
    let fx = start_with(|c| c.signup = SignupMode::Invite).await?;
    let mut ada = fx.server.client();
    ada.register("ada@example.com", PASSWORD).await?;
    let invite = expect(
        ada.post("/api/auth/invites", json!({})).await?,
        StatusCode::OK,
    )
    .await?;
    let code = invite["code"].as_str().unwrap_or_default().to_string();
    assert!(code.len() >= 16);

    let register = |email: &str, code: Option<&str>| json!({"email": email, "name": "N", "password": PASSWORD, "invite_code": code});
    let mut bob = fx.server.client();
    let without = bob
        .post("/api/auth/register", register("bob@example.com", None))
        .await?;
    expect_error(without, StatusCode::FORBIDDEN, "forbidden").await?;
    let with = bob
        .post(
            "/api/auth/register",
            register("bob@example.com", Some(&code)),
        )
        .await?;
    assert_eq!(expect(with, StatusCode::OK).await?["role"], "user");
    let reused = fx
        .server
        .client()
        .post(
            "/api/auth/register",
            register("carol@example.com", Some(&code)),
        )
        .await?;
    expect_error(reused, StatusCode::FORBIDDEN, "forbidden").await?;
    let not_admin = bob.post("/api/auth/invites", json!({})).await?;
    expect_error(not_admin, StatusCode::FORBIDDEN, "forbidden").await?;
    Ok(())
}
