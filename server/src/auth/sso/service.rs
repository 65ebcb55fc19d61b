//! The sign-in flow: start (pending request stored, browser sent to the provider) and callback
//! (pending request taken once, provider answer verified, user resolved, one-time code issued).

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::Duration;
use http::request::Parts;
use openidconnect::PkceCodeChallenge;
use url::Url;

use app::api::services::AccountService;
use app::model::{ProviderInfo, SsoProblem};

use super::config::{self, ProviderConfigError};
use super::provider::{AuthorizeRequest, ExternalAccount, Failure, Provider};
use super::secrets::{binding_cookie, hash, random_token, BINDING_SECS};
use crate::auth::AuthService;
use crate::config::{Config, SignupMode};
use crate::store::records::now;
use crate::store::{DynStore, SsoStateRecord};

/// Time allowed for calls to a provider.
const PROVIDER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Why single sign-on could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SsoSetupError {
    /// A provider's configuration is wrong.
    #[error(transparent)]
    Config(#[from] ProviderConfigError),
    /// A provider's URLs cannot be used.
    #[error("sign-in provider: {0}")]
    Provider(String),
    /// The HTTP client could not be built.
    #[error("cannot create the HTTP client for sign-in providers: {0}")]
    Http(#[source] reqwest::Error),
}

/// Why a provider sign-in is started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Log in (or sign up), then go to the local path `next`.
    Login {
        /// Where to go afterwards.
        next: String,
    },
    /// Link a provider account to the signed-in user.
    Link {
        /// The signed-in user.
        user_id: String,
    },
}

/// Where to send the browser to start, and the binding cookie to set.
pub struct Started {
    /// The provider's authorization URL.
    pub location: Url,
    /// The `Set-Cookie` value for the browser binding.
    pub set_cookie: String,
}

/// The query of a provider's redirect back to us.
#[derive(Clone, Debug, Default)]
pub struct CallbackParams {
    /// The authorization code.
    pub code: Option<String>,
    /// The `state` we sent.
    pub state: Option<String>,
    /// The provider's error code.
    pub error: Option<String>,
    /// The issuer (RFC 9207).
    pub iss: Option<String>,
}

/// Single sign-on through the configured providers.
pub struct SsoService {
    pub(super) providers: Vec<Provider>,
    pub(super) store: DynStore,
    pub(super) accounts: Arc<AuthService>,
    pub(super) http: reqwest::Client,
    pub(super) open_signup: bool,
    pub(super) secure_cookies: bool,
    pub(super) code_lifetime: Duration,
}

impl SsoService {
    /// The service for the providers of `config` (`config.sso`, else read from the environment
    /// for the ids in `config.sso_providers`), redirecting back to `config.public_url` (default:
    /// the listening address `addr`).
    pub fn new(
        config: &Config,
        addr: SocketAddr,
        store: DynStore,
        accounts: Arc<AuthService>,
    ) -> Result<Self, SsoSetupError> {
        let configs = if config.sso.is_empty() {
            config::from_env(&config.sso_providers, config.production, |key| {
                std::env::var(key).ok()
            })?
        } else {
            config.sso.clone()
        };
        if !configs.is_empty() && config.public_url.is_none() && addr.ip().is_unspecified() {
            tracing::warn!(
                "sign-in providers will redirect to http://{addr}: set KUBEORCH_PUBLIC_URL to \
                 the address browsers use"
            );
        }
        let public_url = match &config.public_url {
            Some(url) => url.as_str().to_string(),
            None => format!("http://{addr}"),
        };
        let base = public_url.trim_end_matches('/');
        let providers = configs
            .into_iter()
            .map(|c| {
                let redirect = Url::parse(&format!("{base}/api/auth/sso/{}/callback", c.id))
                    .map_err(|e| SsoSetupError::Provider(e.to_string()))?;
                Provider::new(c, redirect).map_err(SsoSetupError::Provider)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .user_agent(concat!("kubeorch/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(SsoSetupError::Http)?;
        Ok(SsoService {
            providers,
            store,
            accounts,
            http,
            open_signup: config.signup == SignupMode::Open,
            secure_cookies: config.cookie_secure(),
            code_lifetime: Duration::seconds(config.sso_code_secs as i64),
        })
    }

    /// The configured providers for the log-in page.
    pub fn provider_list(&self) -> Vec<ProviderInfo> {
        self.providers
            .iter()
            .map(|p| ProviderInfo {
                id: p.config().id.clone(),
                name: p.config().name.clone(),
            })
            .collect()
    }

    pub(super) fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.config().id == id)
    }

    /// Starts a sign-in at `provider_id` for `purpose` in the browser with `binding` (a new
    /// binding is made when it has none).
    pub async fn start(
        &self,
        provider_id: &str,
        purpose: Purpose,
        binding: Option<String>,
    ) -> Result<Started, Failure> {
        let provider = self
            .provider(provider_id)
            .ok_or(SsoProblem::UnknownProvider)?;
        let binding = binding.unwrap_or_else(random_token);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (state, nonce) = (random_token(), random_token());
        let (next, link_user_id) = match purpose {
            Purpose::Login { next } => (next, None),
            Purpose::Link { user_id } => ("/profile".to_string(), Some(user_id)),
        };
        let request = AuthorizeRequest {
            state: state.clone(),
            nonce: nonce.clone(),
            challenge,
        };
        let location = provider.authorize_url(&self.http, request).await?;
        let pending = SsoStateRecord {
            state_hash: hash(&state),
            provider: provider_id.to_string(),
            binding_hash: hash(&binding),
            nonce,
            pkce_verifier: verifier.secret().clone(),
            link_user_id,
            next,
            expires_at: now() + Duration::seconds(BINDING_SECS),
        };
        self.store
            .put_sso_state(pending)
            .await
            .map_err(|e| internal(&e))?;
        Ok(Started {
            location,
            set_cookie: binding_cookie(&binding, self.secure_cookies),
        })
    }

    /// Finishes a sign-in: returns the local URL to send the browser to (the one-time code
    /// page, or the log-in / profile page with the problem).
    pub async fn callback(
        &self,
        provider_id: &str,
        params: CallbackParams,
        binding: Option<String>,
        request: &Parts,
    ) -> String {
        let Some(pending) = self.take_pending(provider_id, &params, binding).await else {
            return problem_url("/login", provider_id, &SsoProblem::Expired.into());
        };
        let back = if pending.link_user_id.is_some() {
            "/profile"
        } else {
            "/login"
        };
        match self.complete(provider_id, params, &pending, request).await {
            Ok(location) => location,
            Err(failure) => {
                tracing::info!(
                    provider = provider_id,
                    problem = failure.problem.code(),
                    "sign-in failed"
                );
                problem_url(back, provider_id, &failure)
            }
        }
    }

    /// The pending request `params.state` names, taken (once) if it belongs to this provider
    /// and to this browser.
    async fn take_pending(
        &self,
        provider_id: &str,
        params: &CallbackParams,
        binding: Option<String>,
    ) -> Option<SsoStateRecord> {
        let state = params.state.as_deref()?;
        let pending = match self.store.take_sso_state(&hash(state), now()).await {
            Ok(pending) => pending?,
            Err(e) => {
                internal(&e);
                return None;
            }
        };
        let same_browser = binding.is_some_and(|b| hash(&b) == pending.binding_hash);
        (pending.provider == provider_id && same_browser).then_some(pending)
    }

    async fn complete(
        &self,
        provider_id: &str,
        params: CallbackParams,
        pending: &SsoStateRecord,
        request: &Parts,
    ) -> Result<String, Failure> {
        let provider = self
            .provider(provider_id)
            .ok_or(SsoProblem::UnknownProvider)?;
        if let Some(error) = &params.error {
            return Err(Failure::provider(error));
        }
        if !provider.accepts_issuer(params.iss.as_deref()) {
            tracing::warn!(provider = provider_id, "callback names another issuer");
            return Err(SsoProblem::InvalidToken.into());
        }
        let code = params.code.ok_or(SsoProblem::Provider)?;
        let account = provider
            .finish(
                &self.http,
                code,
                pending.pkce_verifier.clone(),
                pending.nonce.clone(),
            )
            .await?;
        self.check_domain(provider, &account)?;
        match &pending.link_user_id {
            None => {
                let user = self.login(provider, &account).await?;
                self.issue_code(&user.id, pending).await
            }
            Some(user_id) => {
                let session = self
                    .accounts
                    .session(request)
                    .await
                    .map_err(|_| Failure::from(SsoProblem::Internal))?;
                if session.is_none_or(|s| s.user.id != *user_id) {
                    return Err(SsoProblem::Session.into());
                }
                self.link(provider, &account, user_id).await?;
                Ok(format!("/profile?linked={provider_id}"))
            }
        }
    }

    /// With allowed domains configured, only a verified email in one of them may sign in.
    fn check_domain(&self, provider: &Provider, account: &ExternalAccount) -> Result<(), Failure> {
        let allowed = &provider.config().allowed_domains;
        if allowed.is_empty() {
            return Ok(());
        }
        let domain = account
            .verified_email()
            .and_then(|email| email.rsplit_once('@'))
            .map(|(_, domain)| domain);
        match domain {
            Some(domain) if allowed.iter().any(|a| a == domain) => Ok(()),
            _ => Err(SsoProblem::Domain.into()),
        }
    }
}

/// `back` with the problem in the query.
pub(super) fn problem_url(back: &str, provider_id: &str, failure: &Failure) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("sso_error", failure.problem.code());
    query.append_pair("provider", provider_id);
    if let Some(detail) = &failure.detail {
        query.append_pair("detail", detail);
    }
    format!("{back}?{}", query.finish())
}

/// Logs an unexpected error and returns the generic failure.
pub(super) fn internal(error: &dyn std::fmt::Display) -> Failure {
    tracing::error!("sign-in: {error}");
    SsoProblem::Internal.into()
}
