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

    /// Seconds between heartbeats on `/api/events/health`.
    #[arg(long, env = "KUBEORCH_HEARTBEAT_SECS", default_value_t = 3,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub heartbeat_secs: u64,
}

impl Config {
    /// The heartbeat interval as a duration.
    pub fn heartbeat(&self) -> Duration {
        Duration::from_secs(self.heartbeat_secs)
    }

    /// The defaults, with data in `data_dir` (used by tests).
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        let mut config = Config::parse_from(["kubeorch"]);
        config.data_dir = data_dir.into();
        config
    }
}
