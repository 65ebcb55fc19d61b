//! `make bench` figure for deploys: a 100-node workflow (20 × ConfigMap + PVC + Deployment +
//! Service + HPA, 4 dependency levels) deployed through the HTTP API into the stand-in API server
//! with an injected latency per request, through a recording proxy that counts what reached the
//! API server. Each scenario runs in several rounds (each on a fresh server and stand-in) and
//! the median is reported. Run with
//! `cargo run --release -p server --example deploy_bench [latency_ms] [rounds]`.

#[path = "../tests/cluster_support/mod.rs"]
mod cluster_support;
#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/deploy_support/mod.rs"]
mod deploy_support;

use std::time::{Duration, Instant};

use cluster_support::Seen;
use deploy_support::{edge, node, quick_config, Board, Lab};
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

/// One deploy's figures.
struct Row {
    nodes: usize,
    levels: u64,
    changed: usize,
    run_ms: f64,
    wall_ms: f64,
    /// Requests by kind of call, as [`counts`].
    requests: [usize; 6],
}

async fn measure(lab: &mut Lab, design: &Value) -> anyhow::Result<Row> {
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
    let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
    let run = deploy_support::finished_run(&lab.user, &lab.workflow_id, &run_id).await?;
    anyhow::ensure!(run["state"] == "succeeded", "{run}");
    let results = run["nodes"].as_object().cloned().unwrap_or_default();
    Ok(Row {
        nodes: design["nodes"].as_array().map(Vec::len).unwrap_or(0),
        levels: results
            .values()
            .filter_map(|r| r["level"].as_u64())
            .max()
            .map_or(0, |l| l + 1),
        changed: results.values().filter(|r| r["state"] == "applied").count(),
        run_ms: millis(&run),
        wall_ms,
        requests: counts(&lab.recorder.seen()),
    })
}

/// Waits until every node of `design` is healthy (the rollouts are over).
async fn settle(lab: &Lab, design: &Value) -> anyhow::Result<()> {
    let ids: Vec<String> = design["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["id"].as_str().map(str::to_string))
        .collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut events = lab.events().await?;
    let mut board = Board::default();
    events
        .watch(&mut board, Duration::from_secs(60), |b| {
            b.all(&ids, "healthy")
        })
        .await
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// One table line: objects changed (the range over the rounds when they differ), medians over
/// the rounds, the run's range, the request counts per node
/// (the same every round but for lists and watches, which depend on when the watchers start:
/// their largest count is shown).
fn line(label: &str, rows: &[Row]) -> String {
    let Some(first) = rows.first() else {
        return String::new();
    };
    let mut run: Vec<f64> = rows.iter().map(|r| r.run_ms).collect();
    let mut wall: Vec<f64> = rows.iter().map(|r| r.wall_ms).collect();
    let (low, high) = run
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(*v), h.max(*v)));
    let most = |slot: usize| rows.iter().map(|r| r.requests[slot]).max().unwrap_or(0);
    let changed = {
        let counts = rows.iter().map(|r| r.changed);
        let (low, high) = (counts.clone().min(), counts.max());
        match (low, high) {
            (Some(l), Some(h)) if l != h => format!("{l}–{h}"),
            _ => first.changed.to_string(),
        }
    };
    let per_node = |slot: usize| most(slot) as f64 / first.nodes.max(1) as f64;
    format!(
        "| {label} | {} | {} | {} | {:.0} ({low:.0}–{high:.0}) | {:.0} | {:.2} | {:.2} | {:.2} | {} | {} | {} |",
        first.nodes,
        first.levels,
        changed,
        median(&mut run),
        median(&mut wall),
        per_node(0),
        per_node(1),
        per_node(2),
        most(3),
        most(4),
        most(5),
    )
}

/// The scenarios: label, image of the Deployments, whether the previous rollouts are over first.
const SCENARIOS: [(&str, &str, bool); 4] = [
    ("first (creates everything)", "nginx:1.27", false),
    (
        "again at once, nothing changed (rollouts in progress)",
        "nginx:1.27",
        false,
    ),
    ("again once healthy, nothing changed", "nginx:1.27", true),
    (
        "again once healthy, 20 Deployments changed",
        "nginx:1.28",
        true,
    ),
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let latency: u64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(5);
    let rounds: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(7);
    let mut rows: [Vec<Row>; 4] = Default::default();
    for _ in 0..rounds.max(1) {
        let mut lab = Lab::start_with(quick_config()).await?;
        lab.sandbox
            .faults()
            .set_latency(Duration::from_millis(latency));
        for (scenario, (_, image, after_rollouts)) in SCENARIOS.iter().enumerate() {
            let design = design(image);
            if *after_rollouts {
                settle(&lab, &design).await?;
            }
            rows[scenario].push(measure(&mut lab, &design).await?);
        }
        lab.fx.server.stop().await?;
    }
    println!("Latency injected per API request: {latency} ms; {rounds} rounds, each on a fresh server and stand-in.");
    println!();
    println!("| deploy | nodes | levels | objects changed | run (job) ms, median (range) | API call to run over, ms (median) | dry-runs/node | applies/node | other GETs/node | lists | watches started | other requests |");
    println!(
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for ((label, _, _), rows) in SCENARIOS.iter().zip(&rows) {
        println!("{}", line(label, rows));
    }
    Ok(())
}
