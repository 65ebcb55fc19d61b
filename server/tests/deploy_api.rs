//! Deploys through the HTTP API into a stand-in API server, through the same kube-rs code path a
//! real cluster uses: dependency levels and parallelism as the API server saw them, dry-run
//! failures that apply nothing, re-runs that change only what changed (server-side apply, other
//! managers' fields kept), pruning, and failures shown on the failing node only.

mod cluster_support;
mod common;
mod deploy_support;

use std::time::{Duration, Instant};

use cluster_support::Seen;
use deploy_support::{edge, node, node_in, web_stack, Board, Lab};
use k8s_openapi::api::core::v1::{Namespace, PersistentVolumeClaim, Service};
use kube::api::{Api, Patch, PatchParams};
use serde_json::{json, Value};

const SETTLE: Duration = Duration::from_secs(15);

/// The real (not dry-run) applies of `plural`.
fn applies<'a>(seen: &'a [Seen], plural: &str) -> Vec<&'a Seen> {
    let part = format!("/{plural}/");
    seen.iter()
        .filter(|s| s.is_apply() && s.uri.contains(&part))
        .collect()
}

fn only<'a>(seen: &'a [Seen], plural: &str) -> anyhow::Result<&'a Seen> {
    let found = applies(seen, plural);
    anyhow::ensure!(
        found.len() == 1,
        "one apply of {plural}, saw {}",
        found.len()
    );
    Ok(found[0])
}

