//! Single sign-on against the test double provider (`test_idp`): the flow's checks (state,
//! browser binding, replay, PKCE), id_token verification, email trust, no account take-over,
//! linking, and the one-time code. The happy path against a real provider is in
//! `sso_real_provider.rs`.

mod common;
mod test_idp;

use reqwest::StatusCode;
use serde_json::{json, Value};
use server::config::{Config, SignupMode};

use common::browser::{query_value, Browser};
use common::{start_with, Fixture};
use test_idp::{Behaviour, Tamper, TestIdp};

const PASSWORD: &str = "correct horse battery";

/// The double and a server with two providers on it: `idp` (OIDC) and `gh` (GitHub).
async fn setup(
    behaviour: Behaviour,
    configure: impl FnOnce(&mut Config),
) -> anyhow::Result<(TestIdp, Fixture)> {
    let idp = TestIdp::start(behaviour).await?;
    let oidc = idp.oidc_provider("idp");
    let github = idp.github_provider("gh")?;
    let fixture = start_with(|config| {
        config.sso = vec![oidc, github];
        configure(config);
    })
    .await?;
    Ok((idp, fixture))
}

/// Starts a log-in at `provider` and lets the double answer; returns the callback URL.
async fn to_callback(browser: &Browser, provider: &str) -> anyhow::Result<String> {
    let authorize = browser
        .redirect_from(&format!(
            "/api/auth/sso/{provider}/login?next=/workflows/42"
        ))
        .await?;
    browser.redirect_from(&authorize).await
}

/// A whole log-in at `provider`: where the callback sends the browser.
async fn sign_in(browser: &Browser, provider: &str) -> anyhow::Result<String> {
    let callback = to_callback(browser, provider).await?;
    browser.redirect_from(&callback).await
}

/// Signs in and exchanges the code; returns the exchange's JSON.
async fn sign_in_fully(browser: &Browser, provider: &str) -> anyhow::Result<Value> {
    let complete = sign_in(browser, provider).await?;
    anyhow::ensure!(complete.starts_with("/auth/complete?code="), "{complete}");
    let response = browser.exchange(&complete).await?;
    anyhow::ensure!(response.status() == StatusCode::OK, "{}", response.status());
    Ok(response.json().await?)
}

fn problem(location: &str) -> Option<String> {
    query_value(location, "sso_error")
}

#[tokio::test]
async fn oidc_login_uses_pkce_and_nonce_and_creates_the_first_user_as_admin() -> anyhow::Result<()>
{
    let (idp, fx) = setup(Behaviour::user("alice", "Alice@Example.com"), |_| {}).await?;
    let browser = Browser::new(&fx.server.base)?;
    let done = sign_in_fully(&browser, "idp").await?;
    let sent = idp.last_authorize();
    assert_eq!(
        sent.get("code_challenge_method").map(String::as_str),
        Some("S256")
    );
    assert!(sent.get("nonce").is_some_and(|n| n.len() >= 32), "{sent:?}");
    assert!(sent.get("state").is_some_and(|s| s.len() >= 32));
    assert!(sent["redirect_uri"].ends_with("/api/auth/sso/idp/callback"));
    assert_eq!(done["next"], "/workflows/42");
    assert_eq!(done["user"]["email"], "alice@example.com");
    assert_eq!(done["user"]["role"], "admin");
    assert_eq!(
        browser.whoami().await?.as_deref(),
        Some("alice@example.com")
    );

    let again = Browser::new(&fx.server.base)?;
    let second = sign_in_fully(&again, "idp").await?;
    assert_eq!(
        second["user"]["id"], done["user"]["id"],
        "same identity, same user"
    );
    fx.server.stop().await
}

#[tokio::test]
async fn missing_wrong_or_foreign_state_is_rejected() -> anyhow::Result<()> {
    let (idp, fx) = setup(Behaviour::user("alice", "alice@example.com"), |_| {}).await?;
    let browser = Browser::new(&fx.server.base)?;
    let callback = to_callback(&browser, "idp").await?;
    let code = query_value(&callback, "code").unwrap_or_default();
    let bare = format!("/api/auth/sso/idp/callback?code={code}");
    let wrong = format!("{bare}&state=not-the-state");
    for attempt in [bare.as_str(), wrong.as_str()] {
        let location = browser.redirect_from(attempt).await?;
        assert_eq!(problem(&location).as_deref(), Some("expired"), "{attempt}");
    }
    let elsewhere = Browser::new(&fx.server.base)?;
    let location = elsewhere.redirect_from(&callback).await?;
    assert_eq!(
        problem(&location).as_deref(),
        Some("expired"),
        "another browser"
    );
    let other_provider = callback.replace("/sso/idp/", "/sso/gh/");
    let location = browser.redirect_from(&other_provider).await?;
    assert_eq!(
        problem(&location).as_deref(),
        Some("expired"),
        "another provider"
    );
    assert_eq!(idp.refused_token_requests(), 0, "no code was ever redeemed");
    assert_eq!(browser.whoami().await?, None);
    fx.server.stop().await
}

