//! The deploy journey against a real cluster: runs when `KUBEORCH_TEST_KUBECONFIG` names a
//! kubeconfig file with inline credentials (e.g. a service-account token), and is skipped (with
//! a note) otherwise. It works in a namespace of its own, `kubeorch-test-<random>`, which it
//! deletes at the end. Without a real cluster the same suite can be pointed at a standalone
//! sandbox (`cargo run -p sandbox --bin kube-sandbox`) to check the test itself.

mod cluster_support;
mod common;
mod deploy_support;

use std::time::Duration;

use common::expect;
use deploy_support::{create_workflow, edge, finished_run, id_of, node, run, Board, Events};
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, DeleteParams};
use reqwest::StatusCode;
use serde_json::{json, Value};

const ALL: [&str; 3] = ["cfg", "web", "svc"];

fn design(namespace: &str, replicas: u32) -> Value {
    json!({
        "nodes": [
            node("cfg", "configmap", json!({"name": "web-env", "namespace": namespace,
                "data": {"GREETING": "hello"}})),
            node("web", "deployment", json!({"name": "web", "namespace": namespace,
                "image": "registry.k8s.io/pause:3.10", "replicas": replicas})),
            node("svc", "service", json!({"name": "web", "namespace": namespace,
                "ports": [{"name": "http", "port": 80}]})),
        ],
        "edges": [edge("cfg", "web"), edge("svc", "web")],
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deploys_watches_and_cleans_up_on_the_cluster_of_kubeorch_test_kubeconfig(
) -> anyhow::Result<()> {
    let Ok(path) = std::env::var("KUBEORCH_TEST_KUBECONFIG") else {
        eprintln!("skipped: set KUBEORCH_TEST_KUBECONFIG to a kubeconfig file to run it");
        return Ok(());
    };
    let kubeconfig = std::fs::read_to_string(&path)?;
    let namespace = format!(
        "kubeorch-test-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let fx = common::start().await?;
    let mut user = fx.server.client();
    user.register("ada@example.com", "correct horse battery")
        .await?;
    let body =
        json!({"name": "real", "credentials": {"type": "kubeconfig", "kubeconfig": kubeconfig}});
    let cluster = expect(
        user.post("/api/clusters/create", body).await?,
        StatusCode::OK,
    )
    .await?;
    anyhow::ensure!(cluster["connection"]["state"] == "connected", "{cluster}");
    let workflow = create_workflow(&mut user, "real", Some(&id_of(&cluster))).await?;
    let mut events = Events::open(&user, &workflow, None).await?;
    let mut board = Board::default();

    let outcome = async {
        let first = run(&mut user, &workflow, &design(&namespace, 1)).await?;
        let first = finished_run(&user, &workflow, &first).await?;
        anyhow::ensure!(first["state"] == "succeeded", "{first}");
        anyhow::ensure!(first["namespaces_created"] == json!([namespace]), "{first}");
        let settle = Duration::from_secs(180);
        events
            .watch(&mut board, settle, |b| b.all(&ALL, "healthy"))
            .await?;
        let again = run(&mut user, &workflow, &design(&namespace, 2)).await?;
        let again = finished_run(&user, &workflow, &again).await?;
        anyhow::ensure!(again["nodes"]["web"]["state"] == "applied", "{again}");
        anyhow::ensure!(again["nodes"]["cfg"]["state"] == "unchanged", "{again}");
        events
            .watch(&mut board, settle, |b| b.all(&ALL, "healthy"))
            .await?;
        let removed = user
            .post("/api/workflows/delete_objects", json!({"id": workflow}))
            .await?;
        let removed = expect(removed, StatusCode::OK).await?;
        anyhow::ensure!(
            removed["objects"].as_array().map(Vec::len) == Some(3),
            "{removed}"
        );
        Ok(())
    }
    .await;

    let config = kube::Config::from_custom_kubeconfig(
        kube::config::Kubeconfig::from_yaml(&std::fs::read_to_string(&path)?)?,
        &Default::default(),
    )
    .await?;
    let namespaces: Api<Namespace> = Api::all(kube::Client::try_from(config)?);
    let _ = namespaces
        .delete(&namespace, &DeleteParams::default())
        .await;
    outcome
}
