//! OpenID Connect providers (Keycloak, Authentik, Dex, Google, …) through the `openidconnect`
//! crate: discovery, PKCE, and id_token verification (JWKS signature with an asymmetric
//! algorithm, `iss`, `aud`, `exp`, `nonce`, and `at_hash` when present).
//!
//! Discovery (and the JWKS) is fetched on first use and kept for [`METADATA_TTL`]; when an
//! id_token is signed with a key the cached JWKS does not have, it is fetched again once (key
//! rotation).

use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreTokenResponse, CoreUserInfoClaims,
};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope, SignatureVerificationError,
    TokenResponse,
};
use tokio::sync::Mutex;
use url::Url;

use app::model::SsoProblem;

use super::config::{ProviderConfig, ProviderKind};
use super::provider::{clean_email, AuthorizeRequest, ExternalAccount, Failure};

/// How long discovery and keys are reused.
const METADATA_TTL: Duration = Duration::from_secs(15 * 60);

/// Signature algorithms accepted for id_tokens: asymmetric only (never `none`, never a MAC
/// keyed with the client secret).
const ALGORITHMS: [CoreJwsSigningAlgorithm; 10] = [
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::RsaSsaPssSha384,
    CoreJwsSigningAlgorithm::RsaSsaPssSha512,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
    CoreJwsSigningAlgorithm::EcdsaP521Sha512,
    CoreJwsSigningAlgorithm::EdDsa,
];

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// One OpenID Connect provider.
pub struct OidcProvider {
    config: ProviderConfig,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    metadata: Mutex<Option<(Instant, CoreProviderMetadata)>>,
}

impl OidcProvider {
    /// The provider for `config` (whose kind is OIDC).
    pub fn new(config: ProviderConfig, redirect: Url) -> Result<Self, String> {
        let ProviderKind::Oidc { issuer } = &config.kind else {
            return Err(format!("provider `{}` is not an OIDC provider", config.id));
        };
        let issuer = IssuerUrl::new(issuer.clone())
            .map_err(|e| format!("issuer of `{}`: {e}", config.id))?;
        Ok(OidcProvider {
            issuer,
            redirect: RedirectUrl::from_url(redirect),
            metadata: Mutex::new(None),
            config,
        })
    }

    /// Its configuration.
    pub fn config(&self) -> &ProviderConfig {
        &self.config
    }

    /// True when `iss` names this provider.
    pub fn is_issuer(&self, iss: &str) -> bool {
        iss == self.issuer.as_str()
    }

    /// Discovery and keys, cached; `refresh` forces a new fetch.
    async fn metadata(
        &self,
        http: &reqwest::Client,
        refresh: bool,
    ) -> Result<CoreProviderMetadata, Failure> {
        let mut cached = self.metadata.lock().await;
        if let Some((at, metadata)) = cached.as_ref() {
            if !refresh && at.elapsed() < METADATA_TTL {
                return Ok(metadata.clone());
            }
        }
        let metadata = CoreProviderMetadata::discover_async(self.issuer.clone(), http)
            .await
            .map_err(|e| {
                tracing::warn!(provider = %self.config.id, "OIDC discovery failed: {e}");
                Failure::from(SsoProblem::Unavailable)
            })?;
        *cached = Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    fn client(&self, metadata: CoreProviderMetadata) -> Client {
        let secret = self
            .config
            .client_secret
            .as_ref()
            .map(|s| ClientSecret::new(s.expose().to_string()));
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            secret,
        )
        .set_redirect_uri(self.redirect.clone())
    }

