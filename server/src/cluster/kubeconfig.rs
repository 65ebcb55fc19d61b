//! Reading kubeconfigs safely (spec §12): only inline credentials. Anything that would make the
//! server run a program (`exec`), call a plugin (`auth-provider`), or read a file of its own disk
//! (`tokenFile`, `certificate-authority`, `client-certificate`, `client-key`) is refused with a
//! message naming the field; so are proxies. Only the chosen context's cluster and user are kept.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use kube::config::{
    AuthInfo, Cluster as KubeCluster, Context, Kubeconfig, NamedAuthInfo, NamedCluster,
    NamedContext,
};

use app::model::cluster::KubeconfigContext;

/// Largest kubeconfig accepted, in bytes.
pub const MAX_KUBECONFIG_BYTES: usize = 256 * 1024;

/// Why credentials were refused; every message says what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    /// Not YAML, or not a kubeconfig.
    #[error(
        "The kubeconfig could not be read: it is not valid kubeconfig YAML. Paste the whole file."
    )]
    NotKubeconfig,
    /// Over the size limit.
    #[error("The kubeconfig is larger than 256 KiB. Keep only the context you need.")]
    TooLarge,
    /// No contexts at all.
    #[error("The kubeconfig has no contexts.")]
    NoContexts,
    /// No context chosen and no current context.
    #[error("Choose a context: the kubeconfig has no current context (it has: {0}).")]
    NoCurrentContext(String),
    /// The chosen context does not exist.
    #[error("The kubeconfig has no context named \"{name}\" (it has: {available}).")]
    UnknownContext {
        /// The requested context.
        name: String,
        /// The ones there are.
        available: String,
    },
    /// The context names a cluster or user that is not in the file.
    #[error("Context \"{context}\" refers to {what} \"{name}\", which is not in the kubeconfig.")]
    Dangling {
        /// The context.
        context: String,
        /// `cluster` or `user`.
        what: &'static str,
        /// The missing name.
        name: String,
    },
    /// A refused field.
    #[error(
        "Context \"{context}\" cannot be used: {reason}. Only inline credentials are accepted \
         (token, client-certificate-data/client-key-data, certificate-authority-data); for \
         cloud clusters create a service-account token and register it with URL + token."
    )]
    Refused {
        /// The context.
        context: String,
        /// What is refused and where.
        reason: String,
    },
    /// The server URL is unusable.
    #[error("{0}")]
    BadServer(String),
    /// The CA certificate is not PEM.
    #[error(
        "The CA certificate is not valid PEM: paste the \"-----BEGIN CERTIFICATE-----\" block(s)."
    )]
    BadCa,
    /// The token is empty or malformed.
    #[error("The token is empty or contains spaces or line breaks: paste only the token.")]
    BadToken,
}

/// Parses kubeconfig text.
pub fn parse(text: &str) -> Result<Kubeconfig, CredentialError> {
    if text.len() > MAX_KUBECONFIG_BYTES {
        return Err(CredentialError::TooLarge);
    }
    let config = Kubeconfig::from_yaml(text).map_err(|_| CredentialError::NotKubeconfig)?;
    let empty =
        config.clusters.is_empty() && config.contexts.is_empty() && config.auth_infos.is_empty();
    if empty {
        return Err(CredentialError::NotKubeconfig);
    }
    Ok(config)
}

/// Every context of a kubeconfig, each with its refusal reason if it cannot be used.
pub fn contexts(config: &Kubeconfig) -> Vec<KubeconfigContext> {
    config
        .contexts
        .iter()
        .map(|named| {
            let problem = select(config, Some(&named.name))
                .err()
                .map(|e| e.to_string());
            let context = named.context.as_ref();
            let server = context
                .and_then(|c| find_cluster(config, &c.cluster))
                .and_then(|c| c.server.clone())
                .unwrap_or_default();
            KubeconfigContext {
                name: named.name.clone(),
                server,
                namespace: context.and_then(|c| c.namespace.clone()),
                current: config.current_context.as_deref() == Some(named.name.as_str()),
                problem,
            }
        })
        .collect()
}

