//! The KubeOrch-rs server binary: reads configuration, starts logging, serves until a signal.

use anyhow::Context;
use clap::Parser;
use server::config::Config;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::parse();
    server::telemetry::init(&config.log).context("cannot start logging")?;
    let shutdown = server::shutdown::on_signal();
    server::run(config, shutdown).await
}
