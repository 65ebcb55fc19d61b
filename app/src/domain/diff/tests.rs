//! The diff on fixtures shaped like real node settings (spec §10, issue 8 acceptance).

use serde_json::{json, Value};

use super::*;
use crate::model::NodeKind;

fn node(id: &str, kind: NodeKind, x: f64, data: Value) -> Node {
    Node {
        id: id.into(),
        kind,
        position: Position { x, y: 40.0 },
        data: data.as_object().cloned().unwrap_or_default(),
    }
}

fn edge(id: &str, source: &str, target: &str) -> Edge {
    Edge {
        id: id.into(),
        source: source.into(),
        target: target.into(),
    }
}

fn web() -> Node {
    node(
        "web",
        NodeKind::Deployment,
        300.0,
        json!({
            "name": "web", "namespace": "shop", "replicas": 3,
            "labels": {"tier": "frontend"},
            "image": "ghcr.io/example/shop-web:2.4.1",
            "command": ["/app/server"],
            "ports": [
                {"name": "http", "containerPort": 8080, "protocol": "TCP"},
                {"name": "metrics", "containerPort": 9090, "protocol": "TCP"}
            ],
            "env": [
                {"name": "LOG_FORMAT", "value": "json"},
                {"name": "GREETING", "value": "hello"},
                {"name": "REGION", "value": "eu"}
            ],
            "readinessProbe": {"type": "tcp", "port": 8080, "periodSeconds": 5}
        }),
    )
}

fn svc() -> Node {
    node(
        "svc",
        NodeKind::Service,
        150.0,
        json!({
            "name": "web", "namespace": "shop", "type": "ClusterIP",
            "ports": [{"name": "http", "port": 80, "targetPort": "", "protocol": "TCP", "nodePort": null}]
        }),
    )
}

fn ingress() -> Node {
    node(
        "ing",
        NodeKind::Ingress,
        0.0,
        json!({
            "name": "shop", "namespace": "shop", "host": "shop.example.com",
            "paths": [
                {"path": "/", "pathType": "Prefix", "host": "", "service": "web", "port": ""},
                {"path": "/api", "pathType": "Prefix", "host": "", "service": "api", "port": "8080"}
            ]
        }),
    )
}