    /// The authorization URL (code flow, PKCE S256, state, nonce).
    pub async fn authorize_url(
        &self,
        http: &reqwest::Client,
        request: AuthorizeRequest,
    ) -> Result<Url, Failure> {
        let client = self.client(self.metadata(http, false).await?);
        let AuthorizeRequest {
            state,
            nonce,
            challenge,
        } = request;
        let scopes = self
            .config
            .scopes
            .iter()
            .filter(|s| *s != "openid")
            .map(|s| Scope::new(s.clone()));
        let (url, _, _) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                move || CsrfToken::new(state),
                move || Nonce::new(nonce),
            )
            .add_scopes(scopes)
            .set_pkce_challenge(challenge)
            .url();
        Ok(url)
    }

    /// Redeems the code and verifies the id_token; reads userinfo when the id_token has no email.
    pub async fn finish(
        &self,
        http: &reqwest::Client,
        code: String,
        verifier: String,
        nonce: String,
    ) -> Result<ExternalAccount, Failure> {
        let client = self.client(self.metadata(http, false).await?);
        let token = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| self.unavailable(&e))?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier))
            .request_async(http)
            .await
            .map_err(|e| match e {
                RequestTokenError::ServerResponse(response) => {
                    tracing::warn!(provider = %self.config.id, "token request refused: {}", response.error());
                    Failure::provider(response.error().as_ref())
                }
                other => self.unavailable(&other),
            })?;
        let nonce = Nonce::new(nonce);
        let mut account = match self.verify(&client, &token, &nonce) {
            Err(VerifyError::UnknownKey) => {
                let fresh = self.client(self.metadata(http, true).await?);
                self.verify(&fresh, &token, &nonce)
            }
            other => other,
        }
        .map_err(|_| Failure::from(SsoProblem::InvalidToken))?;
        if account.email.is_none() {
            self.add_userinfo(&client, http, &token, &mut account).await;
        }
        Ok(account)
    }

    fn verify(
        &self,
        client: &Client,
        token: &CoreTokenResponse,
        nonce: &Nonce,
    ) -> Result<ExternalAccount, VerifyError> {
        let id_token = token.id_token().ok_or_else(|| {
            tracing::warn!(provider = %self.config.id, "the token response has no id_token");
            VerifyError::Invalid
        })?;
        let verifier = client.id_token_verifier().set_allowed_algs(ALGORITHMS);
        let claims = id_token.claims(&verifier, nonce).map_err(|e| {
            tracing::warn!(provider = %self.config.id, "id_token rejected: {e}");
            match e {
                ClaimsVerificationError::SignatureVerification(
                    SignatureVerificationError::NoMatchingKey,
                ) => VerifyError::UnknownKey,
                _ => VerifyError::Invalid,
            }
        })?;
        if let Some(expected) = claims.access_token_hash() {
            let actual = id_token
                .signing_alg()
                .ok()
                .zip(id_token.signing_key(&verifier).ok())
                .and_then(|(alg, key)| {
                    AccessTokenHash::from_token(token.access_token(), alg, key).ok()
                });
            if actual.as_ref() != Some(expected) {
                tracing::warn!(provider = %self.config.id, "id_token at_hash does not match");
                return Err(VerifyError::Invalid);
            }
        }
        Ok(ExternalAccount {
            subject: claims.subject().as_str().to_string(),
            email: claims.email().and_then(|e| clean_email(e.as_str())),
            email_verified: claims.email_verified() == Some(true),
            name: display_name(
                claims.name().and_then(|n| n.get(None)).map(|n| n.as_str()),
                claims.preferred_username().map(|n| n.as_str()),
            ),
        })
    }

    /// Fills email (and name) from the userinfo endpoint, for the same subject only.
    async fn add_userinfo(
        &self,
        client: &Client,
        http: &reqwest::Client,
        token: &CoreTokenResponse,
        account: &mut ExternalAccount,
    ) {
        let subject = openidconnect::SubjectIdentifier::new(account.subject.clone());
        let Ok(request) = client.user_info(token.access_token().clone(), Some(subject)) else {
            return;
        };
        let info: CoreUserInfoClaims = match request.request_async(http).await {
            Ok(info) => info,
            Err(e) => {
                tracing::warn!(provider = %self.config.id, "userinfo failed: {e}");
                return;
            }
        };
        account.email = info.email().and_then(|e| clean_email(e.as_str()));
        account.email_verified = info.email_verified() == Some(true);
        if account.name.is_none() {
            account.name = display_name(
                info.name().and_then(|n| n.get(None)).map(|n| n.as_str()),
                info.preferred_username().map(|n| n.as_str()),
            );
        }
    }

    fn unavailable(&self, error: &dyn std::error::Error) -> Failure {
        tracing::warn!(provider = %self.config.id, "token request failed: {error}");
        Failure::from(SsoProblem::Unavailable)
    }
}

enum VerifyError {
    UnknownKey,
    Invalid,
}

/// The name to show: the full name, else the user name.
fn display_name(name: Option<&str>, username: Option<&str>) -> Option<String> {
    name.or(username)
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(100).collect())
}