#[tokio::test]
async fn a_replayed_callback_is_rejected() -> anyhow::Result<()> {
    let (_idp, fx) = setup(Behaviour::user("alice", "alice@example.com"), |_| {}).await?;
    let browser = Browser::new(&fx.server.base)?;
    let callback = to_callback(&browser, "idp").await?;
    let first = browser.redirect_from(&callback).await?;
    assert!(first.starts_with("/auth/complete?code="), "{first}");
    let replay = browser.redirect_from(&callback).await?;
    assert_eq!(problem(&replay).as_deref(), Some("expired"));
    fx.server.stop().await
}

#[tokio::test]
async fn tampered_or_missing_id_tokens_are_rejected() -> anyhow::Result<()> {
    let (idp, fx) = setup(Behaviour::user("mallory", "mallory@example.com"), |_| {}).await?;
    let tampers = [
        Tamper::ForeignKey,
        Tamper::WrongAudience,
        Tamper::WrongNonce,
        Tamper::Expired,
        Tamper::WrongIssuer,
        Tamper::Missing,
    ];
    for tamper in tampers {
        idp.set(|b| b.tamper = tamper);
        let browser = Browser::new(&fx.server.base)?;
        let location = sign_in(&browser, "idp").await?;
        assert_eq!(
            problem(&location).as_deref(),
            Some("invalid_token"),
            "{tamper:?}: {location}"
        );
        assert_eq!(browser.whoami().await?, None, "{tamper:?}");
    }
    idp.set(|b| b.tamper = Tamper::None);
    let done = sign_in_fully(&Browser::new(&fx.server.base)?, "idp").await?;
    assert_eq!(
        done["user"]["role"], "admin",
        "no account was created by a bad token"
    );
    fx.server.stop().await
}

#[tokio::test]
async fn unverified_emails_are_not_trusted() -> anyhow::Result<()> {
    let mut behaviour = Behaviour::user("eve", "ada@example.com");
    behaviour.email_verified = false;
    let (idp, fx) = setup(behaviour, |_| {}).await?;
    let ada = Browser::new(&fx.server.base)?;
    ada.register("ada@example.com", PASSWORD).await?;

    for (provider, in_id_token) in [("idp", true), ("idp", false), ("gh", true)] {
        idp.set(|b| {
            b.email_in_id_token = in_id_token;
            b.subject = "4242".into();
        });
        let eve = Browser::new(&fx.server.base)?;
        let location = sign_in(&eve, provider).await?;
        assert_eq!(
            problem(&location).as_deref(),
            Some("unverified_email"),
            "{provider}"
        );
        assert_eq!(eve.whoami().await?, None);
    }
    idp.set(|b| b.email = Some("eve@example.com".into()));
    let location = sign_in(&Browser::new(&fx.server.base)?, "idp").await?;
    assert_eq!(
        problem(&location).as_deref(),
        Some("unverified_email"),
        "no account either"
    );
    let methods: Value = ada.get("/api/auth/methods").await?.json().await?;
    assert_eq!(
        methods["identities"],
        json!([]),
        "nothing was linked to ada"
    );
    fx.server.stop().await
}

#[tokio::test]
async fn an_existing_password_account_is_not_taken_over_but_can_link() -> anyhow::Result<()> {
    let (_idp, fx) = setup(Behaviour::user("ada-at-idp", "ada@example.com"), |_| {}).await?;
    let ada = Browser::new(&fx.server.base)?;
    let account = ada.register("ada@example.com", PASSWORD).await?;

    let attacker = Browser::new(&fx.server.base)?;
    let location = sign_in(&attacker, "idp").await?;
    assert_eq!(
        problem(&location).as_deref(),
        Some("email_exists"),
        "{location}"
    );
    assert_eq!(attacker.whoami().await?, None);

    let authorize = ada.post_redirect("/api/auth/sso/idp/link").await?;
    let callback = ada.redirect_from(&authorize).await?;
    assert_eq!(ada.redirect_from(&callback).await?, "/profile?linked=idp");
    let methods: Value = ada.get("/api/auth/methods").await?.json().await?;
    assert_eq!(methods["has_password"], true);
    assert_eq!(methods["identities"][0]["provider"], "idp");
    assert_eq!(methods["identities"][0]["provider_name"], "Provider idp");

    let later = Browser::new(&fx.server.base)?;
    let done = sign_in_fully(&later, "idp").await?;
    assert_eq!(
        done["user"]["id"], account["id"],
        "the linked identity signs in as ada"
    );

    let unlinked = ada
        .post_json(
            "/api/auth/methods/unlink",
            json!({"provider": "idp", "subject": "ada-at-idp"}),
        )
        .await?;
    assert_eq!(
        unlinked.status(),
        StatusCode::OK,
        "ada still has her password"
    );
    fx.server.stop().await
}

