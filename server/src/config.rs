//! Configuration from flags and environment variables, with defaults that run anywhere.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use clap::Parser;

/// How the server is configured. Every flag also reads an environment variable.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "kubeorch",
    version,
    about = "KubeOrch-rs: a visual Kubernetes designer"
)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "KUBEORCH_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,

    /// Directory for the embedded store and generated keys.
    #[arg(long, env = "KUBEORCH_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Log filter, e.g. `info` or `server=debug,tower_http=debug`.
    #[arg(long, env = "RUST_LOG", default_value = "info")]
    pub log: String,

    /// MongoDB connection string; when absent the embedded SQLite store in the data dir is used.
    #[arg(long, env = "MONGODB_URI")]
    pub mongodb_uri: Option<Secret>,

    /// MongoDB database name (default: the one in the URI, else `kubeorch`).
    #[arg(long, env = "KUBEORCH_DB")]
    pub db: Option<String>,

    /// Production mode: refuse to start without the secrets below in the environment, and
    /// mark the session cookie `Secure` unless told otherwise.
    #[arg(long, env = "KUBEORCH_PRODUCTION", default_value_t = false)]
    pub production: bool,

    /// Key that signs session tokens (at least 32 bytes). Generated into the data dir if absent
    /// (not in production mode).
    #[arg(long, env = "KUBEORCH_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<Secret>,

    /// Key that encrypts credentials at rest: 32 bytes, base64. Generated into the data dir if
    /// absent (not in production mode).
    #[arg(long, env = "KUBEORCH_ENCRYPTION_KEY", hide_env_values = true)]
    pub encryption_key: Option<Secret>,

    /// Who may sign up after the first user (who becomes admin): open, closed or invite.
    #[arg(long, env = "KUBEORCH_SIGNUP", value_enum, default_value_t = SignupMode::Open)]
    pub signup: SignupMode,

    /// Mark the session cookie `Secure` (default: on in production mode). Set it when the site
    /// is served over HTTPS.
    #[arg(long, env = "KUBEORCH_SECURE_COOKIES")]
    pub secure_cookies: Option<bool>,

    /// Take the client address from `X-Forwarded-For` (only behind a reverse proxy you run).
    #[arg(long, env = "KUBEORCH_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,

    /// The address browsers use to reach this server, e.g. `https://kubeorch.example.com`
    /// (sign-in providers redirect back to it). Default: `http://` and the listening address.
    #[arg(long, env = "KUBEORCH_PUBLIC_URL")]
    pub public_url: Option<url::Url>,

    /// Identity providers for single sign-on, comma-separated ids (e.g. `github,corp`); each is
    /// configured by `KUBEORCH_SSO_<ID>_*` variables (see the README).
    #[arg(long, env = "KUBEORCH_SSO_PROVIDERS", value_delimiter = ',')]
    pub sso_providers: Vec<String>,

    /// Seconds the one-time code that ends a provider sign-in stays valid.
    #[arg(long, env = "KUBEORCH_SSO_CODE_SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub sso_code_secs: u64,

    /// The identity providers; when empty, read from the environment for `sso_providers`.
    #[arg(skip)]
    pub sso: Vec<crate::auth::sso::config::ProviderConfig>,
    /// Give every user the built-in "Sandbox — simulated, nothing runs" cluster (default: on,
    /// except in production mode).
    #[arg(long, env = "KUBEORCH_SANDBOX_CLUSTER")]
    pub sandbox_cluster: Option<bool>,

    /// Also accept `git://` and `http://` repositories (and `http://` URLs) on the loopback
    /// interface for imports — for development and tests only, never in production.
    #[arg(long, env = "KUBEORCH_IMPORT_LOCAL_GIT", default_value_t = false,
          value_parser = clap::builder::BoolishValueParser::new())]
    pub import_local_git: bool,

    /// Sign-ups one client address may make at once; after them, one more per minute.
    #[arg(long, env = "KUBEORCH_SIGNUP_BURST", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub signup_burst: u32,

    /// Seconds between heartbeats on `/api/events/health`.
    #[arg(long, env = "KUBEORCH_HEARTBEAT_SECS", default_value_t = 3,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub heartbeat_secs: u64,

    /// The daemonless image builder used for builds from Git.
    #[arg(long, env = "KUBEORCH_BUILDAH", default_value = "buildah")]
    pub buildah: String,

    /// Longest an image build may take, in seconds.
    #[arg(long, env = "KUBEORCH_BUILD_TIMEOUT_SECS", default_value_t = 1800,
          value_parser = clap::value_parser!(u64).range(10..=86_400))]
    pub build_timeout_secs: u64,

    /// Largest repository checkout a build may clone, in MiB.
    #[arg(long, env = "KUBEORCH_BUILD_MAX_REPO_MB", default_value_t = 512)]
    pub build_max_repo_mb: u64,

    /// How many builds run at once (more wait as `pending`).
    #[arg(long, env = "KUBEORCH_BUILD_SLOTS", default_value_t = 2)]
    pub build_slots: usize,

    /// Allow `RUN` in Containerfiles. With chroot isolation, RUN executes as the server's user
    /// on this host: turn it off when untrusted users can start builds.
    #[arg(long, env = "KUBEORCH_BUILD_ALLOW_RUN", default_value_t = true,
          action = clap::ArgAction::Set)]
    pub build_allow_run: bool,

    /// Allow building and importing from `file://` repositories on this host (tests,
    /// single-user setups).
    #[arg(long, env = "KUBEORCH_GIT_ALLOW_FILE", default_value_t = false)]
    pub git_allow_file: bool,
}

/// Who may create an account once the first (admin) account exists.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignupMode {
    /// Anyone can sign up.
    Open,
    /// Nobody can.
    Closed,
    /// Only with a single-use invitation code created by an admin.
    Invite,
}

/// A configuration value that must not show up in logs (`Debug` prints `<redacted>`).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The secret value.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

impl Config {
    /// Whether the session cookie gets the `Secure` attribute.
    pub fn cookie_secure(&self) -> bool {
        self.secure_cookies.unwrap_or(self.production)
    }

    /// Whether users get the built-in Sandbox cluster.
    pub fn sandbox_enabled(&self) -> bool {
        self.sandbox_cluster.unwrap_or(!self.production)
    }

    /// The heartbeat interval as a duration.
    pub fn heartbeat(&self) -> Duration {
        Duration::from_secs(self.heartbeat_secs)
    }

    /// The defaults, with data in `data_dir` (used by tests).
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        let mut config = Config::parse_from(["kubeorch"]);
        config.data_dir = data_dir.into();
        config.mongodb_uri = None;
        config
    }
}
