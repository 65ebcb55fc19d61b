//! Identity providers from the environment.
//!
//! `KUBEORCH_SSO_PROVIDERS=github,corp` lists the provider ids (lower-case letters, digits,
//! `-`); each is configured by variables named `KUBEORCH_SSO_<ID>_<KEY>` (`<ID>` upper-cased,
//! `-` as `_`):
//!
//! | key | meaning |
//! |---|---|
//! | `TYPE` | `oidc` or `github` (default: `github` for the id `github`, else `oidc`) |
//! | `ISSUER` | OIDC issuer URL (discovery at `<issuer>/.well-known/openid-configuration`) |
//! | `CLIENT_ID` | client id (required) |
//! | `CLIENT_SECRET` | client secret (required for GitHub; OIDC public clients may omit it) |
//! | `NAME` | name on the button (default: `GitHub`, or the id) |
//! | `SCOPES` | space- or comma-separated (default: `openid email profile` / `read:user user:email`) |
//! | `ALLOWED_DOMAINS` | comma-separated email domains; when set, only verified emails there |
//! | `SIGNUP` | `true`/`false`: create accounts for new users (default: when sign-up is open) |
//! | `GITHUB_URL`, `API_URL` | GitHub Enterprise: web and API base URLs |

use url::Url;

use crate::config::Secret;

/// One configured identity provider.
#[derive(Clone, Debug)]
pub struct ProviderConfig {
    /// The id in URLs and in stored identities.
    pub id: String,
    /// The name on the button.
    pub name: String,
    /// The protocol and its endpoints.
    pub kind: ProviderKind,
    /// The OAuth client id.
    pub client_id: String,
    /// The OAuth client secret (redacted in `Debug`).
    pub client_secret: Option<Secret>,
    /// Scopes to ask for (for OIDC, `openid` is always added).
    pub scopes: Vec<String>,
    /// Lower-case email domains allowed to sign in; empty allows any.
    pub allowed_domains: Vec<String>,
    /// Whether new users may get an account; `None` follows the server's sign-up mode.
    pub signup: Option<bool>,
}

/// How a provider is spoken to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProviderKind {
    /// OpenID Connect with discovery.
    Oidc {
        /// The issuer URL, exactly as configured (it must equal the id_token's `iss`).
        issuer: String,
    },
    /// GitHub's OAuth2 and REST API.
    Github {
        /// Web base, e.g. `https://github.com` (authorize and token endpoints live here).
        web_url: Url,
        /// API base, e.g. `https://api.github.com`.
        api_url: Url,
    },
}

