//! `kube-sandbox`: the sandbox API server as a standalone process, for `kubectl --server`.
//!
//! ```text
//! kube-sandbox --port 8001 &
//! kubectl --server http://127.0.0.1:8001 apply --server-side --validate=false -f app.yaml
//! kubectl --server http://127.0.0.1:8001 get deploy -o wide
//! ```

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use clap::Parser;
use sandbox::{Sandbox, SandboxConfig};

/// A stand-in Kubernetes API server with simulated controllers (nothing runs).
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1", env = "SANDBOX_HOST")]
    host: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8001, env = "SANDBOX_PORT")]
    port: u16,
    /// Seconds a simulated rollout takes.
    #[arg(long, default_value_t = 3.0)]
    rollout_seconds: f64,
    /// Seconds a rollout takes for objects with the slow-rollout fault.
    #[arg(long, default_value_t = 30.0)]
    slow_rollout_seconds: f64,
    /// Milliseconds of latency added to every API request.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Turn the simulated controllers off (statuses never change by themselves).
    #[arg(long)]
    no_simulator: bool,
}

fn seconds(s: f64) -> anyhow::Result<Duration> {
    Duration::try_from_secs_f64(s).map_err(|e| anyhow::anyhow!("invalid duration {s}: {e}"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let mut config = SandboxConfig::default();
    config.simulator.enabled = !args.no_simulator;
    config.simulator.rollout = seconds(args.rollout_seconds)?;
    config.simulator.slow_rollout = seconds(args.slow_rollout_seconds)?;
    let sandbox = Sandbox::start_with(SocketAddr::new(args.host, args.port), config).await?;
    sandbox
        .faults()
        .set_latency(Duration::from_millis(args.latency_ms));
    println!(
        "kube-sandbox listening on {} (simulated cluster, nothing runs)",
        sandbox.url()
    );
    println!("try: kubectl --server {} get namespaces", sandbox.url());
    tokio::signal::ctrl_c().await?;
    sandbox.shutdown().await;
    Ok(())
}
