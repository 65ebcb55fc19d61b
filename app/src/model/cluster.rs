//! Clusters as the UI and the API see them: never with credentials.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How a cluster is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClusterAuth {
    /// A kubeconfig with a chosen context (inline credentials only).
    Kubeconfig,
    /// A server URL, a bearer token and optionally a CA certificate.
    Token,
    /// The built-in simulated cluster ("Sandbox — simulated, nothing runs").
    Sandbox,
}

impl ClusterAuth {
    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterAuth::Kubeconfig => "kubeconfig",
            ClusterAuth::Token => "token",
            ClusterAuth::Sandbox => "sandbox",
        }
    }

    /// What the clusters page shows for it.
    pub fn label(self) -> &'static str {
        match self {
            ClusterAuth::Kubeconfig => "kubeconfig",
            ClusterAuth::Token => "URL + token",
            ClusterAuth::Sandbox => "built-in",
        }
    }
}

/// The outcome of the last connection test.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionState {
    /// Never tested.
    #[default]
    Unknown,
    /// The API server answered.
    Connected,
    /// The last test failed (see the message).
    Error,
}

/// What the last connection test found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterConnection {
    /// Connected, error or unknown.
    pub state: ConnectionState,
    /// The API server's version (`v1.35.0`), when connected.
    #[serde(default)]
    pub server_version: Option<String>,
    /// The namespaces the credentials can list (at most [`MAX_LISTED_NAMESPACES`]).
    #[serde(default)]
    pub namespaces: Vec<String>,
    /// Why the test failed (credentials scrubbed), or a note.
    #[serde(default)]
    pub message: Option<String>,
    /// When it was tested.
    #[serde(default, deserialize_with = "crate::model::time::option")]
    pub checked_at: Option<DateTime<Utc>>,
}

/// At most this many namespace names are kept from a connection test.
pub const MAX_LISTED_NAMESPACES: usize = 200;

/// A registered cluster (no credentials, ever).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cluster {
    /// Server-assigned id.
    pub id: String,
    /// Display name, unique per user.
    pub name: String,
    /// The API server URL (`built-in` for the Sandbox).
    pub server: String,
    /// How it is reached.
    pub auth: ClusterAuth,
    /// The kubeconfig context in use (kubeconfig clusters).
    #[serde(default)]
    pub context: Option<String>,
    /// The server's certificate is not verified (the credentials say to skip TLS verification).
    #[serde(default)]
    pub insecure_skip_tls_verify: bool,
    /// The last connection test.
    pub connection: ClusterConnection,
    /// Creation time.
    #[serde(deserialize_with = "crate::model::time::deserialize")]
    pub created_at: DateTime<Utc>,
    /// Last change.
    #[serde(deserialize_with = "crate::model::time::deserialize")]
    pub updated_at: DateTime<Utc>,
}

impl Cluster {
    /// True for the built-in simulated cluster.
    pub fn is_sandbox(&self) -> bool {
        self.auth == ClusterAuth::Sandbox
    }
}

/// Credentials given when registering or editing a cluster. Write-only: they are encrypted at
/// rest and never returned.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum CredentialsInput {
    /// A kubeconfig file's content and the context to use (its current context when absent).
    Kubeconfig {
        /// The YAML text.
        kubeconfig: String,
        /// The context name.
        #[serde(default)]
        context: Option<String>,
    },
    /// A server URL with a bearer token.
    Token {
        /// `https://…` API server URL.
        server: String,
        /// The bearer token.
        token: String,
        /// PEM CA certificate(s) (system roots when absent).
        #[serde(default)]
        ca_pem: Option<String>,
        /// Skip TLS verification (not recommended).
        #[serde(default)]
        insecure_skip_tls_verify: bool,
    },
}

impl std::fmt::Debug for CredentialsInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CredentialsInput::Kubeconfig { context, .. } => f
                .debug_struct("Kubeconfig")
                .field("context", context)
                .finish_non_exhaustive(),
            CredentialsInput::Token { server, .. } => f
                .debug_struct("Token")
                .field("server", server)
                .finish_non_exhaustive(),
        }
    }
}

/// A context found in a kubeconfig (for the context picker).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KubeconfigContext {
    /// Context name.
    pub name: String,
    /// The cluster's server URL.
    pub server: String,
    /// The default namespace of the context.
    #[serde(default)]
    pub namespace: Option<String>,
    /// True for the kubeconfig's current context.
    pub current: bool,
    /// Why it cannot be used (e.g. it needs an exec plugin), if so.
    #[serde(default)]
    pub problem: Option<String>,
}

/// Changes to a registered cluster. Absent or blank credential fields keep what is stored.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterChanges {
    /// New display name.
    #[serde(default)]
    pub name: Option<String>,
    /// New server URL (URL + token clusters).
    #[serde(default)]
    pub server: Option<String>,
    /// New bearer token (blank keeps the stored one).
    #[serde(default)]
    pub token: Option<String>,
    /// New CA certificate PEM (blank keeps the stored one).
    #[serde(default)]
    pub ca_pem: Option<String>,
    /// Skip TLS verification.
    #[serde(default)]
    pub insecure_skip_tls_verify: Option<bool>,
    /// A new kubeconfig (blank keeps the stored one).
    #[serde(default)]
    pub kubeconfig: Option<String>,
    /// The context to use from the new kubeconfig.
    #[serde(default)]
    pub context: Option<String>,
}

impl std::fmt::Debug for ClusterChanges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClusterChanges")
            .field("name", &self.name)
            .field("server", &self.server)
            .field("context", &self.context)
            .finish_non_exhaustive()
    }
}
