//! Import fixtures: every Compose project under `tests/compose/<name>/` converts to a valid design
//! that renders without errors, laid out without overlaps, to exactly the reviewed snapshot
//! `tests/snapshots/compose-<name>.yaml` (which the external validator also checks;
//! `UPDATE_SNAPSHOTS=1` rewrites them). And the round trip: the YAML rendered from every design
//! fixture imports back into a design that renders to the same objects with the same edges.
#![cfg(feature = "import")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use app::domain::geometry::Rect;
use app::domain::import::names::{sanitize, MAX_NAME};
use app::domain::import::{convert_compose, convert_kubernetes, ComposeInput};
use app::domain::render::{to_multi_document, NodeRender, Renderer, SecretValues};
use app::domain::{check, Severity};
use app::model::import::Analysis;
use app::model::{Graph, NodeKind, NodeSettings};
use common::{dir, fixtures, Fixture};
use serde_json::Value;

const WORKFLOW: &str = "wf-import";

fn read_tree(root: &Path, at: &Path, files: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(at).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            read_tree(root, &path, files);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// A fixture project: the Compose file, its `.env`, every other file (as a Git import has
/// them) and the profiles named in `x-import-profiles`.
fn project(name: &str) -> ComposeInput {
    let root = dir("compose").join(name);
    let mut files = BTreeMap::new();
    read_tree(&root, &root, &mut files);
    let text = files
        .remove("docker-compose.yml")
        .expect("docker-compose.yml");
    let dotenv = files.remove(".env").unwrap_or_default();
    let raw: Value = yaml_serde::from_str(&text).unwrap();
    let profiles = raw
        .get("x-import-profiles")
        .and_then(Value::as_array)
        .map(|p| {
            p.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    ComposeInput {
        text,
        dotenv,
        files,
        profiles,
        namespace: "default".into(),
    }
}

fn projects() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir("compose"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

/// Checks and renders an analysis; fails on any error. Secrets get a placeholder per key.
fn render(analysis: &Analysis, renderer: &Renderer) -> Vec<NodeRender> {
    let graph = Graph {
        nodes: analysis.nodes.clone(),
        edges: analysis.edges.clone(),
    };
    let checked = check(WORKFLOW, &graph);
    assert!(
        !checked.report.has_errors(),
        "design errors: {:#?}",
        checked.report
    );
    let secrets: BTreeMap<String, SecretValues> = checked
        .settings
        .iter()
        .zip(&graph.nodes)
        .filter_map(|(s, node)| match s {
            Some(NodeSettings::Secret(secret)) => Some((
                node.id.clone(),
                secret
                    .keys
                    .iter()
                    .map(|k| (k.clone(), "placeholder".to_string()))
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    let renders = renderer.render_all(&checked, &secrets);
    for r in &renders {
        assert!(
            r.issues.iter().all(|i| i.severity != Severity::Error)
                && (r.object.is_some() || r.skipped.is_some()),
            "{r:#?}"
        );
    }
    renders
}

fn assert_no_overlaps(analysis: &Analysis) {
    let boxes: Vec<(String, Rect)> = analysis
        .nodes
        .iter()
        .map(|n| (n.id.clone(), Rect::node(n.position)))
        .collect();
    for (i, (a, ra)) in boxes.iter().enumerate() {
        for (b, rb) in &boxes[i + 1..] {
            assert!(!ra.intersects(rb), "{a} overlaps {b}");
        }
    }
}

fn snapshot(name: &str, analysis: &Analysis, renders: &[NodeRender]) -> String {
    let mut out = format!(
        "# Imported from tests/compose/{name}: {} nodes, {} edges\n",
        analysis.nodes.len(),
        analysis.edges.len()
    );
    for w in &analysis.warnings {
        out.push_str(&format!(
            "# warning [{}] {}: {}\n",
            w.service.as_deref().unwrap_or("-"),
            w.key.as_deref().unwrap_or("-"),
            w.message.replace('\n', " ")
        ));
    }
    for e in &analysis.edges {
        out.push_str(&format!("# edge {} -> {}\n", e.source, e.target));
    }
    for r in renders {
        for issue in &r.issues {
            out.push_str(&format!(
                "# {}: {:?}: {}\n",
                r.node_id, issue.severity, issue.message
            ));
        }
    }
    out.push_str(&to_multi_document(renders));
    out
}

#[test]
fn compose_fixtures_convert_render_and_match_their_snapshots() {
    let renderer = Renderer::embedded().unwrap();
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let names = projects();
    assert!(
        names.len() >= 12,
        "at least 12 Compose fixtures, found {}",
        names.len()
    );
    let mut failures = Vec::new();
    for name in names {
        let input = project(&name);
        let analysis = convert_compose(&input).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!analysis.services.is_empty(), "{name}");
        for service in &analysis.services {
            let base = sanitize(service, MAX_NAME);
            let workload = analysis.nodes.iter().any(|n| {
                n.kind.is_workload()
                    && n.data["annotations"].is_object()
                    && n.data["name"]
                        .as_str()
                        .is_some_and(|x| x.starts_with(&base))
            });
            assert!(workload, "{name}: no workload for {service}");
        }
        assert_no_overlaps(&analysis);
        let renders = render(&analysis, &renderer);
        let text = snapshot(&name, &analysis, &renders);
        let path = dir("snapshots").join(format!("compose-{name}.yaml"));
        if update {
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).unwrap_or_default() != text {
            failures.push(name);
        }
    }
    assert!(failures.is_empty(), "differ from their snapshots: {failures:?}; run with UPDATE_SNAPSHOTS=1 and review the diff");
}

/// Rendered objects without the node-id labels (node ids differ after an import).
fn normalised(renders: &[NodeRender]) -> BTreeMap<(String, String), Value> {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.remove("kubeorch.io/node");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    renders
        .iter()
        .filter_map(|r| r.object.as_ref())
        .map(|o| {
            let mut v = o.object.clone();
            strip(&mut v);
            ((o.kind.clone(), o.name.clone()), v)
        })
        .collect()
}

/// Where two JSON values first differ (`None` when equal).
fn first_diff(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.keys()
                .chain(y.keys())
                .find_map(|k| match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => first_diff(p, q, &format!("{path}.{k}")),
                    (p, q) => Some(format!("{path}.{k}: {p:?} vs {q:?}")),
                })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_diff(p, q, &format!("{path}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{path}: {a} vs {b}")),
    }
}

fn edge_names(
    graph_nodes: &[app::model::Node],
    edges: &[app::model::Edge],
) -> BTreeSet<(String, String)> {
    let name = |id: &str| {
        graph_nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| format!("{}/{}", n.kind, n.data["name"].as_str().unwrap_or_default()))
            .unwrap_or_default()
    };
    edges
        .iter()
        .map(|e| (name(&e.source), name(&e.target)))
        .collect()
}

#[test]
fn rendered_designs_import_back_to_equivalent_graphs() {
    let renderer = Renderer::embedded().unwrap();
    for path in fixtures() {
        let fixture = Fixture::load(&path);
        if fixture.nodes.iter().any(|n| {
            n.kind == NodeKind::Secret && n.data.get("existing") == Some(&Value::Bool(true))
        }) {
            continue; // an existing Secret renders nothing, so there is nothing to import back
        }
        let original = fixture.graph();
        let analysis = Analysis {
            nodes: original.nodes.clone(),
            edges: original.edges.clone(),
            ..Default::default()
        };
        let first = render(&analysis, &renderer);
        let yaml = to_multi_document(&first);
        let imported = convert_kubernetes(&yaml, "default")
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let second = render(&imported, &renderer);
        let name = path.file_name().unwrap().to_string_lossy();
        let (a, b) = (normalised(&first), normalised(&second));
        for (key, object) in &a {
            let diff = b.get(key).map_or(Some("missing".to_string()), |other| {
                first_diff(object, other, "")
            });
            assert!(
                diff.is_none(),
                "{name}: {key:?} differs after the round trip at {diff:?}"
            );
        }
        assert_eq!(
            a.len(),
            b.len(),
            "{name}: objects differ after the round trip"
        );
        let dependency_free: Vec<app::model::Edge> = original
            .edges
            .iter()
            .filter(|e| {
                let kind = |id: &str| original.nodes.iter().find(|n| n.id == id).map(|n| n.kind);
                !(kind(&e.source).is_some_and(NodeKind::is_workload)
                    && kind(&e.target).is_some_and(NodeKind::is_workload))
            })
            .cloned()
            .collect();
        assert_eq!(
            edge_names(&imported.nodes, &imported.edges),
            edge_names(&original.nodes, &dependency_free),
            "{name}: edges differ after the round trip"
        );
    }
}
