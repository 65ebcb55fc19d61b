//! The happy path against a real OpenID provider: panva's `oidc-provider` (npm, installed in
//! `end2end/` by `scripts/setup.sh`), run by `end2end/support/op.mjs` on 127.0.0.1. The test
//! drives its log-in form and consent page like a browser would, and checks the user lands
//! signed in. Skipped when node or the package is missing, unless `KUBEORCH_REQUIRE_OIDC=1`
//! (as `make test` sets).

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use server::auth::sso::config::{ProviderConfig, ProviderKind};
use server::config::Secret;

use common::browser::{location, Browser};
use common::start_with;

/// The provider process, stopped when dropped.
struct Op(Child);

impl Drop for Op {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn end2end_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../end2end")
}

/// Whether the provider can run here (else the test is skipped or, when required, fails).
fn available() -> anyhow::Result<bool> {
    let installed = end2end_dir()
        .join("node_modules/oidc-provider/package.json")
        .exists()
        && Command::new("node").arg("--version").output().is_ok();
    if !installed && std::env::var("KUBEORCH_REQUIRE_OIDC").as_deref() == Ok("1") {
        anyhow::bail!("KUBEORCH_REQUIRE_OIDC=1 but node or end2end/node_modules/oidc-provider is missing (run scripts/setup.sh)");
    }
    if !installed {
        eprintln!("skipped: run scripts/setup.sh to install oidc-provider");
    }
    Ok(installed)
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

async fn start_op(port: u16, redirect_uri: &str) -> anyhow::Result<Op> {
    let child = Command::new("node")
        .arg(end2end_dir().join("support/op.mjs"))
        .env("OP_PORT", port.to_string())
        .env("OP_REDIRECT_URIS", redirect_uri)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let op = Op(child);
    let discovery = format!("http://127.0.0.1:{port}/.well-known/openid-configuration");
    for _ in 0..100 {
        if reqwest::get(&discovery)
            .await
            .is_ok_and(|r| r.status() == StatusCode::OK)
        {
            return Ok(op);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("oidc-provider did not start on port {port}")
}

/// The `action` of the first form in `html`.
fn form_action(html: &str) -> Option<String> {
    let start = html.find("<form")?;
    let rest = &html[start..];
    let at = rest.find("action=\"")? + "action=\"".len();
    let end = rest[at..].find('"')?;
    Some(rest[at..at + end].replace("&amp;", "&"))
}

/// Follows the provider's pages from `url` — log-in form (user `user`), consent — until it
/// redirects back to `app`; returns that URL.
async fn through_provider(
    browser: &Browser,
    op: &str,
    app: &str,
    url: String,
    user: &str,
) -> anyhow::Result<String> {
    let mut url = url;
    for _ in 0..12 {
        if url.starts_with(app) {
            return Ok(url);
        }
        let absolute = if url.starts_with('/') {
            format!("{op}{url}")
        } else {
            url.clone()
        };
        let response = browser.http.get(&absolute).send().await?;
        if response.status().is_redirection() {
            url = location(response).await?;
            continue;
        }
        let html = response.text().await?;
        let action = form_action(&html).ok_or_else(|| anyhow::anyhow!("no form in: {html}"))?;
        let fields: Vec<(&str, &str)> = if html.contains("name=\"password\"") {
            vec![
                ("prompt", "login"),
                ("login", user),
                ("password", "any password"),
            ]
        } else {
            vec![("prompt", "consent")]
        };
        let target = if action.starts_with('/') {
            format!("{op}{action}")
        } else {
            action
        };
        let submitted = browser.http.post(&target).form(&fields).send().await?;
        url = location(submitted).await?;
    }
    anyhow::bail!("the provider did not send the browser back")
}

#[tokio::test]
async fn a_user_logs_in_through_oidc_provider() -> anyhow::Result<()> {
    if !available()? {
        return Ok(());
    }
    let port = free_port()?;
    let issuer = format!("http://127.0.0.1:{port}");
    let provider = ProviderConfig {
        id: "local".into(),
        name: "Local OpenID".into(),
        kind: ProviderKind::Oidc {
            issuer: issuer.clone(),
        },
        client_id: "kubeorch".into(),
        client_secret: Some(Secret::from("kubeorch-test-secret".to_string())),
        scopes: vec!["openid".into(), "email".into(), "profile".into()],
        allowed_domains: vec![],
        signup: None,
    };
    let fx = start_with(|config| config.sso = vec![provider]).await?;
    let app = fx.server.base.clone();
    let _op = start_op(port, &format!("{app}/api/auth/sso/local/callback")).await?;

    let browser = Browser::new(&app)?;
    let authorize = browser
        .redirect_from("/api/auth/sso/local/login?next=/workflows")
        .await?;
    assert!(
        authorize.starts_with(&format!("{issuer}/auth?")),
        "{authorize}"
    );
    assert!(authorize.contains("code_challenge_method=S256") && authorize.contains("nonce="));
    let callback = through_provider(&browser, &issuer, &app, authorize, "alice").await?;
    assert!(
        callback.contains("iss="),
        "the provider names itself (RFC 9207): {callback}"
    );
    let complete = browser.redirect_from(&callback).await?;
    assert!(complete.starts_with("/auth/complete?code="), "{complete}");
    let exchanged = browser.exchange(&complete).await?;
    assert_eq!(exchanged.status(), StatusCode::OK);
    let body: serde_json::Value = exchanged.json().await?;
    assert_eq!(body["next"], "/workflows");
    assert_eq!(
        body["user"]["email"], "alice@example.com",
        "from userinfo, verified"
    );
    assert_eq!(
        browser.whoami().await?.as_deref(),
        Some("alice@example.com")
    );

    let replay = browser.redirect_from(&callback).await?;
    assert!(replay.contains("sso_error=expired"), "{replay}");
    fx.server.stop().await
}
