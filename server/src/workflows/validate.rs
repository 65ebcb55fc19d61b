//! Input rules for workflows; each failure says which field breaks which rule.

use std::collections::HashSet;

use app::api::workflows::MAX_NAME_CHARS;
use app::error::AppError;
use app::model::{Edge, Node};

/// Most nodes in one workflow.
pub const MAX_NODES: usize = 2_000;
/// Most edges in one workflow.
pub const MAX_EDGES: usize = 10_000;
/// Largest graph (nodes + edges as JSON), in bytes.
pub const MAX_GRAPH_BYTES: usize = 4 * 1024 * 1024;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;
/// Longest version message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 500;
/// Longest node or edge id, in characters.
pub const MAX_ID_CHARS: usize = 100;

/// A trimmed name of 1–100 characters.
pub fn name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    match name.chars().count() {
        1..=MAX_NAME_CHARS => Ok(name.to_string()),
        0 => Err(AppError::Invalid("Give the workflow a name.".into())),
        n => Err(AppError::Invalid(format!(
            "The name is {n} characters long; use at most {MAX_NAME_CHARS}."
        ))),
    }
}

/// A trimmed description of at most 2000 characters.
pub fn description(description: &str) -> Result<String, AppError> {
    let description = description.trim();
    let n = description.chars().count();
    if n > MAX_DESCRIPTION_CHARS {
        return Err(AppError::Invalid(format!(
            "The description is {n} characters long; use at most {MAX_DESCRIPTION_CHARS}."
        )));
    }
    Ok(description.to_string())
}

/// A trimmed version message of at most 500 characters.
pub fn message(message: &str) -> Result<String, AppError> {
    let message = message.trim();
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(AppError::Invalid(format!(
            "The version message is too long; use at most {MAX_MESSAGE_CHARS} characters."
        )));
    }
    Ok(message.to_string())
}

/// Size caps (413), then ids unique and edges between existing, distinct nodes (422).
pub fn graph(nodes: &[Node], edges: &[Edge]) -> Result<(), AppError> {
    if nodes.len() > MAX_NODES {
        return Err(AppError::PayloadTooLarge(format!(
            "A workflow can have at most {MAX_NODES} nodes; this one has {}.",
            nodes.len()
        )));
    }
    if edges.len() > MAX_EDGES {
        return Err(AppError::PayloadTooLarge(format!(
            "A workflow can have at most {MAX_EDGES} connections; this one has {}.",
            edges.len()
        )));
    }
    let bytes = serde_json::to_vec(&(nodes, edges))
        .map(|v| v.len())
        .unwrap_or(usize::MAX);
    if bytes > MAX_GRAPH_BYTES {
        return Err(AppError::PayloadTooLarge(format!(
            "The workflow's settings take {} KiB; the limit is {} KiB. Remove large values \
             (such as pasted files) from node settings.",
            bytes / 1024,
            MAX_GRAPH_BYTES / 1024
        )));
    }
    let node_ids = unique_ids(nodes.iter().map(|n| n.id.as_str()), "node")?;
    unique_ids(edges.iter().map(|e| e.id.as_str()), "connection")?;
    for edge in edges {
        for end in [&edge.source, &edge.target] {
            if !node_ids.contains(end.as_str()) {
                return Err(AppError::Invalid(format!(
                    "Connection `{}` refers to node `{end}`, which is not in the workflow.",
                    edge.id
                )));
            }
        }
        if edge.source == edge.target {
            return Err(AppError::Invalid(format!(
                "Connection `{}` connects node `{}` to itself.",
                edge.id, edge.source
            )));
        }
    }
    Ok(())
}

fn unique_ids<'a>(
    ids: impl Iterator<Item = &'a str>,
    what: &str,
) -> Result<HashSet<&'a str>, AppError> {
    let mut seen = HashSet::new();
    for id in ids {
        if id.is_empty() || id.chars().count() > MAX_ID_CHARS {
            return Err(AppError::Invalid(format!(
                "Every {what} needs an id of 1–{MAX_ID_CHARS} characters."
            )));
        }
        if !seen.insert(id) {
            return Err(AppError::Invalid(format!(
                "Two {what}s have the id `{id}`; ids must be unique."
            )));
        }
    }
    Ok(seen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::{NodeKind, Position};

    fn node(id: &str) -> Node {
        Node {
            id: id.into(),
            kind: NodeKind::Deployment,
            position: Position::default(),
            data: Default::default(),
        }
    }

    fn edge(id: &str, source: &str, target: &str) -> Edge {
        Edge {
            id: id.into(),
            source: source.into(),
            target: target.into(),
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("  shop ").ok().as_deref(), Some("shop"));
        assert!(name("   ").is_err());
        assert!(name(&"x".repeat(100)).is_ok());
        assert!(matches!(name(&"x".repeat(101)), Err(AppError::Invalid(m)) if m.contains("101")));
    }

    #[test]
    fn graphs_need_unique_ids_and_real_ends() {
        let nodes = [node("a"), node("b")];
        assert!(graph(&nodes, &[edge("e", "a", "b")]).is_ok());
        let twice = graph(&[node("a"), node("a")], &[]);
        assert!(matches!(twice, Err(AppError::Invalid(m)) if m.contains("`a`")));
        let dangling = graph(&nodes, &[edge("e", "a", "zz")]);
        assert!(matches!(dangling, Err(AppError::Invalid(m)) if m.contains("`zz`")));
        assert!(graph(&nodes, &[edge("e", "a", "a")]).is_err());
        assert!(graph(&nodes, &[edge("e", "a", "b"), edge("e", "b", "a")]).is_err());
        assert!(graph(&[node("")], &[]).is_err());
    }

    #[test]
    fn too_many_nodes_is_too_large() {
        let many: Vec<Node> = (0..=MAX_NODES).map(|i| node(&format!("n{i}"))).collect();
        assert_eq!(graph(&many, &[]).map_err(|e| e.status()), Err(413));
    }
}
