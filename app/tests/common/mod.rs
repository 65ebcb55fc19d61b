//! Test helpers: fixtures (a design in YAML) and rendering them.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use app::domain::render::{NodeRender, Renderer, SecretValues};
use app::domain::{check, Report};
use app::model::{Edge, Graph, Node, NodeData, NodeKind};
use serde::Deserialize;

/// A design as written in `tests/fixtures/*.yaml`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fixture {
    #[serde(default = "default_workflow")]
    pub workflow_id: String,
    pub nodes: Vec<FixtureNode>,
    #[serde(default)]
    pub edges: Vec<Edge>,
    /// Deploy-time Secret values by node id.
    #[serde(default)]
    pub secrets: BTreeMap<String, SecretValues>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureNode {
    pub id: String,
    pub kind: NodeKind,
    #[serde(default)]
    pub data: NodeData,
}

fn default_workflow() -> String {
    "wf-demo".to_string()
}

impl Fixture {
    pub fn load(path: &Path) -> Fixture {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn graph(&self) -> Graph {
        let nodes = self
            .nodes
            .iter()
            .map(|n| Node {
                id: n.id.clone(),
                kind: n.kind,
                position: Default::default(),
                data: n.data.clone(),
            })
            .collect();
        Graph {
            nodes,
            edges: self.edges.clone(),
        }
    }

    /// Checks and renders the design: the report and every node's outcome.
    pub fn render(&self, renderer: &Renderer) -> (Report, Vec<NodeRender>) {
        let graph = self.graph();
        let checked = check(&self.workflow_id, &graph);
        let renders = renderer.render_all(&checked, &self.secrets);
        (checked.report, renders)
    }
}

pub fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name)
}

/// The fixture files, sorted.
pub fn fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir("fixtures"))
        .expect("tests/fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}
