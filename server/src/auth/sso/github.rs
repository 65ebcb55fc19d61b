//! GitHub (and GitHub Enterprise Server): OAuth2 authorization code flow through the `oauth2`
//! crate with PKCE (S256) and `state`, then the REST API: `GET /user` for the stable numeric id
//! (the subject; logins can be renamed) and `GET /user/emails` for a primary, verified email.
//! GitHub is not an OpenID provider, so there is no id_token or nonce; the access token comes
//! straight from GitHub's token endpoint over TLS and is used only for these two calls.

use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeVerifier, RedirectUrl,
    RequestTokenError, Scope, TokenResponse, TokenUrl,
};
use serde::Deserialize;
use url::Url;

use app::model::SsoProblem;

use super::config::{ProviderConfig, ProviderKind};
use super::provider::{clean_email, AuthorizeRequest, ExternalAccount, Failure};

/// One GitHub provider.
pub struct GithubProvider {
    config: ProviderConfig,
    auth_url: AuthUrl,
    token_url: TokenUrl,
    api_url: Url,
    redirect: RedirectUrl,
}

#[derive(Deserialize)]
struct GithubUser {
    id: u64,
    login: String,
    name: Option<String>,
}

#[derive(Deserialize)]
struct GithubEmail {
    email: String,
    primary: bool,
    verified: bool,
}

impl GithubProvider {
    /// The provider for `config` (whose kind is GitHub).
    pub fn new(config: ProviderConfig, redirect: Url) -> Result<Self, String> {
        let ProviderKind::Github { web_url, api_url } = &config.kind else {
            return Err(format!("provider `{}` is not a GitHub provider", config.id));
        };
        let join = |base: &Url, path: &str| {
            with_trailing_slash(base)
                .join(path)
                .map_err(|e| format!("URL of `{}`: {e}", config.id))
        };
        Ok(GithubProvider {
            auth_url: AuthUrl::from_url(join(web_url, "login/oauth/authorize")?),
            token_url: TokenUrl::from_url(join(web_url, "login/oauth/access_token")?),
            api_url: with_trailing_slash(api_url),
            redirect: RedirectUrl::from_url(redirect),
            config,
        })
    }

    /// Its configuration.
    pub fn config(&self) -> &ProviderConfig {
        &self.config
    }

    /// The authorization URL (PKCE S256, state).
    pub fn authorize_url(&self, request: AuthorizeRequest) -> Url {
        let state = request.state;
        let (url, _) = BasicClient::new(ClientId::new(self.config.client_id.clone()))
            .set_auth_uri(self.auth_url.clone())
            .set_redirect_uri(self.redirect.clone())
            .authorize_url(move || CsrfToken::new(state))
            .add_scopes(self.config.scopes.iter().map(|s| Scope::new(s.clone())))
            .set_pkce_challenge(request.challenge)
            .url();
        url
    }

    /// Redeems the code and reads the user and their verified emails.
    pub async fn finish(
        &self,
        http: &reqwest::Client,
        code: String,
        verifier: String,
    ) -> Result<ExternalAccount, Failure> {
        let mut client = BasicClient::new(ClientId::new(self.config.client_id.clone()))
            .set_token_uri(self.token_url.clone())
            .set_redirect_uri(self.redirect.clone());
        if let Some(secret) = &self.config.client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.expose().to_string()));
        }
        let token = client
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(PkceCodeVerifier::new(verifier))
            .request_async(http)
            .await
            .map_err(|e| match e {
                RequestTokenError::ServerResponse(response) => {
                    tracing::warn!(provider = %self.config.id, "token request refused: {}", response.error());
                    Failure::provider(response.error().as_ref())
                }
                other => {
                    tracing::warn!(provider = %self.config.id, "token request failed: {other}");
                    Failure::from(SsoProblem::Unavailable)
                }
            })?;
        let access = token.access_token().secret();
        let user: GithubUser = self.get(http, "user", access).await?;
        // Without the `user:email` scope this is refused; then no email is trusted.
        let emails: Vec<GithubEmail> = self
            .get(http, "user/emails", access)
            .await
            .unwrap_or_default();
        let verified = emails
            .iter()
            .filter(|e| e.verified)
            .max_by_key(|e| e.primary)
            .and_then(|e| clean_email(&e.email));
        let name = user
            .name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(user.login);
        Ok(ExternalAccount {
            subject: user.id.to_string(),
            email_verified: verified.is_some(),
            email: verified,
            name: Some(name.trim().chars().take(100).collect()),
        })
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        http: &reqwest::Client,
        path: &str,
        access_token: &str,
    ) -> Result<T, Failure> {
        let unavailable = |what: String| {
            tracing::warn!(provider = %self.config.id, "GitHub API {path}: {what}");
            Failure::from(SsoProblem::Unavailable)
        };
        let url = self
            .api_url
            .join(path)
            .map_err(|e| unavailable(e.to_string()))?;
        let response = http
            .get(url)
            .bearer_auth(access_token)
            .header("accept", "application/vnd.github+json")
            .header("x-github-api-version", "2022-11-28")
            .send()
            .await
            .map_err(|e| unavailable(e.to_string()))?;
        if !response.status().is_success() {
            return Err(unavailable(format!("status {}", response.status())));
        }
        response
            .json()
            .await
            .map_err(|e| unavailable(e.to_string()))
    }
}

/// `base` with a trailing slash, so that joining keeps its path (`…/api/v3/` + `user`).
fn with_trailing_slash(base: &Url) -> Url {
    let mut url = base.clone();
    if !url.path().ends_with('/') {
        url.set_path(&format!("{}/", url.path()));
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enterprise_api_paths_are_kept() {
        let base = Url::parse("https://ghe.example/api/v3").expect("url");
        let joined = with_trailing_slash(&base)
            .join("user/emails")
            .expect("join");
        assert_eq!(joined.as_str(), "https://ghe.example/api/v3/user/emails");
    }
}
