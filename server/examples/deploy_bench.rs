//! `make bench` figure for deploys: a 100-node workflow (20 × ConfigMap + PVC + Deployment +
//! Service + HPA, 4 dependency levels) deployed through the HTTP API into the stand-in API server
//! with an injected latency per request, through a recording proxy that counts what reached the
//! API server. Run with `cargo run --release -p server --example deploy_bench [latency_ms]`.

#[path = "../tests/cluster_support/mod.rs"]
mod cluster_support;
#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/deploy_support/mod.rs"]
mod deploy_support;

use std::time::{Duration, Instant};

use cluster_support::Seen;
use deploy_support::{edge, node, quick_config, Lab};
use serde_json::{json, Value};

const GROUPS: usize = 20;

fn design(image: &str) -> Value {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for g in 0..GROUPS {
        let id = |part: &str| format!("{part}{g}");
        nodes.push(node(
            &id("cfg"),
            "configmap",
            json!({"name": id("cfg"), "data": {"MODE": "bench"}}),
        ));
        nodes.push(node(
            &id("pvc"),
            "persistentvolumeclaim",
            json!({"name": id("pvc"), "storage": "1Gi"}),
        ));
        nodes.push(node(
            &id("web"),
            "deployment",
            json!({"name": id("web"), "image": image,
            "ports": [{"name": "http", "containerPort": 8080}],
            "resources": {"cpuRequest": "100m"}}),
        ));
        nodes.push(node(
            &id("svc"),
            "service",
            json!({"name": id("web"), "ports": [{"name": "http", "port": 80}]}),
        ));
        nodes.push(node(&id("hpa"), "hpa", json!({"name": id("web")})));
        for part in ["cfg", "pvc", "svc", "hpa"] {
            edges.push(edge(&id(part), &id("web")));
        }
    }
    json!({"nodes": nodes, "edges": edges})
}

/// Requests per kind of call: (dry-runs, applies, other GETs (one object, discovery), labelled
/// lists, watches, other).
fn counts(seen: &[Seen]) -> [usize; 6] {
    let mut out = [0; 6];
    for s in seen {
        let slot = match s.method.as_str() {
            "PATCH" if s.is_dry_run() => 0,
            "PATCH" => 1,
            "GET" if s.uri.contains("watch=true") => 4,
            "GET" if s.uri.contains("labelSelector") => 3,
            "GET" => 2,
            _ => 5,
        };
        out[slot] += 1;
    }
    out
}

fn millis(run: &Value) -> f64 {
    let at = |field: &str| {
        run[field]
            .as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
    };
    match (at("started_at"), at("finished_at")) {
        (Some(a), Some(b)) => (b - a).num_microseconds().unwrap_or_default() as f64 / 1000.0,
        _ => f64::NAN,
    }
}

async fn measure(lab: &mut Lab, label: &str, design: &Value) -> anyhow::Result<()> {
    lab.recorder.clear();
    let mut events = lab.events().await?;
    let started = Instant::now();
    let run_id = lab.run(design).await?;
    events
        .until(Duration::from_secs(60), |e| {
            e.event == "run_update"
                && e.data["run_id"] == run_id.as_str()
                && e.data["finished_at"].is_string()
        })
        .await?;
    let wall = started.elapsed();
    let run = deploy_support::finished_run(&lab.user, &lab.workflow_id, &run_id).await?;
    anyhow::ensure!(run["state"] == "succeeded", "{run}");
    let levels = run["nodes"]
        .as_object()
        .map(|n| {
            n.values()
                .filter_map(|r| r["level"].as_u64())
                .max()
                .unwrap_or(0)
                + 1
        })
        .unwrap_or(0);
    let changed = run["nodes"]
        .as_object()
        .map(|n| n.values().filter(|r| r["state"] == "applied").count())
        .unwrap_or(0);
    let [dry, apply, get, list, watch, other] = counts(&lab.recorder.seen());
    let nodes = design["nodes"].as_array().map(Vec::len).unwrap_or(1) as f64;
    println!(
        "| {label} | {nodes} | {levels} | {changed} | {:.1} | {:.0} | {:.2} | {:.2} | {:.2} | {list} | {watch} | {other} |",
        millis(&run),
        wall.as_secs_f64() * 1000.0,
        dry as f64 / nodes,
        apply as f64 / nodes,
        get as f64 / nodes,
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let latency: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(5);
    let mut lab = Lab::start_with(quick_config()).await?;
    lab.sandbox
        .faults()
        .set_latency(Duration::from_millis(latency));
    println!("Latency injected per API request: {latency} ms.");
    println!();
    println!("| deploy | nodes | levels | objects changed | run (job) ms | API call to run over, ms | dry-runs/node | applies/node | other GETs/node | lists | watches started | other requests |");
    println!(
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    measure(
        &mut lab,
        "first (creates everything)",
        &design("nginx:1.27"),
    )
    .await?;
    measure(&mut lab, "again, nothing changed", &design("nginx:1.27")).await?;
    measure(
        &mut lab,
        "again, 20 Deployments changed",
        &design("nginx:1.28"),
    )
    .await?;
    Ok(())
}
