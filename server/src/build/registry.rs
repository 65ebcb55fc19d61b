//! Registries: URL checks, the encrypted password (the cluster [`Sealer`], bound to the
//! registry record), and the connection test — `GET /v2/` with the credentials, following a
//! Bearer challenge to the registry's token service the way `docker login` does.

use std::time::Duration;

use base64::Engine;
use reqwest::StatusCode;

use app::model::build::RegistryCheck;

use crate::cluster::crypto::{OpenError, Sealer};
use crate::store::records::now;
use crate::store::RegistryRecord;

/// How long a registry test may take.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Credentials for one registry, decrypted for a test or a push. `Debug` hides the password.
#[derive(Clone)]
pub struct RegistryAuth {
    /// User name.
    pub username: String,
    /// Password or token.
    pub password: String,
}

impl std::fmt::Debug for RegistryAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryAuth")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl RegistryAuth {
    /// `base64(user:password)`, as in `Authorization: Basic` and `auth.json`.
    pub fn basic(&self) -> String {
        base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", self.username, self.password))
    }

    /// Every form of the secret that could show up in output (to scrub).
    pub fn secrets(&self) -> Vec<String> {
        vec![self.password.clone(), self.basic()]
    }
}

/// The record id the password is sealed for (distinct from cluster ids, so a cluster's
/// ciphertext never opens as a registry's).
fn sealed_for(id: &str) -> String {
    format!("registry/{id}")
}

/// Encrypts a registry password.
pub fn seal(sealer: &Sealer, owner_id: &str, id: &str, password: &str) -> Vec<u8> {
    if password.is_empty() {
        return Vec::new();
    }
    sealer.seal(owner_id, &sealed_for(id), password.as_bytes())
}

/// The registry's credentials, if it has a user name.
pub fn open(sealer: &Sealer, record: &RegistryRecord) -> Result<Option<RegistryAuth>, OpenError> {
    let Some(username) = record.username.clone().filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let password = if record.password.is_empty() {
        String::new()
    } else {
        let plain = sealer.open(&record.owner_id, &sealed_for(&record.id), &record.password)?;
        String::from_utf8(plain).map_err(|_| OpenError)?
    };
    Ok(Some(RegistryAuth { username, password }))
}

/// Checks and normalises a registry URL: `https://host[:port]` (the default scheme) or
/// `http://host[:port]` for a registry without TLS. No path, no credentials in the URL.
pub fn normalise_url(input: &str) -> Result<String, String> {
    let input = input.trim();
    let with_scheme = if input.contains("://") {
        input.to_string()
    } else {
        format!("https://{input}")
    };
    let url = url::Url::parse(&with_scheme)
        .map_err(|_| format!("'{input}' is not a registry address like registry.example.com or http://127.0.0.1:5000."))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(
            "The registry URL must start with https:// (or http:// for a registry without TLS)."
                .into(),
        );
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("Put the user name and password in their own fields, not in the URL.".into());
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(
            "Give only the registry host (and port); put namespaces in the image name.".into(),
        );
    }
    let host = url.host_str().ok_or("The registry URL has no host.")?;
    Ok(match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
}

/// Tests a registry: `GET {url}/v2/` with the credentials; a Bearer challenge is answered by
/// asking the token service named in it with the same credentials.
pub async fn test(url: &str, auth: Option<&RegistryAuth>) -> RegistryCheck {
    let outcome = probe(url, auth).await;
    let (state, message) = match outcome {
        Ok(message) => ("ok", message),
        Err(message) => ("error", message),
    };
    RegistryCheck {
        state: state.into(),
        message: Some(message),
        checked_at: Some(now()),
    }
}

fn client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(TEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|_| "cannot create an HTTP client".to_string())
}

