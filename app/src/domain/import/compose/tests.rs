//! Tests of the Compose conversion rules (the fixture projects are in `app/tests/import.rs`).

use serde_json::{json, Value};

use super::*;
use crate::domain::import::error;
use crate::model::{Node, NodeKind};

fn run(text: &str) -> Analysis {
    convert(&ComposeInput {
        text: text.into(),
        ..Default::default()
    })
    .expect("converts")
}

fn fail(text: &str) -> ImportError {
    convert(&ComposeInput {
        text: text.into(),
        ..Default::default()
    })
    .expect_err("fails")
}

fn node<'a>(a: &'a Analysis, kind: NodeKind, name: &str) -> &'a Node {
    a.nodes
        .iter()
        .find(|n| n.kind == kind && n.data["name"] == json!(name))
        .unwrap_or_else(|| {
            panic!(
                "no {kind} {name} in {:#?}",
                a.nodes.iter().map(|n| &n.id).collect::<Vec<_>>()
            )
        })
}

fn linked(a: &Analysis, source: &Node, target: &Node) -> bool {
    a.edges
        .iter()
        .any(|e| e.source == source.id && e.target == target.id)
}

fn warned(a: &Analysis, service: &str, key: &str) -> bool {
    a.warnings
        .iter()
        .any(|w| w.service.as_deref() == Some(service) && w.key.as_deref() == Some(key))
}

