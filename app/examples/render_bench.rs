//! `make bench`: checks and renders a 1,000-node design (200 × Deployment, Service, ConfigMap,
//! PVC, HPA, all wired) and prints the timings as a Markdown table.
//! Run: `cargo run --release -p app --features render --example render_bench`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use app::domain::check;
use app::domain::render::{to_multi_document, Renderer};
use app::model::{Edge, Graph, Node, NodeKind};
use serde_json::json;

const GROUPS: usize = 200;
const RUNS: usize = 30;

fn node(id: String, kind: NodeKind, data: serde_json::Value) -> Node {
    let data = data.as_object().cloned().unwrap_or_default();
    Node {
        id,
        kind,
        position: Default::default(),
        data,
    }
}

fn design() -> Graph {
    let mut graph = Graph::default();
    for i in 0..GROUPS {
        let web = format!("web-{i}");
        graph.nodes.push(node(web.clone(), NodeKind::Deployment, json!({
            "name": web, "image": "ghcr.io/example/web:1.0", "replicas": 2,
            "ports": [{ "name": "http", "containerPort": 8080 }],
            "env": [{ "name": "MODE", "value": "production" }, { "name": "LOG", "value": "json" }],
            "resources": { "cpuRequest": "100m", "memoryRequest": "128Mi", "memoryLimit": "256Mi" },
            "readinessProbe": { "type": "http", "path": "/ready" },
            "livenessProbe": { "type": "tcp" },
            "labels": { "tier": "web" },
        })));
        let others = [
            (
                format!("svc-{i}"),
                NodeKind::Service,
                json!({ "name": format!("svc-{i}") }),
            ),
            (
                format!("cfg-{i}"),
                NodeKind::ConfigMap,
                json!({ "name": format!("cfg-{i}"), "data": { "a": "1", "b": "2" } }),
            ),
            (
                format!("pvc-{i}"),
                NodeKind::PersistentVolumeClaim,
                json!({ "name": format!("pvc-{i}") }),
            ),
            (
                format!("hpa-{i}"),
                NodeKind::Hpa,
                json!({ "name": format!("hpa-{i}") }),
            ),
        ];
        for (id, kind, data) in others {
            graph.edges.push(Edge {
                id: format!("e-{id}"),
                source: id.clone(),
                target: web.clone(),
            });
            graph.nodes.push(node(id, kind, data));
        }
    }
    graph
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() -> anyhow::Result<()> {
    let renderer = Renderer::embedded()?;
    let graph = design();
    let (mut checks, mut renders, mut yamls) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let start = Instant::now();
        let checked = check("wf-bench", &graph);
        checks.push(start.elapsed());
        anyhow::ensure!(
            !checked.report.has_errors(),
            "the bench design has errors: {:?}",
            checked.report
        );
        let start = Instant::now();
        let out = renderer.render_all(&checked, &BTreeMap::new());
        renders.push(start.elapsed());
        anyhow::ensure!(
            out.iter().all(|r| r.object.is_some()),
            "a node did not render"
        );
        let start = Instant::now();
        let yaml = to_multi_document(&out);
        yamls.push(start.elapsed());
        anyhow::ensure!(
            yaml.matches("\n---\n").count() + 1 == out.len(),
            "one document per node"
        );
    }
    let ms = |times: Vec<Duration>| median(times).as_secs_f64() * 1e3;
    let (check_ms, render_ms, yaml_ms) = (ms(checks), ms(renders), ms(yamls));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "| step ({} nodes, {} edges; median of {RUNS}; {cores} cores) | ms |",
        graph.nodes.len(),
        graph.edges.len()
    );
    println!("| --- | ---: |");
    println!("| validate + wire (settings, rules, edges, wiring) | {check_ms:.1} |");
    println!("| render (templates, YAML parse, k8s-openapi schema check) | {render_ms:.1} |");
    println!(
        "| validate + wire + render (what a deploy needs) | {:.1} |",
        check_ms + render_ms
    );
    println!("| the whole workflow as one YAML file (download) | {yaml_ms:.1} |");
    Ok(())
}