async fn probe(url: &str, auth: Option<&RegistryAuth>) -> Result<String, String> {
    let http = client()?;
    let mut request = http.get(format!("{url}/v2/"));
    if let Some(auth) = auth {
        request = request.basic_auth(&auth.username, Some(&auth.password));
    }
    let response = request
        .send()
        .await
        .map_err(|e| format!("The registry did not answer: {}", reqwest_reason(&e)))?;
    match response.status() {
        s if s.is_success() => Ok(match auth {
            Some(_) => "The registry accepted the credentials.".into(),
            None => "The registry answered (no credentials needed to reach it).".into(),
        }),
        StatusCode::UNAUTHORIZED => {
            let challenge = response
                .headers()
                .get(reqwest::header::WWW_AUTHENTICATE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            match (bearer_realm(&challenge), auth) {
                (_, None) => Err("The registry needs a user name and password or token.".into()),
                (Some((realm, service)), Some(auth)) => {
                    token_service(&http, &realm, service.as_deref(), auth).await
                }
                (None, Some(_)) => Err("The registry rejected the user name or password.".into()),
            }
        }
        other => Err(format!(
            "The registry answered {other} to /v2/; is this a container registry?"
        )),
    }
}

async fn token_service(
    http: &reqwest::Client,
    realm: &str,
    service: Option<&str>,
    auth: &RegistryAuth,
) -> Result<String, String> {
    let mut request = http
        .get(realm)
        .basic_auth(&auth.username, Some(&auth.password));
    if let Some(service) = service {
        request = request.query(&[("service", service)]);
    }
    let response = request.send().await.map_err(|e| {
        format!(
            "The registry's token service did not answer: {}",
            reqwest_reason(&e)
        )
    })?;
    match response.status() {
        s if s.is_success() => Ok("The registry's token service accepted the credentials.".into()),
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            Err("The registry rejected the user name or password.".into())
        }
        other => Err(format!("The registry's token service answered {other}.")),
    }
}

/// `(realm, service)` of a `Bearer realm="…",service="…"` challenge.
fn bearer_realm(challenge: &str) -> Option<(String, Option<String>)> {
    let params = challenge.strip_prefix("Bearer ")?;
    let mut realm = None;
    let mut service = None;
    for part in params.split(',') {
        let (key, value) = part.trim().split_once('=')?;
        let value = value.trim().trim_matches('"').to_string();
        match key.trim() {
            "realm" => realm = Some(value),
            "service" => service = Some(value),
            _ => {}
        }
    }
    let realm = realm.filter(|r| r.starts_with("https://") || r.starts_with("http://"))?;
    Some((realm, service))
}

/// A short reason for a failed request (no URL with credentials in it).
fn reqwest_reason(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "connection refused or host unknown"
    } else {
        "the request failed"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_normalised_or_refused_with_a_reason() {
        assert_eq!(
            normalise_url("registry.example.com/").as_deref(),
            Ok("https://registry.example.com")
        );
        assert_eq!(
            normalise_url("http://127.0.0.1:5000").as_deref(),
            Ok("http://127.0.0.1:5000")
        );
        assert_eq!(
            normalise_url(" https://ghcr.io ").as_deref(),
            Ok("https://ghcr.io")
        );
        for bad in [
            "ftp://x",
            "https://u:p@x",
            "https://x/team",
            "https://",
            "::",
        ] {
            assert!(normalise_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bearer_challenges_name_the_token_service() {
        let (realm, service) = bearer_realm(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io""#,
        )
        .unwrap_or_default();
        assert_eq!(realm, "https://auth.docker.io/token");
        assert_eq!(service.as_deref(), Some("registry.docker.io"));
        assert!(bearer_realm(r#"Basic realm="x""#).is_none());
        assert!(bearer_realm(r#"Bearer realm="file:///etc/passwd""#).is_none());
    }

    #[test]
    fn passwords_are_sealed_to_the_registry() {
        let sealer = Sealer::new(&[3; 32]);
        let sealed = seal(&sealer, "ann", "r1", "s3cret");
        let mut record = RegistryRecord {
            id: "r1".into(),
            owner_id: "ann".into(),
            name: "lab".into(),
            url: "http://127.0.0.1:5000".into(),
            username: Some("ann".into()),
            password: sealed.clone(),
            default_at: None,
            check: RegistryCheck::default(),
            created_at: now(),
            updated_at: now(),
        };
        let auth = open(&sealer, &record).ok().flatten().map(|a| a.password);
        assert_eq!(auth.as_deref(), Some("s3cret"));
        assert!(
            sealer.open("ann", "r1", &sealed).is_err(),
            "not a cluster secret"
        );
        record.id = "r2".into();
        assert!(open(&sealer, &record).is_err());
        assert!(!format!(
            "{:?}",
            RegistryAuth {
                username: "u".into(),
                password: "s3cret".into()
            }
        )
        .contains("s3cret"));
    }
}