/// A provider setting that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProviderConfigError {
    /// The id has characters that cannot go in URLs or variable names.
    #[error("sign-in provider id `{0}` is not valid: use 1–32 lower-case letters, digits or `-`")]
    BadId(String),
    /// The id is listed twice.
    #[error("sign-in provider `{0}` is listed twice in KUBEORCH_SSO_PROVIDERS")]
    Duplicate(String),
    /// A required variable is missing.
    #[error("{var} must be set for sign-in provider `{id}`")]
    Missing {
        /// The variable.
        var: String,
        /// The provider.
        id: String,
    },
    /// A variable has a value that cannot be used.
    #[error("{var} is not valid: {reason}")]
    Invalid {
        /// The variable.
        var: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// Reads the providers `ids` from variables looked up with `env`. In `production`, provider
/// URLs must use `https` (except on the loopback interface).
pub fn from_env(
    ids: &[String],
    production: bool,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Vec<ProviderConfig>, ProviderConfigError> {
    let mut providers: Vec<ProviderConfig> = Vec::new();
    for id in ids.iter().map(|id| id.trim()).filter(|id| !id.is_empty()) {
        if providers.iter().any(|p| p.id == id) {
            return Err(ProviderConfigError::Duplicate(id.to_string()));
        }
        providers.push(one(id, production, &env)?);
    }
    Ok(providers)
}

fn one(
    id: &str,
    production: bool,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<ProviderConfig, ProviderConfigError> {
    let valid_id = (1..=32).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid_id {
        return Err(ProviderConfigError::BadId(id.to_string()));
    }
    let prefix = format!(
        "KUBEORCH_SSO_{}_",
        id.to_ascii_uppercase().replace('-', "_")
    );
    let var = |key: &str| format!("{prefix}{key}");
    let get = |key: &str| {
        env(&var(key))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let require = |key: &str| {
        get(key).ok_or_else(|| ProviderConfigError::Missing {
            var: var(key),
            id: id.to_string(),
        })
    };
    let url = |key: &str, value: String| parse_url(&var(key), &value, production);
    let is_github = match get("TYPE").as_deref() {
        None => id == "github",
        Some("github") => true,
        Some("oidc") => false,
        Some(other) => {
            return Err(ProviderConfigError::Invalid {
                var: var("TYPE"),
                reason: format!("`{other}` is neither `oidc` nor `github`"),
            })
        }
    };
    let kind = if is_github {
        let web = get("GITHUB_URL").unwrap_or_else(|| "https://github.com".into());
        let api = get("API_URL").unwrap_or_else(|| "https://api.github.com".into());
        ProviderKind::Github {
            web_url: url("GITHUB_URL", web)?,
            api_url: url("API_URL", api)?,
        }
    } else {
        let issuer = require("ISSUER")?;
        url("ISSUER", issuer.clone())?;
        ProviderKind::Oidc { issuer }
    };
    let client_secret = get("CLIENT_SECRET").map(Secret::from);
    if is_github && client_secret.is_none() {
        require("CLIENT_SECRET")?;
    }
    let default_scopes = if is_github {
        "read:user user:email"
    } else {
        "openid email profile"
    };
    let scopes = get("SCOPES").unwrap_or_else(|| default_scopes.into());
    let signup = match get("SIGNUP").as_deref() {
        None => None,
        Some("true" | "1" | "yes") => Some(true),
        Some("false" | "0" | "no") => Some(false),
        Some(other) => {
            return Err(ProviderConfigError::Invalid {
                var: var("SIGNUP"),
                reason: format!("`{other}` is not true or false"),
            })
        }
    };
    Ok(ProviderConfig {
        id: id.to_string(),
        name: get("NAME").unwrap_or_else(|| {
            if is_github {
                "GitHub".into()
            } else {
                id.into()
            }
        }),
        kind,
        client_id: require("CLIENT_ID")?,
        client_secret,
        scopes: split(&scopes, |c| c == ' ' || c == ','),
        allowed_domains: split(&get("ALLOWED_DOMAINS").unwrap_or_default(), |c| c == ',')
            .into_iter()
            .map(|d| d.trim_start_matches('@').to_ascii_lowercase())
            .collect(),
        signup,
    })
}

fn split(list: &str, separator: impl Fn(char) -> bool) -> Vec<String> {
    list.split(separator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Parses an http(s) URL; in production only https, or http on the loopback interface.
fn parse_url(var: &str, value: &str, production: bool) -> Result<Url, ProviderConfigError> {
    let invalid = |reason: String| ProviderConfigError::Invalid {
        var: var.to_string(),
        reason,
    };
    let url = Url::parse(value).map_err(|e| invalid(format!("`{value}` is not a URL ({e})")))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(host)) => host == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback || !production => Ok(url),
        "http" => Err(invalid(format!(
            "`{value}` must use https in production mode"
        ))),
        other => Err(invalid(format!("the scheme `{other}` is not http(s)"))),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn read(
        ids: &[&str],
        vars: &[(&str, &str)],
        production: bool,
    ) -> Result<Vec<ProviderConfig>, ProviderConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        from_env(&ids, production, |key| vars.get(key).cloned())
    }

    #[test]
    fn github_and_oidc_providers_are_read_with_defaults() {
        let providers = read(
            &["github", "my-idp"],
            &[
                ("KUBEORCH_SSO_GITHUB_CLIENT_ID", "gh-id"),
                ("KUBEORCH_SSO_GITHUB_CLIENT_SECRET", "gh-secret"),
                ("KUBEORCH_SSO_MY_IDP_ISSUER", "https://idp.example/realms/x"),
                ("KUBEORCH_SSO_MY_IDP_CLIENT_ID", "kubeorch"),
                ("KUBEORCH_SSO_MY_IDP_NAME", "Corporate login"),
                (
                    "KUBEORCH_SSO_MY_IDP_ALLOWED_DOMAINS",
                    "Example.com, @corp.example",
                ),
                ("KUBEORCH_SSO_MY_IDP_SIGNUP", "false"),
            ],
            true,
        )
        .expect("valid");
        let github = &providers[0];
        assert_eq!(github.name, "GitHub");
        assert_eq!(github.scopes, ["read:user", "user:email"]);
        assert!(matches!(&github.kind, ProviderKind::Github { api_url, .. }
            if api_url.as_str() == "https://api.github.com/"));
        assert_eq!(format!("{:?}", github.client_secret), "Some(<redacted>)");
        let idp = &providers[1];
        assert_eq!(idp.name, "Corporate login");
        assert_eq!(idp.scopes, ["openid", "email", "profile"]);
        assert_eq!(idp.allowed_domains, ["example.com", "corp.example"]);
        assert_eq!(idp.signup, Some(false));
        assert!(idp.client_secret.is_none(), "public clients are allowed");
    }

    #[test]
    fn mistakes_name_the_variable_to_fix() {
        let missing = read(&["corp"], &[("KUBEORCH_SSO_CORP_CLIENT_ID", "x")], false);
        assert!(missing
            .unwrap_err()
            .to_string()
            .contains("KUBEORCH_SSO_CORP_ISSUER"));
        let no_secret = read(
            &["github"],
            &[("KUBEORCH_SSO_GITHUB_CLIENT_ID", "x")],
            false,
        );
        assert!(no_secret
            .unwrap_err()
            .to_string()
            .contains("KUBEORCH_SSO_GITHUB_CLIENT_SECRET"));
        assert!(matches!(
            read(&["Bad Id"], &[], false),
            Err(ProviderConfigError::BadId(_))
        ));
        let twice = read(
            &["github", "github"],
            &[
                ("KUBEORCH_SSO_GITHUB_CLIENT_ID", "x"),
                ("KUBEORCH_SSO_GITHUB_CLIENT_SECRET", "y"),
            ],
            false,
        );
        assert!(matches!(twice, Err(ProviderConfigError::Duplicate(_))));
        let kind = read(&["x"], &[("KUBEORCH_SSO_X_TYPE", "saml")], false);
        assert!(kind
            .unwrap_err()
            .to_string()
            .contains("KUBEORCH_SSO_X_TYPE"));
    }

    #[test]
    fn production_needs_https_except_on_loopback() {
        let vars = |issuer: &'static str| {
            vec![
                ("KUBEORCH_SSO_C_ISSUER", issuer),
                ("KUBEORCH_SSO_C_CLIENT_ID", "x"),
            ]
        };
        assert!(read(&["c"], &vars("http://idp.example"), true).is_err());
        assert!(read(&["c"], &vars("http://idp.example"), false).is_ok());
        assert!(read(&["c"], &vars("http://127.0.0.1:9000"), true).is_ok());
        assert!(read(&["c"], &vars("ftp://idp.example"), false).is_err());
    }
}