#[tokio::test]
async fn linking_needs_a_session_and_an_unclaimed_account() -> anyhow::Result<()> {
    let (idp, fx) = setup(Behaviour::user("sso-only", "sam@example.com"), |_| {}).await?;
    let sam = Browser::new(&fx.server.base)?;
    let sam_user = sign_in_fully(&sam, "idp").await?;
    let last = sam
        .post_json(
            "/api/auth/methods/unlink",
            json!({"provider": "idp", "subject": "sso-only"}),
        )
        .await?;
    assert_eq!(
        last.status(),
        StatusCode::CONFLICT,
        "the last login method stays"
    );

    let anonymous = Browser::new(&fx.server.base)?;
    assert_eq!(
        anonymous.post_redirect("/api/auth/sso/idp/link").await?,
        "/login?next=/profile"
    );

    let bob = Browser::new(&fx.server.base)?;
    bob.register("bob@example.com", PASSWORD).await?;
    let authorize = bob.post_redirect("/api/auth/sso/idp/link").await?;
    let callback = bob.redirect_from(&authorize).await?;
    let location = bob.redirect_from(&callback).await?;
    assert_eq!(
        problem(&location).as_deref(),
        Some("already_linked"),
        "{location}"
    );

    idp.set(|b| b.subject = "7".into());
    let authorize = sam.post_redirect("/api/auth/sso/gh/link").await?;
    let callback = sam.redirect_from(&authorize).await?;
    assert_eq!(sam.redirect_from(&callback).await?, "/profile?linked=gh");
    let methods: Value = sam.get("/api/auth/methods").await?.json().await?;
    assert_eq!(methods["identities"].as_array().map(Vec::len), Some(2));
    let removed = sam
        .post_json(
            "/api/auth/methods/unlink",
            json!({"provider": "idp", "subject": "sso-only"}),
        )
        .await?;
    assert_eq!(removed.status(), StatusCode::OK);
    let github = sign_in_fully(&Browser::new(&fx.server.base)?, "gh").await?;
    assert_eq!(github["user"]["id"], sam_user["user"]["id"]);
    fx.server.stop().await
}

#[tokio::test]
async fn the_one_time_code_works_once_in_the_same_browser_and_expires() -> anyhow::Result<()> {
    let (_idp, fx) = setup(Behaviour::user("carol", "carol@example.com"), |config| {
        config.sso_code_secs = 1;
    })
    .await?;
    let browser = Browser::new(&fx.server.base)?;
    let complete = sign_in(&browser, "idp").await?;
    assert_eq!(browser.exchange(&complete).await?.status(), StatusCode::OK);
    assert_eq!(
        browser.exchange(&complete).await?.status(),
        StatusCode::UNAUTHORIZED
    );

    let thief = Browser::new(&fx.server.base)?;
    let complete = sign_in(&browser, "idp").await?;
    assert_eq!(
        thief.exchange(&complete).await?.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(thief.whoami().await?, None);

    let complete = sign_in(&browser, "idp").await?;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(
        browser.exchange(&complete).await?.status(),
        StatusCode::UNAUTHORIZED
    );
    fx.server.stop().await
}

#[tokio::test]
async fn provider_errors_domains_and_closed_signup_are_reported() -> anyhow::Result<()> {
    let (idp, fx) = setup(Behaviour::user("dan", "dan@example.com"), |config| {
        config.signup = SignupMode::Closed;
        config.sso[0].allowed_domains = vec!["corp.example".into()];
    })
    .await?;
    let browser = Browser::new(&fx.server.base)?;
    let callback = to_callback(&browser, "idp").await?;
    let state = query_value(&callback, "state").unwrap_or_default();
    let denied = browser
        .redirect_from(&format!(
            "/api/auth/sso/idp/callback?error=access_denied&state={state}"
        ))
        .await?;
    assert_eq!(problem(&denied).as_deref(), Some("denied"));

    assert_eq!(
        problem(&sign_in(&browser, "idp").await?).as_deref(),
        Some("domain")
    );
    idp.set(|b| b.email = Some("dan@corp.example".into()));
    let first = sign_in_fully(&browser, "idp").await?;
    assert_eq!(
        first["user"]["role"], "admin",
        "the first user may always sign up"
    );
    idp.set(|b| {
        b.subject = "erin".into();
        b.email = Some("erin@corp.example".into());
    });
    let location = sign_in(&Browser::new(&fx.server.base)?, "idp").await?;
    assert_eq!(problem(&location).as_deref(), Some("signup_closed"));

    let unknown = browser.redirect_from("/api/auth/sso/nope/login").await?;
    assert_eq!(problem(&unknown).as_deref(), Some("unknown_provider"));
    let providers: Value = browser.get("/api/auth/sso/providers").await?.json().await?;
    assert_eq!(
        providers,
        json!([{"id": "idp", "name": "Provider idp"}, {"id": "gh", "name": "Provider gh"}])
    );
    fx.server.stop().await
}