fn policy() -> Node {
    node(
        "pol",
        NodeKind::NetworkPolicy,
        450.0,
        json!({
            "name": "web-in", "namespace": "shop", "policyTypes": ["Ingress"],
            "ingressRules": [{
                "peers": [
                    {"type": "pods", "podLabels": {"app": "shop"}, "namespaceLabels": {}, "cidr": "", "except": []},
                    {"type": "ipBlock", "podLabels": {}, "namespaceLabels": {}, "cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}
                ],
                "ports": [{"protocol": "TCP", "port": "8080", "endPort": null}]
            }],
            "egressRules": []
        }),
    )
}

fn base() -> Graph {
    Graph {
        nodes: vec![ingress(), svc(), web(), policy()],
        edges: vec![
            edge("e-ing-svc", "ing", "svc"),
            edge("e-svc-web", "svc", "web"),
            edge("e-pol-web", "pol", "web"),
        ],
    }
}

/// `base()` with one node's data changed by `edit`.
fn edited(id: &str, edit: impl FnOnce(&mut Value)) -> Graph {
    let mut graph = base();
    if let Some(node) = graph.nodes.iter_mut().find(|n| n.id == id) {
        let mut data = Value::Object(node.data.clone());
        edit(&mut data);
        node.data = data.as_object().cloned().unwrap_or_default();
    }
    graph
}

fn only_changes_of(diff: &GraphDiff, id: &str) -> Vec<(String, Option<Value>, Option<Value>)> {
    let counts = diff.counts();
    assert_eq!(
        counts,
        DiffCounts {
            modified: 1,
            ..DiffCounts::default()
        },
        "{diff:#?}"
    );
    diff.changes_of(id)
        .iter()
        .map(|c| (c.path.clone(), c.old.clone(), c.new.clone()))
        .collect()
}

fn changed(path: &str, old: Value, new: Value) -> (String, Option<Value>, Option<Value>) {
    (path.to_string(), Some(old), Some(new))
}

#[test]
fn identical_versions_have_an_empty_diff() {
    let graph = base();
    let result = diff(&graph, &graph.clone());
    assert!(result.is_empty(), "{result:#?}");
    assert_eq!(result, GraphDiff::default());
    assert!(diff(&Graph::default(), &Graph::default()).is_empty());
}

#[test]
fn numbers_compare_by_value_and_key_order_does_not_matter() {
    let stored = edited("web", |d| d["replicas"] = json!(3.0));
    assert!(diff(&base(), &stored).is_empty());
}

#[test]
fn env_changes_have_exact_paths() {
    let value = edited("web", |d| d["env"][1]["value"] = json!("hi"));
    assert_eq!(
        only_changes_of(&diff(&base(), &value), "web"),
        [changed("data.env[1].value", json!("hello"), json!("hi"))]
    );

    let inserted = edited("web", |d| {
        if let Some(env) = d["env"].as_array_mut() {
            env.insert(1, json!({"name": "DEBUG", "value": "1"}));
        }
    });
    assert_eq!(
        only_changes_of(&diff(&base(), &inserted), "web"),
        [(
            "data.env[1]".to_string(),
            None,
            Some(json!({"name": "DEBUG", "value": "1"}))
        )],
        "an insertion is one added element, not a cascade"
    );

    let removed = edited("web", |d| {
        if let Some(env) = d["env"].as_array_mut() {
            env.remove(0);
        }
    });
    assert_eq!(
        only_changes_of(&diff(&base(), &removed), "web"),
        [(
            "data.env[0]".to_string(),
            Some(json!({"name": "LOG_FORMAT", "value": "json"})),
            None
        )]
    );
}

#[test]
fn port_changes_have_exact_paths() {
    let service = edited("svc", |d| {
        d["ports"][0]["port"] = json!(8080);
        d["ports"][0]["nodePort"] = json!(30080);
    });
    assert_eq!(
        only_changes_of(&diff(&base(), &service), "svc"),
        [
            changed("data.ports[0].nodePort", Value::Null, json!(30080)),
            changed("data.ports[0].port", json!(80), json!(8080)),
        ]
    );
    let container = edited("web", |d| d["ports"][1]["containerPort"] = json!(9100));
    assert_eq!(
        only_changes_of(&diff(&base(), &container), "web"),
        [changed(
            "data.ports[1].containerPort",
            json!(9090),
            json!(9100)
        )]
    );
}

#[test]
fn map_changes_have_exact_paths_with_quoted_keys() {
    let labels = edited("web", |d| {
        d["labels"]["example.com/team"] = json!("payments");
        d["labels"]["tier"] = json!("web");
        if let Some(probe) = d["readinessProbe"].as_object_mut() {
            probe.remove("periodSeconds");
        }
    });
    assert_eq!(
        only_changes_of(&diff(&base(), &labels), "web"),
        [
            (
                r#"data.labels["example.com/team"]"#.to_string(),
                None,
                Some(json!("payments"))
            ),
            changed("data.labels.tier", json!("frontend"), json!("web")),
            (
                "data.readinessProbe.periodSeconds".to_string(),
                Some(json!(5)),
                None
            ),
        ]
    );
}

#[test]
fn ingress_path_changes_have_exact_paths() {
    let paths = edited("ing", |d| {
        d["paths"][1]["service"] = json!("orders");
        d["paths"][1]["pathType"] = json!("Exact");
    });
    assert_eq!(
        only_changes_of(&diff(&base(), &paths), "ing"),
        [
            changed("data.paths[1].pathType", json!("Prefix"), json!("Exact")),
            changed("data.paths[1].service", json!("api"), json!("orders")),
        ]
    );
}

#[test]
fn network_policy_rule_changes_have_exact_paths() {
    let rules = edited("pol", |d| {
        let rule = &mut d["ingressRules"][0];
        rule["peers"][1]["cidr"] = json!("192.168.0.0/16");
        rule["peers"][1]["except"][0] = json!("192.168.1.0/24");
        rule["ports"][0]["port"] = json!("http");
        rule["peers"][0]["podLabels"]["role"] = json!("client");
    });
    assert_eq!(
        only_changes_of(&diff(&base(), &rules), "pol"),
        [
            (
                "data.ingressRules[0].peers[0].podLabels.role".to_string(),
                None,
                Some(json!("client"))
            ),
            changed(
                "data.ingressRules[0].peers[1].cidr",
                json!("10.0.0.0/8"),
                json!("192.168.0.0/16")
            ),
            changed(
                "data.ingressRules[0].peers[1].except[0]",
                json!("10.1.0.0/16"),
                json!("192.168.1.0/24")
            ),
            changed(
                "data.ingressRules[0].ports[0].port",
                json!("8080"),
                json!("http")
            ),
        ]
    );
}

#[test]
fn a_rename_is_a_field_change_not_a_removal_and_addition() {
    let renamed = edited("web", |d| d["name"] = json!("storefront"));
    let result = diff(&base(), &renamed);
    assert!(result.nodes.added.is_empty() && result.nodes.removed.is_empty());
    assert_eq!(
        only_changes_of(&result, "web"),
        [changed("data.name", json!("web"), json!("storefront"))]
    );
}

#[test]
fn pure_moves_appear_only_under_moved() {
    let mut moved = base();
    moved.nodes[2].position = Position { x: 320.5, y: 80.0 };
    let result = diff(&base(), &moved);
    assert!(result.nodes.modified.is_empty(), "{result:#?}");
    assert_eq!(
        result.nodes.moved,
        [NodeMove {
            node_id: "web".into(),
            from: Position { x: 300.0, y: 40.0 },
            to: Position { x: 320.5, y: 80.0 },
        }]
    );
    assert_eq!(
        result.counts(),
        DiffCounts {
            moved: 1,
            ..DiffCounts::default()
        }
    );
    let mark = result.mark_of("web");
    assert!(mark.moved && !mark.modified && !mark.is_unchanged());
    assert!(result.mark_of("svc").is_unchanged());
}

#[test]
fn a_moved_and_edited_node_is_listed_in_both_without_its_position() {
    let mut both = edited("web", |d| d["replicas"] = json!(5));
    both.nodes[2].position.x = 10.0;
    let result = diff(&base(), &both);
    assert_eq!(result.nodes.moved.len(), 1);
    let paths: Vec<_> = result.changes_of("web").iter().map(|c| &c.path).collect();
    assert_eq!(paths, ["data.replicas"]);
}

#[test]
fn added_and_removed_nodes_and_kind_changes() {
    let mut next = base();
    next.nodes.retain(|n| n.id != "pol");
    next.edges.retain(|e| e.source != "pol");
    let cache = node(
        "cache",
        NodeKind::StatefulSet,
        600.0,
        json!({"name": "cache"}),
    );
    next.nodes.push(cache.clone());
    next.nodes[0].kind = NodeKind::Custom;
    let result = diff(&base(), &next);
    assert_eq!(result.nodes.added, [cache]);
    assert_eq!(result.nodes.removed, [policy()]);
    assert_eq!(
        only_kind_change(&result),
        changed("kind", json!("ingress"), json!("custom"))
    );
    assert_eq!(result.edges.removed, [edge("e-pol-web", "pol", "web")]);
}

fn only_kind_change(result: &GraphDiff) -> (String, Option<Value>, Option<Value>) {
    let changes = result.changes_of("ing");
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let c = &changes[0];
    (c.path.clone(), c.old.clone(), c.new.clone())
}

#[test]
fn edge_changes_are_matched_by_their_ends() {
    let mut next = base();
    next.edges.retain(|e| e.id != "e-svc-web");
    next.edges.push(edge("e-ing-web", "ing", "web"));
    next.edges[0].id = "redrawn".into();
    let result = diff(&base(), &next);
    assert_eq!(result.edges.added, [edge("e-ing-web", "ing", "web")]);
    assert_eq!(result.edges.removed, [edge("e-svc-web", "svc", "web")]);
    assert!(result.nodes == NodeChanges::default());

    let mut doubled = base();
    doubled.edges.push(edge("again", "svc", "web"));
    let result = diff(&base(), &doubled);
    assert_eq!(result.edges.added, [edge("again", "svc", "web")]);
    assert!(result.edges.removed.is_empty());
}

/// Every pair of fixtures, both ways round.
#[test]
fn diffs_both_ways_are_mirror_images() {
    let mut swapped = base();
    swapped.nodes[2].data["env"] = json!([
        {"name": "REGION", "value": "eu"},
        {"name": "LOG_FORMAT", "value": "json"},
        {"name": "GREETING", "value": "hello"},
        {"name": "A", "value": "b"}
    ]);
    swapped.nodes[2].data["command"] = json!(["/bin/sh", "-c", "/app/server"]);
    swapped.nodes[3].position.y = 0.0;
    swapped.nodes.remove(0);
    swapped.edges.remove(0);
    swapped.edges.push(edge("x", "web", "pol"));
    let fixtures = [
        base(),
        swapped,
        Graph::default(),
        edited("web", |d| d["env"] = json!([])),
        edited("pol", |d| d["ingressRules"][0]["peers"] = json!([])),
        edited("svc", |d| d["ports"][0] = json!("not an object")),
        edited("web", |d| d["command"] = json!(["/app/server", "--debug"])),
        edited("web", |d| d["command"] = json!(["--debug", "/app/server"])),
    ];
    for a in &fixtures {
        for b in &fixtures {
            let forward = diff(a, b);
            assert_eq!(diff(b, a), forward.reversed(), "{forward:#?}");
            assert_eq!(forward.reversed().reversed(), forward);
        }
    }
}

#[test]
fn serialises_to_the_documented_shape() {
    let result = diff(
        &base(),
        &edited("web", |d| d["env"][1]["value"] = json!("hi")),
    );
    let json = serde_json::to_value(&result).expect("serialises");
    assert_eq!(
        json,
        json!({
            "nodes": {
                "added": [], "removed": [], "moved": [],
                "modified": [{"node_id": "web", "changes": [
                    {"path": "data.env[1].value", "old": "hello", "new": "hi"}
                ]}]
            },
            "edges": {"added": [], "removed": []}
        })
    );
    let back: GraphDiff = serde_json::from_value(json).expect("parses");
    assert_eq!(back, result);
}
