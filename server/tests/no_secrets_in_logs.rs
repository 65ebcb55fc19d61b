//! Passwords, session tokens and single sign-on secrets (state, nonce, authorization codes, PKCE
//! verifiers, provider tokens, one-time codes, client secret) never reach the log (at any level)
//! or a response body.

mod common;
mod test_idp;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use common::browser::{query_value, Browser};
use common::{expect, start, start_with};
use reqwest::StatusCode;
use serde_json::json;
use test_idp::{Behaviour, Tamper, TestIdp};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut log) = self.0.lock() {
            log.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything logged by this test binary, at every level (one subscriber for all its tests).
fn captured() -> &'static Captured {
    static LOG: OnceLock<Captured> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Captured::default();
        let writer = log.clone();
        let _ = tracing_subscriber::fmt()
            .with_env_filter("trace")
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .try_init();
        log
    })
}

impl Captured {
    fn text(&self) -> anyhow::Result<String> {
        let bytes = self.0.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
        Ok(String::from_utf8_lossy(&bytes).to_string())
    }
}

#[tokio::test]
async fn passwords_and_tokens_stay_out_of_logs_and_answers() -> anyhow::Result<()> {
    let log = captured();

    let (first, second, wrong) = (
        "first-Secret-pw-1",
        "second-Secret-pw-2",
        "wrong-Secret-pw-3",
    );
    let fx = start().await?;
    let mut ada = fx.server.client();
    let mut bodies = vec![ada.register("ada@example.com", first).await?.to_string()];
    let wrong_login = ada.login("ada@example.com", wrong).await?;
    bodies.push(
        expect(wrong_login, StatusCode::UNAUTHORIZED)
            .await?
            .to_string(),
    );
    let changed = ada
        .post(
            "/api/auth/password",
            json!({"current_password": first, "new_password": second}),
        )
        .await?;
    bodies.push(expect(changed, StatusCode::OK).await?.to_string());
    let token = ada.token.clone().unwrap_or_default();
    bodies.push(
        expect(ada.get("/api/auth/me").await?, StatusCode::OK)
            .await?
            .to_string(),
    );
    bodies.push(
        expect(
            ada.post("/api/auth/logout", json!({})).await?,
            StatusCode::OK,
        )
        .await?
        .to_string(),
    );

    let log = log.text()?;
    assert!(log.contains("account created"), "the log was captured");
    let jwt_key = std::fs::read_to_string(fx.dir.path().join("jwt.key"))?;
    for secret in [first, second, wrong, token.as_str(), jwt_key.trim()] {
        assert!(!secret.is_empty());
        assert!(!log.contains(secret), "a secret is in the log");
        assert!(
            bodies.iter().all(|body| !body.contains(secret)),
            "a secret is in an answer"
        );
    }
    assert!(!log.contains("$2b$"), "no password hash in the log");
    Ok(())
}

#[tokio::test]
async fn sign_in_secrets_stay_out_of_logs_and_answers() -> anyhow::Result<()> {
    let log = captured();
    let idp = TestIdp::start(Behaviour::user("sso-subject", "grace@example.com")).await?;
    let providers = vec![idp.oidc_provider("idp"), idp.github_provider("gh")?];
    let fx = start_with(|config| config.sso = providers).await?;
    let mut one_time_codes = vec![];
    let mut bodies = vec![];

    for (provider, email) in [("idp", "grace@example.com"), ("gh", "hopper@example.com")] {
        idp.set(|b| b.email = Some(email.into()));
        let browser = Browser::new(&fx.server.base)?;
        let authorize = browser
            .redirect_from(&format!("/api/auth/sso/{provider}/login"))
            .await?;
        let callback = browser.redirect_from(&authorize).await?;
        let complete = browser.redirect_from(&callback).await?;
        let code = query_value(&complete, "code").unwrap_or_default();
        anyhow::ensure!(!code.is_empty(), "{provider} signed in: {complete}");
        one_time_codes.push(code);
        bodies.push(browser.exchange(&complete).await?.text().await?);
        bodies.push(browser.get("/api/auth/methods").await?.text().await?);
        let replay = browser.redirect_from(&callback).await?;
        assert!(replay.contains("sso_error=expired"), "{replay}");
        bodies.push(browser.exchange(&complete).await?.text().await?);
    }
    idp.set(|b| b.tamper = Tamper::WrongNonce);
    let browser = Browser::new(&fx.server.base)?;
    let authorize = browser.redirect_from("/api/auth/sso/idp/login").await?;
    let callback = browser.redirect_from(&authorize).await?;
    let refused = browser.redirect_from(&callback).await?;
    assert!(refused.contains("sso_error=invalid_token"), "{refused}");
    fx.server.stop().await?;

    let log = log.text()?;
    assert!(log.contains("id_token rejected"), "the log was captured");
    let secrets = [idp.secrets(), one_time_codes].concat();
    assert!(secrets.len() >= 14, "{} secrets", secrets.len());
    for secret in &secrets {
        assert!(secret.len() >= 11, "a real secret: {secret}");
        assert!(
            !log.contains(secret.as_str()),
            "a sign-in secret is in the log"
        );
        assert!(
            bodies.iter().all(|body| !body.contains(secret.as_str())),
            "a sign-in secret is in an answer"
        );
    }
    Ok(())
}
