//! The secret part of a cluster: what is encrypted into `ClusterRecord::credentials`, how it is
//! made from what the user entered, and how it becomes a `kube::Config`.

use kube::config::{KubeConfigOptions, Kubeconfig};
use serde::{Deserialize, Serialize};

use app::model::{ClusterAuth, CredentialsInput};

use super::crypto::{OpenError, Sealer};
use super::kubeconfig::{self, CredentialError, Selected};
use crate::store::ClusterRecord;

/// The encrypted content of a cluster record.
#[derive(Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum StoredSecret {
    /// A kubeconfig reduced to the chosen context (inline credentials only).
    Kubeconfig {
        /// The reduced kubeconfig.
        kubeconfig: Kubeconfig,
    },
    /// A bearer token and how to trust the server.
    Token {
        /// The token.
        token: String,
        /// PEM CA certificate(s).
        ca_pem: Option<String>,
        /// Skip TLS verification.
        insecure: bool,
    },
}

impl std::fmt::Debug for StoredSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoredSecret(<redacted>)")
    }
}

impl StoredSecret {
    /// Every secret string in it (to scrub from error messages).
    pub fn secrets(&self) -> Vec<String> {
        match self {
            StoredSecret::Token { token, .. } => vec![token.clone()],
            StoredSecret::Kubeconfig { kubeconfig } => {
                use secrecy::ExposeSecret;
                kubeconfig
                    .auth_infos
                    .iter()
                    .filter_map(|u| u.auth_info.as_ref())
                    .flat_map(|u| {
                        [
                            u.token.as_ref().map(|t| t.expose_secret().to_string()),
                            u.password.as_ref().map(|t| t.expose_secret().to_string()),
                            u.client_key_data
                                .as_ref()
                                .map(|t| t.expose_secret().to_string()),
                        ]
                    })
                    .flatten()
                    .filter(|s| !s.is_empty())
                    .collect()
            }
        }
    }
}

/// The non-secret facts and the secret made from user input.
#[derive(Debug)]
pub struct Prepared {
    /// The API server URL.
    pub server: String,
    /// How it is reached.
    pub auth: ClusterAuth,
    /// The kubeconfig context (kubeconfig clusters).
    pub context: Option<String>,
    /// What to encrypt.
    pub secret: StoredSecret,
}

/// Checks what the user entered and turns it into a [`Prepared`] cluster.
pub fn prepare(input: CredentialsInput) -> Result<Prepared, CredentialError> {
    match input {
        CredentialsInput::Kubeconfig {
            kubeconfig,
            context,
        } => {
            let parsed = kubeconfig::parse(&kubeconfig)?;
            let Selected {
                context,
                server,
                kubeconfig,
            } = kubeconfig::select(&parsed, context.as_deref())?;
            Ok(Prepared {
                server,
                auth: ClusterAuth::Kubeconfig,
                context: Some(context),
                secret: StoredSecret::Kubeconfig { kubeconfig },
            })
        }
        CredentialsInput::Token {
            server,
            token,
            ca_pem,
            insecure_skip_tls_verify,
        } => token_cluster(&server, &token, ca_pem, insecure_skip_tls_verify),
    }
}

/// A URL + token cluster, checked.
pub fn token_cluster(
    server: &str,
    token: &str,
    ca_pem: Option<String>,
    insecure: bool,
) -> Result<Prepared, CredentialError> {
    let ca_pem = ca_pem.filter(|p| !p.trim().is_empty());
    let selected = kubeconfig::from_token(server, token, ca_pem.as_deref(), insecure)?;
    Ok(Prepared {
        server: selected.server,
        auth: ClusterAuth::Token,
        context: None,
        secret: StoredSecret::Token {
            token: token.trim().to_string(),
            ca_pem,
            insecure,
        },
    })
}

/// Encrypts a secret for a record.
pub fn seal(sealer: &Sealer, owner_id: &str, id: &str, secret: &StoredSecret) -> Vec<u8> {
    let plain = serde_json::to_vec(secret).unwrap_or_default();
    sealer.seal(owner_id, id, &plain)
}

/// Decrypts a record's secret.
pub fn open(sealer: &Sealer, record: &ClusterRecord) -> Result<StoredSecret, OpenError> {
    let plain = sealer.open(&record.owner_id, &record.id, &record.credentials)?;
    serde_json::from_slice(&plain).map_err(|_| OpenError)
}

impl StoredSecret {
    /// True when the server's certificate is not verified.
    pub fn skips_tls_verification(&self) -> bool {
        match self {
            StoredSecret::Token { insecure, .. } => *insecure,
            StoredSecret::Kubeconfig { kubeconfig } => kubeconfig
                .clusters
                .iter()
                .filter_map(|named| named.cluster.as_ref())
                .any(|c| c.insecure_skip_tls_verify == Some(true)),
        }
    }
}

/// Why a client configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The stored secret no longer passes the checks (should not happen).
    #[error(transparent)]
    Credentials(#[from] CredentialError),
    /// kube refused the configuration (message without secrets).
    #[error("the cluster's configuration is not usable: {0}")]
    Kube(String),
}

/// The kube client configuration of a (non-Sandbox) cluster.
pub async fn kube_config(server: &str, secret: &StoredSecret) -> Result<kube::Config, ConfigError> {
    let (kubeconfig, context) = match secret {
        StoredSecret::Kubeconfig { kubeconfig } => {
            (kubeconfig.clone(), kubeconfig.current_context.clone())
        }
        StoredSecret::Token {
            token,
            ca_pem,
            insecure,
        } => {
            let selected = kubeconfig::from_token(server, token, ca_pem.as_deref(), *insecure)?;
            (selected.kubeconfig, Some(selected.context))
        }
    };
    let options = KubeConfigOptions {
        context,
        ..Default::default()
    };
    kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| ConfigError::Kube(kube_error_kind(&e)))
}

/// A description of a kubeconfig error that cannot carry secret values.
fn kube_error_kind(error: &kube::config::KubeconfigError) -> String {
    use kube::config::KubeconfigError as E;
    match error {
        E::ParseClusterUrl(_) => "the server URL is not valid".into(),
        E::MissingClusterUrl => "the server URL is missing".into(),
        _ => "its certificates or keys could not be read (check the PEM data)".into(),
    }
}
