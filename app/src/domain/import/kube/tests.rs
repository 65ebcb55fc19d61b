//! Tests of the Kubernetes YAML import (the round trip over every design fixture is in
//! `app/tests/import.rs`).

use serde_json::json;

use super::*;

const STACK: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, labels: { team: shop } }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{ containerPort: 80 }]
          envFrom: [{ configMapRef: { name: web-env } }]
          volumeMounts: [{ name: data, mountPath: /srv }]
        - { name: sidecar, image: busybox }
      volumes: [{ name: data, persistentVolumeClaim: { claimName: web-data } }]
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 80 }] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: web-env }
data: { MODE: prod }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: web-data }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 2Gi } } }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web }
spec:
  rules:
    - host: shop.example.com
      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: web-tls, namespace: default }
spec: { secretName: web-tls, dnsNames: [shop.example.com] }
"#;

#[test]
fn objects_become_nodes_with_inferred_edges() {
    let a = convert(STACK, "default").expect("imports");
    let id = |kind: &str, name: &str| format!("{kind}-{name}");
    let has = |s: String, t: String| a.edges.iter().any(|e| e.source == s && e.target == t);
    assert_eq!(a.nodes.len(), 6);
    assert!(has(id("service", "web"), id("deployment", "web")));
    assert!(has(id("ingress", "web"), id("service", "web")));
    assert!(has(id("configmap", "web-env"), id("deployment", "web")));
    assert!(has(
        id("persistentvolumeclaim", "web-data"),
        id("deployment", "web")
    ));
    let svc = a
        .nodes
        .iter()
        .find(|n| n.id == id("service", "web"))
        .unwrap();
    assert_eq!(
        svc.data["selector"],
        json!({}),
        "the edge replaces the selector"
    );
    let pvc = a
        .nodes
        .iter()
        .find(|n| n.id == id("persistentvolumeclaim", "web-data"))
        .unwrap();
    assert_eq!(pvc.data["mountPath"], json!("/srv"));
    let custom = a.nodes.iter().find(|n| n.kind == NodeKind::Custom).unwrap();
    assert_eq!(custom.data["objectKind"], json!("Certificate"));
    assert!(custom.data["content"]
        .as_str()
        .unwrap()
        .contains("secretName: web-tls"));
    assert!(a
        .warnings
        .iter()
        .any(|w| w.message.contains("2 containers")));
    let graph = crate::model::Graph {
        nodes: a.nodes.clone(),
        edges: a.edges.clone(),
    };
    let checked = crate::domain::check("wf", &graph);
    assert!(!checked.report.has_errors(), "{:#?}", checked.report);
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    assert!(matches!(convert("", "default"), Err(ImportError::Empty(_))));
    assert!(matches!(
        convert("a: [", "default"),
        Err(ImportError::Yaml { .. })
    ));
    let a = convert(
        "kind: Thing\n---\n42\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: ok }\n",
        "default",
    )
    .unwrap();
    assert_eq!(a.nodes.len(), 1);
    assert_eq!(a.warnings.len(), 2);
}