/// The chosen context reduced to a kubeconfig holding only it: its cluster, its user, and
/// itself as the current context.
#[derive(Clone, Debug)]
pub struct Selected {
    /// The context name.
    pub context: String,
    /// The API server URL.
    pub server: String,
    /// The reduced kubeconfig.
    pub kubeconfig: Kubeconfig,
}

/// Picks `context` (else the current one) and checks it only uses inline credentials.
pub fn select(config: &Kubeconfig, context: Option<&str>) -> Result<Selected, CredentialError> {
    let available = || {
        config
            .contexts
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if config.contexts.is_empty() {
        return Err(CredentialError::NoContexts);
    }
    let name = match context.map(str::trim).filter(|c| !c.is_empty()) {
        Some(name) => name.to_string(),
        None => config
            .current_context
            .clone()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| CredentialError::NoCurrentContext(available()))?,
    };
    let named = config
        .contexts
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| CredentialError::UnknownContext {
            name: name.clone(),
            available: available(),
        })?;
    let ctx = named.context.clone().unwrap_or_else(|| Context {
        cluster: String::new(),
        user: None,
        namespace: None,
        extensions: None,
        other: Default::default(),
    });
    let dangling = |what, missing: &str| CredentialError::Dangling {
        context: name.clone(),
        what,
        name: missing.to_string(),
    };
    let cluster = find_cluster(config, &ctx.cluster)
        .cloned()
        .ok_or_else(|| dangling("cluster", &ctx.cluster))?;
    let user = match ctx.user.as_deref().filter(|u| !u.is_empty()) {
        Some(user) => Some(
            find_user(config, user)
                .cloned()
                .ok_or_else(|| dangling("user", user))?,
        ),
        None => None,
    };
    let refused = |reason: String| CredentialError::Refused {
        context: name.clone(),
        reason,
    };
    check_cluster(&cluster).map_err(refused)?;
    if let Some(user) = &user {
        check_user(user).map_err(refused)?;
    }
    let server = cluster.server.clone().unwrap_or_default();
    check_server(&server, user.as_ref().is_some_and(has_credentials))?;
    let user_name = ctx.user.clone().filter(|u| !u.is_empty());
    let kubeconfig = Kubeconfig {
        clusters: vec![NamedCluster {
            name: ctx.cluster.clone(),
            cluster: Some(cluster),
            other: Default::default(),
        }],
        auth_infos: user
            .map(|user| NamedAuthInfo {
                name: user_name.clone().unwrap_or_default(),
                auth_info: Some(user),
                other: Default::default(),
            })
            .into_iter()
            .collect(),
        contexts: vec![NamedContext {
            name: name.clone(),
            context: Some(ctx),
            other: Default::default(),
        }],
        current_context: Some(name.clone()),
        ..Default::default()
    };
    Ok(Selected {
        context: name,
        server,
        kubeconfig,
    })
}

/// A one-context kubeconfig for a URL + bearer token (+ CA).
pub fn from_token(
    server: &str,
    token: &str,
    ca_pem: Option<&str>,
    insecure: bool,
) -> Result<Selected, CredentialError> {
    let token = token.trim();
    if token.is_empty() || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(CredentialError::BadToken);
    }
    let ca = match ca_pem.map(str::trim).filter(|p| !p.is_empty()) {
        Some(pem) => Some(check_pem(pem)?),
        None => None,
    };
    let cluster = KubeCluster {
        server: Some(server.trim().to_string()),
        insecure_skip_tls_verify: insecure.then_some(true),
        certificate_authority_data: ca,
        ..Default::default()
    };
    let user = AuthInfo {
        token: Some(token.to_string().into()),
        ..Default::default()
    };
    let config = Kubeconfig {
        clusters: vec![NamedCluster {
            name: "cluster".into(),
            cluster: Some(cluster),
            other: Default::default(),
        }],
        auth_infos: vec![NamedAuthInfo {
            name: "user".into(),
            auth_info: Some(user),
            other: Default::default(),
        }],
        contexts: vec![NamedContext {
            other: Default::default(),
            name: "default".into(),
            context: Some(Context {
                cluster: "cluster".into(),
                user: Some("user".into()),
                namespace: None,
                extensions: None,
                other: Default::default(),
            }),
        }],
        current_context: Some("default".into()),
        ..Default::default()
    };
    select(&config, None)
}

