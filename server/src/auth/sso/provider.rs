//! What every provider does: build the authorization URL, and turn the callback's code into a
//! verified account.

use openidconnect::PkceCodeChallenge;
use url::Url;

use app::model::sso::is_error_code;
use app::model::SsoProblem;

use super::config::{ProviderConfig, ProviderKind};
use super::github::GithubProvider;
use super::oidc::OidcProvider;

/// Why a sign-in failed: the problem shown to the user and, for provider errors, the
/// provider's error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What the user is told.
    pub problem: SsoProblem,
    /// The provider's OAuth error code (only ever a short `[a-z0-9_]` token).
    pub detail: Option<String>,
}

impl From<SsoProblem> for Failure {
    fn from(problem: SsoProblem) -> Self {
        Failure {
            problem,
            detail: None,
        }
    }
}

impl Failure {
    /// A provider error with its OAuth error code (dropped unless it looks like one).
    pub fn provider(code: &str) -> Self {
        let problem = if code == "access_denied" {
            SsoProblem::Denied
        } else {
            SsoProblem::Provider
        };
        Failure {
            problem,
            detail: is_error_code(code).then(|| code.to_string()),
        }
    }
}

/// The account the provider vouched for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternalAccount {
    /// The provider's stable id of the account.
    pub subject: String,
    /// The email the provider reported (trimmed, lower-case), if any.
    pub email: Option<String>,
    /// True only when the provider said the email is verified.
    pub email_verified: bool,
    /// A display name, if the provider has one.
    pub name: Option<String>,
}

impl ExternalAccount {
    /// The email, only if verified.
    pub fn verified_email(&self) -> Option<&str> {
        self.email.as_deref().filter(|_| self.email_verified)
    }
}

/// Normalises an email from a provider; `None` unless it looks like an address.
pub fn clean_email(email: &str) -> Option<String> {
    crate::auth::service::normalise_email(email).ok()
}

/// What goes into an authorization request.
pub struct AuthorizeRequest {
    /// The `state` value.
    pub state: String,
    /// The OIDC `nonce`.
    pub nonce: String,
    /// The PKCE S256 challenge.
    pub challenge: PkceCodeChallenge,
}

/// A configured provider.
pub enum Provider {
    /// OpenID Connect.
    Oidc(Box<OidcProvider>),
    /// GitHub.
    Github(Box<GithubProvider>),
}

impl Provider {
    /// The provider for `config`, redirecting back to `redirect`.
    pub fn new(config: ProviderConfig, redirect: Url) -> Result<Self, String> {
        match &config.kind {
            ProviderKind::Oidc { .. } => {
                OidcProvider::new(config, redirect).map(|p| Provider::Oidc(Box::new(p)))
            }
            ProviderKind::Github { .. } => {
                GithubProvider::new(config, redirect).map(|p| Provider::Github(Box::new(p)))
            }
        }
    }

    /// Its configuration.
    pub fn config(&self) -> &ProviderConfig {
        match self {
            Provider::Oidc(p) => p.config(),
            Provider::Github(p) => p.config(),
        }
    }

    /// The URL to send the browser to.
    pub async fn authorize_url(
        &self,
        http: &reqwest::Client,
        request: AuthorizeRequest,
    ) -> Result<Url, Failure> {
        match self {
            Provider::Oidc(p) => p.authorize_url(http, request).await,
            Provider::Github(p) => Ok(p.authorize_url(request)),
        }
    }

    /// Checks the `iss` the provider added to the callback (RFC 9207), when it did.
    pub fn accepts_issuer(&self, iss: Option<&str>) -> bool {
        match (self, iss) {
            (Provider::Oidc(p), Some(iss)) => p.is_issuer(iss),
            _ => true,
        }
    }

    /// Redeems the authorization `code` (with the PKCE `verifier`) and returns the verified
    /// account; for OIDC the id_token must carry `nonce`.
    pub async fn finish(
        &self,
        http: &reqwest::Client,
        code: String,
        verifier: String,
        nonce: String,
    ) -> Result<ExternalAccount, Failure> {
        match self {
            Provider::Oidc(p) => p.finish(http, code, verifier, nonce).await,
            Provider::Github(p) => p.finish(http, code, verifier).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_verified_emails_count() {
        let mut account = ExternalAccount {
            subject: "1".into(),
            email: clean_email(" Ada@Example.COM "),
            email_verified: false,
            name: None,
        };
        assert_eq!(account.email.as_deref(), Some("ada@example.com"));
        assert_eq!(account.verified_email(), None);
        account.email_verified = true;
        assert_eq!(account.verified_email(), Some("ada@example.com"));
        assert_eq!(clean_email("not an email"), None);
    }

    #[test]
    fn provider_errors_keep_only_oauth_codes() {
        assert_eq!(
            Failure::provider("access_denied").problem,
            SsoProblem::Denied
        );
        let odd = Failure::provider("<b>hi</b>");
        assert_eq!(odd.problem, SsoProblem::Provider);
        assert_eq!(odd.detail, None);
    }
}
