//! `make bench` figure for the sandbox: objects applied per second and watch events delivered per
//! second with 1,000 objects and 100 watchers. Run with
//! `cargo run --release -p sandbox --example fan_out_bench [objects] [watchers]`.

use sandbox::{Sandbox, SandboxConfig};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let objects: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1000);
    let watchers: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(100);
    let mut config = SandboxConfig::default();
    config.simulator.enabled = false;
    let sandbox = Sandbox::start_with("127.0.0.1:0".parse()?, config).await?;
    let report = sandbox::load::fan_out(sandbox.client()?, "default", objects, watchers).await?;
    let problems = report
        .findings
        .iter()
        .filter(|f| **f != Default::default())
        .count();
    let applies = 2 * report.objects;
    println!("| objects | watchers | applies | apply time | applies/s | events delivered | all delivered after | events/s | watchers with missed/duplicated events |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    println!(
        "| {} | {} | {} | {:.2} s | {:.0} | {} | {:.2} s | {:.0} | {} |",
        report.objects,
        report.watchers,
        applies,
        report.apply_time.as_secs_f64(),
        applies as f64 / report.apply_time.as_secs_f64(),
        report.events_delivered,
        report.total_time.as_secs_f64(),
        report.events_delivered as f64 / report.total_time.as_secs_f64(),
        problems,
    );
    sandbox.shutdown().await;
    anyhow::ensure!(
        problems == 0,
        "{problems} watchers missed or duplicated events"
    );
    Ok(())
}
