//! The KubeOrch-rs server binary: reads configuration, starts logging, serves until a signal.

use anyhow::Context;
use clap::Parser;
use server::config::Config;

/// mimalloc instead of glibc's allocator: a deploy allocates heavily across the runtime's
/// threads (JSON bodies, rendered objects), and glibc's arenas cost ~13 % of its time
/// (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::parse();
    server::telemetry::init(&config.log).context("cannot start logging")?;
    let shutdown = server::shutdown::on_signal();
    server::run(config, shutdown).await
}