fn step(run: &Value, node: &str) -> String {
    run["nodes"][node]["state"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn levels_apply_in_order_with_parallelism_inside_a_level() -> anyhow::Result<()> {
    let mut lab = Lab::start().await?;
    lab.sandbox.faults().set_latency(Duration::from_millis(100));
    let mut events = lab.events().await?;
    let run = lab.deploy(&web_stack("nginx:1.27", 2)).await?;
    assert_eq!(run["state"], "succeeded", "{run}");
    for node in ["cfg", "pvc", "web", "svc", "ing"] {
        assert_eq!(step(&run, node), "applied", "{node}: {run}");
    }
    let seen = lab.recorder.seen();
    let (cfg, pvc) = (
        only(&seen, "configmaps")?,
        only(&seen, "persistentvolumeclaims")?,
    );
    let (web, svc, ing) = (
        only(&seen, "deployments")?,
        only(&seen, "services")?,
        only(&seen, "ingresses")?,
    );
    assert!(
        cfg.start < pvc.end && pvc.start < cfg.end,
        "one level is applied at once"
    );
    assert!(
        web.start >= cfg.end.max(pvc.end),
        "workloads after their config and storage"
    );
    assert!(
        svc.start >= web.end && ing.start >= svc.end,
        "Service, then Ingress"
    );
    let first_apply = seen.iter().filter(|s| s.is_apply()).map(|s| s.start).min();
    let last_dry_run = seen.iter().filter(|s| s.is_dry_run()).map(|s| s.end).max();
    assert!(
        last_dry_run.is_some() && last_dry_run <= first_apply,
        "dry-run before any apply"
    );
    assert_eq!(
        seen.iter().filter(|s| s.is_dry_run()).count(),
        5,
        "one dry-run per object"
    );

    let mut board = Board::default();
    let all = ["cfg", "pvc", "web", "svc", "ing"];
    events
        .watch(&mut board, SETTLE, |b| b.all(&all, "healthy"))
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_announced_as_finished_is_already_stored_as_finished() -> anyhow::Result<()> {
    let mut lab = Lab::start().await?;
    let mut events = lab.events().await?;
    let run_id = lab.run(&web_stack("nginx:1.27", 1)).await?;
    events
        .until(SETTLE, |e| {
            e.event == "run_update"
                && e.data["run_id"] == run_id.as_str()
                && e.data["finished_at"].is_string()
        })
        .await?;
    // One read, no polling: the final state was stored before it was published.
    let runs = common::expect(
        lab.user
            .get(&format!("/api/workflows/runs?id={}", lab.workflow_id))
            .await?,
        reqwest::StatusCode::OK,
    )
    .await?;
    let run = runs
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["id"] == run_id.as_str())
        .cloned()
        .unwrap_or_default();
    assert_eq!(run["state"], "succeeded", "{run}");
    assert_eq!(run["phase"], "finished", "{run}");
    assert!(run["finished_at"].is_string(), "{run}");
    for node in ["cfg", "pvc", "web", "svc", "ing"] {
        assert_eq!(step(&run, node), "applied", "{node}: {run}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_changes_only_what_changed_and_keeps_other_managers_fields() -> anyhow::Result<()> {
    let mut lab = Lab::start().await?;
    let first = lab.deploy(&web_stack("nginx:1.27", 2)).await?;
    assert_eq!(first["state"], "succeeded", "{first}");
    let services: Api<Service> = Api::namespaced(lab.sandbox.client()?, "default");
    let note = json!({"metadata": {"annotations": {"team.example.com/owner": "payments"}}});
    services
        .patch(
            "web",
            &PatchParams::apply("kubectl").force(),
            &Patch::Apply(&note),
        )
        .await?;
    lab.recorder.clear();

    let second = lab.deploy(&web_stack("nginx:1.27", 3)).await?;
    assert_eq!(second["state"], "succeeded", "{second}");
    assert_eq!(step(&second, "web"), "applied", "{second}");
    for node in ["cfg", "pvc", "svc", "ing"] {
        assert_eq!(step(&second, node), "unchanged", "{node}: {second}");
    }
    let live = services.get("web").await?;
    let annotations = live.metadata.annotations.unwrap_or_default();
    assert_eq!(
        annotations
            .get("team.example.com/owner")
            .map(String::as_str),
        Some("payments"),
        "another manager's field survives the re-apply"
    );
    let deployments: Api<k8s_openapi::api::apps::v1::Deployment> =
        Api::namespaced(lab.sandbox.client()?, "default");
    let web = deployments.get("web").await?;
    assert_eq!(web.spec.and_then(|s| s.replicas), Some(3));
    Ok(())
}

/// Three Deployments of 100 replicas each whose ready count moves every few ticks.
fn rolling_fleet(image: &str) -> Value {
    let nodes: Vec<Value> = (0..3)
        .map(|i| {
            let image = if i == 0 { image } else { "nginx:1.27" };
            node(
                &format!("web{i}"),
                "deployment",
                json!({"name": format!("web{i}"), "image": image, "replicas": 100}),
            )
        })
        .collect();
    json!({"nodes": nodes, "edges": []})
}

async fn ready_replicas(lab: &Lab) -> anyhow::Result<Vec<i32>> {
    let deployments: Api<k8s_openapi::api::apps::v1::Deployment> =
        Api::namespaced(lab.sandbox.client()?, "default");
    let mut ready = Vec::new();
    for i in 0..3 {
        let d = deployments.get(&format!("web{i}")).await?;
        ready.push(d.status.and_then(|s| s.ready_replicas).unwrap_or(0));
    }
    Ok(ready)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_updates_during_a_rollout_do_not_count_as_changes() -> anyhow::Result<()> {
    let mut config = deploy_support::quick_config();
    config.simulator.tick = Duration::from_millis(10);
    config.simulator.rollout = Duration::from_secs(6);
    let mut lab = Lab::start_with(config).await?;
    // Each request waits longer than the ready count takes to move (every ~60 ms), so every
    // Deployment's status changes between its dry-run and its apply.
    lab.sandbox.faults().set_latency(Duration::from_millis(80));
    let first = lab.deploy(&rolling_fleet("nginx:1.27")).await?;
    assert_eq!(first["state"], "succeeded", "{first}");
    let before = ready_replicas(&lab).await?;

    let again = lab.deploy(&rolling_fleet("nginx:1.27")).await?;
    assert_eq!(again["state"], "succeeded", "{again}");
    let after = ready_replicas(&lab).await?;
    for i in 0..3 {
        assert!(
            before[i] < after[i] && after[i] < 100,
            "the rollout moved during the re-run: {before:?} → {after:?}"
        );
        let node = format!("web{i}");
        assert_eq!(step(&again, &node), "unchanged", "{node}: {again}");
    }

    let changed = lab.deploy(&rolling_fleet("nginx:1.28")).await?;
    assert_eq!(step(&changed, "web0"), "applied", "{changed}");
    for node in ["web1", "web2"] {
        assert_eq!(step(&changed, node), "unchanged", "{node}: {changed}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_removed_from_the_design_is_pruned() -> anyhow::Result<()> {
    let mut lab = Lab::start().await?;
    let mut events = lab.events().await?;
    lab.deploy(&web_stack("nginx:1.27", 1)).await?;
    events
        .until(SETTLE, |e| node_in(e, "pvc", "healthy"))
        .await?;

    let mut design = web_stack("nginx:1.27", 1);
    design["nodes"] = json!(design["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|n| n["id"] != "pvc")
        .cloned()
        .collect::<Vec<_>>());
    design["edges"] = json!(design["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["source"] != "pvc")
        .cloned()
        .collect::<Vec<_>>());
    let run = lab.deploy(&design).await?;
    assert_eq!(run["state"], "succeeded", "{run}");
    let pruned = run["pruned"].as_array().cloned().unwrap_or_default();
    assert_eq!(pruned.len(), 1, "{run}");
    assert_eq!(pruned[0]["object"]["name"], "uploads");
    assert_eq!(pruned[0]["node_id"], "pvc");
    assert_eq!(pruned[0]["error"], "");
    let claims: Api<PersistentVolumeClaim> = Api::namespaced(lab.sandbox.client()?, "default");
    assert!(
        claims.get_opt("uploads").await?.is_none(),
        "gone from the cluster"
    );
    events
        .until(SETTLE, |e| {
            e.event == "node_update" && e.data["node_id"] == "pvc" && e.data["status"].is_null()
        })
        .await?;
    Ok(())
}

/// A ConfigMap in the existing `default` namespace and a Deployment with its Service in `shop`.
fn two_namespaces() -> Value {
    json!({
        "nodes": [
            node("cfg", "configmap", json!({"name": "web-env", "data": {"MODE": "test"}})),
            node("web", "deployment", json!({"name": "web", "namespace": "shop",
                "image": "nginx:1.27"})),
            node("svc", "service", json!({"name": "web", "namespace": "shop",
                "ports": [{"name": "http", "port": 80}]})),
        ],
        "edges": [edge("svc", "web")],
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_namespace_that_does_not_exist_is_created_before_its_objects() -> anyhow::Result<()> {
    let mut lab = Lab::start().await?;
    let run = lab.deploy(&two_namespaces()).await?;
    assert_eq!(run["state"], "succeeded", "{run}");
    assert_eq!(run["namespaces_created"], json!(["shop"]), "{run}");
    for node in ["cfg", "web", "svc"] {
        assert_eq!(step(&run, node), "applied", "{node}: {run}");
    }
    let seen = lab.recorder.seen();
    let created = seen
        .iter()
        .find(|s| s.is_apply() && s.uri.starts_with("/api/v1/namespaces/shop?"))
        .map(|s| s.end);
    let first_in_shop = seen
        .iter()
        .filter(|s| s.is_apply() && s.uri.contains("/namespaces/shop/"))
        .map(|s| s.start)
        .min();
    assert!(
        created.is_some() && created <= first_in_shop,
        "the namespace is created before anything goes into it"
    );
    let namespaces: Api<Namespace> = Api::all(lab.sandbox.client()?);
    let shop = namespaces.get("shop").await?;
    let labels = shop.metadata.labels.unwrap_or_default();
    assert_eq!(
        labels
            .get("app.kubernetes.io/managed-by")
            .map(String::as_str),
        Some("kubeorch")
    );

    let again = lab.deploy(&two_namespaces()).await?;
    assert_eq!(again["state"], "succeeded", "{again}");
    assert_eq!(again["namespaces_created"], json!([]), "{again}");
    for node in ["cfg", "web", "svc"] {
        assert_eq!(step(&again, node), "unchanged", "{node}: {again}");
    }
    let seen = lab.recorder.seen();
    let namespace_reads: Vec<&str> = seen
        .iter()
        .filter(|s| s.method == "GET")
        .map(|s| s.uri.split('?').next().unwrap_or_default())
        .filter(|path| {
            path.strip_prefix("/api/v1/namespaces/")
                .is_some_and(|rest| !rest.contains('/'))
        })
        .collect();
    assert!(
        namespace_reads.is_empty(),
        "the dry-runs tell which namespaces are missing: {namespace_reads:?}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_that_may_not_read_namespaces_deploy_into_existing_ones() -> anyhow::Result<()>
{
    let mut lab = Lab::start().await?;
    lab.recorder.forbid_namespaces();
    let run = lab.deploy(&web_stack("nginx:1.27", 1)).await?;
    assert_eq!(run["state"], "succeeded", "{run}");
    assert_eq!(run["namespaces_created"], json!([]), "{run}");
    for node in ["ing", "svc", "web", "cfg", "pvc"] {
        assert_eq!(step(&run, node), "applied", "{node}: {run}");
    }

    // A namespace that does not exist (and cannot be read) fails its objects, clearly, and
    // nothing is applied.
    lab.recorder.clear();
    let run = lab.deploy(&two_namespaces()).await?;
    assert_eq!(run["state"], "failed", "{run}");
    for node in ["web", "svc"] {
        assert_eq!(step(&run, node), "failed", "{node}: {run}");
        let message = run["nodes"][node]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("namespace") && message.contains("shop"),
            "{node}: {message}"
        );
    }
    assert!(lab.recorder.seen().iter().all(|s| !s.is_apply()));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_failure_beside_a_new_namespace_creates_nothing() -> anyhow::Result<()> {
    let mut lab = Lab::start().await?;
    lab.sandbox.faults().reject_writes("web-env", 422);
    let run = lab.deploy(&two_namespaces()).await?;
    assert_eq!(run["state"], "failed", "{run}");
    assert_eq!(step(&run, "cfg"), "failed", "{run}");
    for node in ["web", "svc"] {
        assert_eq!(step(&run, node), "skipped", "{node}: {run}");
    }
    assert_eq!(run["namespaces_created"], json!([]), "{run}");
    let seen = lab.recorder.seen();
    assert!(
        seen.iter().all(|s| !s.is_apply()),
        "no apply reached the API server"
    );
    let namespaces: Api<Namespace> = Api::all(lab.sandbox.client()?);
    assert!(namespaces.get_opt("shop").await?.is_none());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn objects_whose_kind_and_namespace_left_the_design_are_pruned() -> anyhow::Result<()> {
    let mut lab = Lab::start().await?;
    let first = lab.deploy(&two_namespaces()).await?;
    assert_eq!(first["state"], "succeeded", "{first}");
    lab.recorder.clear();

    let only_config = json!({
        "nodes": [node("cfg", "configmap", json!({"name": "web-env", "data": {"MODE": "test"}}))],
        "edges": [],
    });
    let run = lab.deploy(&only_config).await?;
    assert_eq!(run["state"], "succeeded", "{run}");
    let pruned: Vec<(String, String, String)> = run["pruned"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
            assert_eq!(p["error"], "", "{p}");
            (
                text(&p["object"]["kind"]),
                text(&p["object"]["namespace"]),
                text(&p["node_id"]),
            )
        })
        .collect();
    assert_eq!(
        pruned,
        [
            (
                "Deployment".to_string(),
                "shop".to_string(),
                "web".to_string()
            ),
            ("Service".to_string(), "shop".to_string(), "svc".to_string()),
        ],
        "{run}"
    );
    let services: Api<Service> = Api::namespaced(lab.sandbox.client()?, "shop");
    assert!(
        services.get_opt("web").await?.is_none(),
        "gone from the cluster"
    );
    let lists: Vec<String> = lab
        .recorder
        .seen()
        .iter()
        .filter(|s| {
            s.method == "GET" && s.uri.contains("labelSelector") && !s.uri.contains("watch=")
        })
        .map(|s| s.uri.split('?').next().unwrap_or_default().to_string())
        .collect();
    for list in &lists {
        assert!(
            [
                "/api/v1/namespaces/default/configmaps",
                "/apis/apps/v1/namespaces/shop/deployments",
                "/api/v1/namespaces/shop/services",
            ]
            .contains(&list.as_str()),
            "only where the workflow's objects have been: {lists:?}"
        );
    }
    Ok(())
}

/// The preview of `design` for the lab's workflow: (node, action, changed paths) per object.
async fn preview(
    lab: &mut Lab,
    design: &Value,
) -> anyhow::Result<Vec<(String, String, Vec<String>)>> {
    let body = json!({"id": lab.workflow_id, "nodes": design["nodes"], "edges": design["edges"]});
    let plan = common::expect(
        lab.user.post("/api/workflows/plan", body).await?,
        reqwest::StatusCode::OK,
    )
    .await?;
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    Ok(plan["objects"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            let paths = o["changes"].as_array().into_iter().flatten();
            (
                text(&o["node_id"]),
                text(&o["action"]),
                paths.map(|c| text(&c["path"])).collect(),
            )
        })
        .collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_after_a_deploy_shows_only_what_the_design_changes() -> anyhow::Result<()> {
    let mut lab = Lab::start().await?;
    let run = lab.deploy(&web_stack("nginx:1.27", 2)).await?;
    assert_eq!(run["state"], "succeeded", "{run}");
    for (node, action, changes) in preview(&mut lab, &web_stack("nginx:1.27", 2)).await? {
        assert_eq!(action, "unchanged", "{node}: {changes:?}");
    }
    for (node, action, changes) in preview(&mut lab, &web_stack("nginx:1.27", 3)).await? {
        if node == "web" {
            assert_eq!(action, "update", "{changes:?}");
            assert_eq!(changes, ["spec.replicas"]);
        } else {
            assert_eq!(action, "unchanged", "{node}: {changes:?}");
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_pull_failure_fails_only_its_node() -> anyhow::Result<()> {
    let mut lab = Lab::start().await?;
    let mut events = lab.events().await?;
    let run = lab
        .deploy(&web_stack("registry.test/web:pull-error", 2))
        .await?;
    assert_eq!(run["state"], "succeeded", "the apply itself works: {run}");
    let mut board = Board::default();
    let others = ["cfg", "pvc", "svc", "ing"];
    events
        .watch(&mut board, SETTLE, |b| {
            b.state("web") == "failed" && b.all(&others, "healthy")
        })
        .await?;
    let message = board.nodes["web"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_lowercase();
    assert!(
        message.contains("pull") || message.contains("image"),
        "{message}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_failure_applies_nothing() -> anyhow::Result<()> {
    let mut lab = Lab::start().await?;
    lab.sandbox.faults().reject_writes("web-env", 422);
    let started = Instant::now();
    let run = lab.deploy(&web_stack("nginx:1.27", 1)).await?;
    assert_eq!(run["state"], "failed", "{run}");
    assert_eq!(step(&run, "cfg"), "failed", "{run}");
    assert!(run["nodes"]["cfg"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("dry-run")));
    for node in ["pvc", "web", "svc", "ing"] {
        assert_eq!(step(&run, node), "skipped", "{node}: {run}");
    }
    assert!(
        run["error"]
            .as_str()
            .is_some_and(|e| e.contains("nothing was applied")),
        "{run}"
    );
    let seen = lab.recorder.seen();
    assert!(
        seen.iter().all(|s| !s.is_apply()),
        "no apply reached the API server"
    );
    assert!(started.elapsed() < SETTLE);
    Ok(())
}