#[test]
fn controllers_follow_the_service() {
    let a = run(r#"
services:
  web: { image: "nginx:1.27", ports: ["8080:80"] }
  db: { image: "postgres:16" }
  cache: { image: "ghcr.io/x/cache:1", volumes: ["cache:/data"] }
  agent: { image: "x/agent", deploy: { mode: global } }
  once: { image: "x/migrate", restart: "no" }
  forced: { image: "postgres", labels: { kompose.controller.type: deployment } }
volumes: { cache: {} }
"#);
    node(&a, NodeKind::Deployment, "web");
    node(&a, NodeKind::StatefulSet, "db");
    node(&a, NodeKind::StatefulSet, "cache");
    node(&a, NodeKind::DaemonSet, "agent");
    let job = node(&a, NodeKind::Job, "once");
    assert_eq!(job.data["restartPolicy"], json!("Never"));
    node(&a, NodeKind::Deployment, "forced");
}

#[test]
fn statefulsets_get_a_headless_service_and_published_ports_a_node_port() {
    let a = run(r#"
services:
  db: { image: "postgres:16" }
  web: { image: "nginx", ports: ["8080:80", "30443:443", "9000"] }
"#);
    let db_svc = node(&a, NodeKind::Service, "db");
    assert_eq!(db_svc.data["headless"], json!(true));
    assert_eq!(db_svc.data["ports"][0]["port"], json!(5432));
    assert!(linked(&a, db_svc, node(&a, NodeKind::StatefulSet, "db")));
    assert!(warned(&a, "db", "ports"), "assumed port is reported");
    let web = node(&a, NodeKind::Service, "web");
    assert_eq!(web.data["type"], json!("NodePort"));
    let ports = web.data["ports"].as_array().unwrap();
    assert_eq!(ports.len(), 3);
    assert_eq!(ports[0]["port"], json!(80));
    assert_eq!(ports[0]["nodePort"], Value::Null);
    assert_eq!(ports[1]["nodePort"], json!(30443));
}

#[test]
fn names_are_sanitised_the_same_everywhere() {
    let a = run(r#"
services:
  Web_App:
    image: nginx
    volumes: ["db_data:/var/lib/data"]
    depends_on: [Cache.1]
  Cache.1: { image: "redis" }
volumes: { db_data: {} }
"#);
    let web = node(&a, NodeKind::StatefulSet, "web-app");
    let pvc = node(&a, NodeKind::PersistentVolumeClaim, "db-data");
    assert!(linked(&a, pvc, web));
    assert_eq!(pvc.data["mountPath"], json!("/var/lib/data"));
    assert_eq!(pvc.data["storage"], json!("1Gi"));
    assert!(
        linked(&a, node(&a, NodeKind::StatefulSet, "cache-1"), web),
        "depends_on edge"
    );
    assert!(
        warned(&a, "Web_App", "")
            || a.warnings
                .iter()
                .any(|w| w.service.as_deref() == Some("Web_App") && w.message.contains("web-app"))
    );
}

#[test]
fn environment_is_split_into_config_and_secret_names() {
    let a = run(r#"
services:
  app:
    image: x/app
    environment: ["MODE=prod", "DB_PASSWORD=hunter2", "PLAIN"]
"#);
    let cm = node(&a, NodeKind::ConfigMap, "app-env");
    assert_eq!(cm.data["data"], json!({ "MODE": "prod" }));
    let secret = node(&a, NodeKind::Secret, "app-secrets");
    assert_eq!(secret.data["keys"], json!(["DB_PASSWORD"]));
    assert!(
        !serde_json::to_string(&a).unwrap().contains("hunter2"),
        "secret values are never kept"
    );
    assert!(warned(&a, "app", "environment.PLAIN"));
}

#[test]
fn profiles_are_chosen_by_the_user() {
    let text = r#"
services:
  app: { image: x/app }
  debug: { image: busybox, profiles: [debug] }
"#;
    let a = run(text);
    assert_eq!(a.services, ["app"]);
    assert_eq!(a.profiles, ["debug"]);
    let b = convert(&ComposeInput {
        text: text.into(),
        profiles: vec!["debug".into()],
        ..Default::default()
    })
    .unwrap();
    assert_eq!(b.services, ["app", "debug"]);
}

#[test]
fn errors_name_the_service_and_key() {
    let err = fail("services:\n  web:\n    image: nginx\n    ports: ['http:80']\n");
    assert!(
        matches!(&err, ImportError::Invalid { service: Some(s), key, .. } if s == "web" && key.starts_with("ports")),
        "{err:?}"
    );
    let err = fail("services:\n  web:\n    image: ${IMAGE:?pick an image}\n");
    assert!(
        err.to_string().contains("service `web`, key `image`")
            && err.to_string().contains("pick an image"),
        "{err}"
    );
    assert!(matches!(fail("services: {}"), ImportError::Empty(_)));
    assert!(matches!(
        fail("services: [1, 2"),
        ImportError::Yaml { line: Some(_), .. }
    ));
    assert!(matches!(fail("- just\n- a list\n"), ImportError::Empty(_)));
}

#[test]
fn caps_are_enforced_with_clear_errors() {
    let big = format!(
        "services:\n  a:\n    image: x\n# {}\n",
        "x".repeat(error::MAX_BYTES)
    );
    assert!(matches!(fail(&big), ImportError::TooLarge { .. }));
    let mut many = String::from("services:\n");
    for i in 0..=error::MAX_SERVICES {
        many.push_str(&format!("  s{i}: {{ image: x }}\n"));
    }
    assert!(matches!(fail(&many), ImportError::TooMany { .. }));
}

#[test]
fn unknown_and_dropped_keys_are_warnings() {
    let a = run(r#"
services:
  app:
    image: x/app
    gpus: all
    hostname: app1
    ulimits: { nofile: 1024 }
    deploy: { placement: { constraints: ["node.role == manager"] } }
"#);
    for key in ["gpus", "hostname", "ulimits", "deploy.placement"] {
        assert!(warned(&a, "app", key), "{key}: {:#?}", a.warnings);
    }
}

#[test]
fn probes_commands_and_resources() {
    let a = run(r#"
services:
  app:
    image: x/app
    entrypoint: ["/bin/run"]
    command: serve --port "8 0"
    healthcheck: { test: "curl -f localhost", interval: 1m30s, timeout: 2s, retries: 4, start_period: 500ms }
    deploy: { resources: { limits: { cpus: "1.5", memory: 512M }, reservations: { memory: 1g } } }
"#);
    let app = node(&a, NodeKind::Deployment, "app");
    assert_eq!(app.data["command"], json!(["/bin/run"]));
    assert_eq!(app.data["args"], json!(["serve", "--port", "8 0"]));
    let probe = &app.data["readinessProbe"];
    assert_eq!(probe["command"], json!(["sh", "-c", "curl -f localhost"]));
    assert_eq!(probe["periodSeconds"], json!(90));
    assert_eq!(probe["initialDelaySeconds"], json!(1));
    assert_eq!(probe["failureThreshold"], json!(4));
    assert_eq!(
        app.data["resources"],
        json!({ "cpuLimit": "1500m", "memoryLimit": "512Mi", "cpuRequest": "", "memoryRequest": "1Gi" })
    );
}

#[test]
fn garbage_never_panics() {
    let inputs = [
        "",
        "~",
        "services:",
        "services: 3",
        "services:\n  a: 3",
        "services:\n  a:\n    ports: {x: 1}",
        "services:\n  a:\n    extends: a",
        "services:\n  a:\n    extends: b\n  b:\n    extends: a",
        "services:\n  a: &x\n    <<: *x",
        "services:\n  a:\n    image: '${'",
        "\u{0}\u{1}",
        "services:\n  a:\n    volumes: [':::']",
        "services:\n  a:\n    ports: ['99999:1']",
    ];
    for input in inputs {
        let _ = convert(&ComposeInput {
            text: input.into(),
            ..Default::default()
        });
    }
}
