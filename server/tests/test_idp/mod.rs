//! `TestIdp`: a **test double** of an identity provider, on 127.0.0.1 — an OpenID provider
//! (discovery, JWKS, authorize, token, userinfo) and GitHub's OAuth endpoints and REST API
//! (`/login/oauth/*`, `/api/user`, `/api/user/emails`). It is not a real provider: it signs
//! id_tokens with an ES256 key generated per run and answers whatever the test sets in
//! [`Behaviour`], so tests can hand the server tampered tokens (foreign key, wrong audience,
//! wrong nonce, expired) and unverified emails. It does check what a real provider checks of
//! the client: PKCE S256 (the verifier must match the challenge), single-use codes, the
//! redirect URI, and the client credentials. The happy path also runs against the real
//! `oidc-provider` (see `sso_real_provider.rs`).
#![allow(dead_code)]

mod jwt;
mod routes;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use server::auth::sso::config::{ProviderConfig, ProviderKind};
use server::config::Secret;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

pub use jwt::Keys;

/// The client the double knows.
pub const CLIENT_ID: &str = "kubeorch-test";
/// Its secret.
pub const CLIENT_SECRET: &str = "test-secret";

/// What is wrong with the id_token the double issues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tamper {
    /// Nothing: a valid token.
    None,
    /// Signed with another key (same `kid`).
    ForeignKey,
    /// `aud` is another client.
    WrongAudience,
    /// `nonce` is not the one sent.
    WrongNonce,
    /// `exp` is in the past.
    Expired,
    /// `iss` is another issuer.
    WrongIssuer,
    /// The token response has no id_token.
    Missing,
}

/// Who signs in and how the double answers.
#[derive(Clone, Debug)]
pub struct Behaviour {
    /// `sub` (for GitHub: the numeric user id).
    pub subject: String,
    /// The email, if any.
    pub email: Option<String>,
    /// Whether the email is reported as verified.
    pub email_verified: bool,
    /// Whether the email goes into the id_token (else only userinfo has it).
    pub email_in_id_token: bool,
    /// Display name.
    pub name: String,
    /// How the id_token is spoiled.
    pub tamper: Tamper,
}

impl Behaviour {
    /// A user with a verified email.
    pub fn user(subject: &str, email: &str) -> Self {
        Behaviour {
            subject: subject.into(),
            email: Some(email.into()),
            email_verified: true,
            email_in_id_token: true,
            name: format!("User {subject}"),
            tamper: Tamper::None,
        }
    }
}

/// An authorization the double granted, waiting for its code to be redeemed.
#[derive(Clone, Debug)]
pub struct Grant {
    pub redirect_uri: String,
    pub nonce: Option<String>,
    pub challenge: String,
    pub subject: String,
}

/// The double's mutable state.
pub struct IdpState {
    pub base: String,
    pub keys: Keys,
    pub behaviour: Behaviour,
    pub codes: HashMap<String, Grant>,
    pub access_tokens: HashMap<String, Behaviour>,
    /// The query of every authorization request, in order.
    pub authorize_requests: Vec<HashMap<String, String>>,
    /// The form of every token request, in order.
    pub token_requests: Vec<HashMap<String, String>>,
    /// Every access token and id_token issued.
    pub issued: Vec<String>,
    /// Token requests refused (bad code, PKCE, client, redirect).
    pub refused_token_requests: u32,
}

/// A running double.
pub struct TestIdp {
    /// `http://127.0.0.1:<port>` (the OIDC issuer; GitHub's web base; the API is at `/api`).
    pub base: String,
    pub state: Arc<Mutex<IdpState>>,
    shutdown: CancellationToken,
}

impl TestIdp {
    /// Starts a double answering as `behaviour`.
    pub async fn start(behaviour: Behaviour) -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let state = Arc::new(Mutex::new(IdpState {
            base: base.clone(),
            keys: Keys::generate()?,
            behaviour,
            codes: HashMap::new(),
            access_tokens: HashMap::new(),
            authorize_requests: Vec::new(),
            token_requests: Vec::new(),
            issued: Vec::new(),
            refused_token_requests: 0,
        }));
        let shutdown = CancellationToken::new();
        let app = routes::router(state.clone());
        let stop = shutdown.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(stop.cancelled_owned())
                .await;
        });
        Ok(TestIdp {
            base,
            state,
            shutdown,
        })
    }

    /// Changes how the double answers from now on.
    pub fn set(&self, change: impl FnOnce(&mut Behaviour)) {
        if let Ok(mut state) = self.state.lock() {
            change(&mut state.behaviour);
        }
    }

    /// The last authorization request's query.
    pub fn last_authorize(&self) -> HashMap<String, String> {
        self.state
            .lock()
            .ok()
            .and_then(|s| s.authorize_requests.last().cloned())
            .unwrap_or_default()
    }

    /// Every secret value of the sign-ins so far: `state`, `nonce`, authorization codes, PKCE
    /// verifiers, access tokens, id_tokens, and the client secret.
    pub fn secrets(&self) -> Vec<String> {
        let Ok(state) = self.state.lock() else {
            return vec![];
        };
        let sent = state.authorize_requests.iter().flat_map(|q| {
            ["state", "nonce"]
                .into_iter()
                .filter_map(|key| q.get(key).cloned())
        });
        let redeemed = state.token_requests.iter().flat_map(|f| {
            ["code", "code_verifier"]
                .into_iter()
                .filter_map(|key| f.get(key).cloned())
        });
        sent.chain(redeemed)
            .chain(state.issued.iter().cloned())
            .chain([CLIENT_SECRET.to_string()])
            .collect()
    }

    /// The configuration of an OIDC provider `id` that is this double.
    pub fn oidc_provider(&self, id: &str) -> ProviderConfig {
        self.provider(
            id,
            ProviderKind::Oidc {
                issuer: self.base.clone(),
            },
        )
    }

    /// The configuration of a GitHub provider `id` that is this double.
    pub fn github_provider(&self, id: &str) -> anyhow::Result<ProviderConfig> {
        let kind = ProviderKind::Github {
            web_url: url::Url::parse(&self.base)?,
            api_url: url::Url::parse(&format!("{}/api", self.base))?,
        };
        Ok(self.provider(id, kind))
    }

    fn provider(&self, id: &str, kind: ProviderKind) -> ProviderConfig {
        ProviderConfig {
            id: id.into(),
            name: format!("Provider {id}"),
            kind,
            client_id: CLIENT_ID.into(),
            client_secret: Some(Secret::from(CLIENT_SECRET.to_string())),
            scopes: vec!["openid".into(), "email".into(), "profile".into()],
            allowed_domains: vec![],
            signup: None,
        }
    }

    /// How many token requests were refused.
    pub fn refused_token_requests(&self) -> u32 {
        self.state
            .lock()
            .map(|s| s.refused_token_requests)
            .unwrap_or(0)
    }
}

impl Drop for TestIdp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}