fn find_cluster<'a>(config: &'a Kubeconfig, name: &str) -> Option<&'a KubeCluster> {
    config
        .clusters
        .iter()
        .find(|c| c.name == name)
        .and_then(|c| c.cluster.as_ref())
}

fn find_user<'a>(config: &'a Kubeconfig, name: &str) -> Option<&'a AuthInfo> {
    config
        .auth_infos
        .iter()
        .find(|u| u.name == name)
        .and_then(|u| u.auth_info.as_ref())
}

fn check_cluster(cluster: &KubeCluster) -> Result<(), String> {
    if cluster.certificate_authority.is_some() {
        return Err("its cluster reads the CA from a file (certificate-authority)".into());
    }
    if cluster.proxy_url.is_some() {
        return Err("its cluster uses a proxy (proxy-url), which is not supported".into());
    }
    Ok(())
}

fn check_user(user: &AuthInfo) -> Result<(), String> {
    let refusals = [
        (
            user.exec.is_some(),
            "its user runs an exec credential plugin (exec)",
        ),
        (
            user.auth_provider.is_some(),
            "its user needs an auth-provider plugin (auth-provider)",
        ),
        (
            user.token_file.is_some(),
            "its user reads the token from a file (tokenFile)",
        ),
        (
            user.client_certificate.is_some(),
            "its user reads the client certificate from a file (client-certificate)",
        ),
        (
            user.client_key.is_some(),
            "its user reads the client key from a file (client-key)",
        ),
    ];
    match refusals.into_iter().find(|(refused, _)| *refused) {
        Some((_, reason)) => Err(reason.to_string()),
        None => Ok(()),
    }
}

fn has_credentials(user: &AuthInfo) -> bool {
    user.token.is_some() || user.password.is_some() || user.client_key_data.is_some()
}

/// The URL must be `https://host[:port]`; plain `http://` only for a loopback address and
/// never with credentials elsewhere.
fn check_server(server: &str, with_credentials: bool) -> Result<(), CredentialError> {
    let bad = |why: &str| CredentialError::BadServer(format!("The server URL {why}."));
    if server.trim().is_empty() {
        return Err(bad("is missing: give the API server's https:// URL"));
    }
    let uri: http::Uri = server
        .trim()
        .parse()
        .map_err(|_| bad("is not a valid URL (e.g. https://203.0.113.10:6443)"))?;
    let host = uri
        .host()
        .ok_or_else(|| bad("has no host (e.g. https://203.0.113.10:6443)"))?;
    match uri.scheme_str() {
        Some("https") => Ok(()),
        Some("http") if is_loopback(host) || !with_credentials => Ok(()),
        Some("http") => Err(bad(
            "must use https:// so that credentials are not sent unencrypted",
        )),
        _ => Err(bad("must start with https://")),
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Checks PEM certificate text and returns it base64-encoded (as `certificate-authority-data`).
fn check_pem(pem: &str) -> Result<String, CredentialError> {
    let mut blocks = 0;
    let mut inside = false;
    let mut body = String::new();
    for line in pem.lines().map(str::trim) {
        match line {
            "-----BEGIN CERTIFICATE-----" if !inside => inside = true,
            "-----END CERTIFICATE-----" if inside => {
                BASE64.decode(&body).map_err(|_| CredentialError::BadCa)?;
                body.clear();
                inside = false;
                blocks += 1;
            }
            _ if inside => body.push_str(line),
            "" => {}
            _ => return Err(CredentialError::BadCa),
        }
    }
    if blocks == 0 || inside {
        return Err(CredentialError::BadCa);
    }
    Ok(BASE64.encode(pem.trim()))
}

#[cfg(test)]
mod tests;
