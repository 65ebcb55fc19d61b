//! Version numbers under concurrent saves and restores, over HTTP, on both stores.

use reqwest::StatusCode;
use serde_json::{json, Value};
use server::config::Config;
use server::store::mongo::MongoStore;

use crate::common::{self, expect, Client};
use crate::signed_in;

/// Saves `count` designs at once, each with its own node `n{first + i}` and message; returns
/// the version numbers the answers gave.
async fn concurrent_saves(client: &Client, id: &str, first: u64, count: u64) -> Vec<Value> {
    let saves = (first..first + count).map(|i| {
        let (mut client, id) = (client.clone(), id.to_string());
        tokio::spawn(async move {
            let node = json!({"id": format!("n{i}"), "kind": "service",
                              "position": {"x": i as f64, "y": 0.0},
                              "data": {"name": format!("n{i}"), "ports": [{"port": 80}]}});
            let body = json!({"id": id, "nodes": [node], "edges": [], "message": format!("save {i}"),
                              "create_version": true});
            let response = client.post("/api/workflows/save", body).await?;
            anyhow::Ok(expect(response, StatusCode::OK).await?["version"].clone())
        })
    });
    let mut numbers = vec![];
    for answer in futures::future::join_all(saves).await {
        numbers.push(answer.ok().and_then(Result::ok).unwrap_or(Value::Null));
    }
    numbers
}

/// 20 saves at once (then 10 saves and 10 restores at once) against the store `configure`
/// selects: every version gets its own number and holds its own request's content.
async fn numbers_never_collide(configure: impl FnOnce(&mut Config)) -> anyhow::Result<()> {
    let fx = common::start_with(configure).await?;
    let mut ada = signed_in(&fx, "ada@example.com").await?;
    let created = ada
        .post("/api/workflows/create", json!({"name": "busy"}))
        .await?;
    let id = expect(created, StatusCode::OK).await?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let mut numbers = concurrent_saves(&ada, &id, 1, 20).await;
    let restores = (0..10).map(|_| {
        let (mut client, id) = (ada.clone(), id.clone());
        tokio::spawn(async move {
            let body = json!({"id": id, "number": 1});
            let response = client.post("/api/workflows/versions/restore", body).await?;
            anyhow::Ok(expect(response, StatusCode::OK).await?["version"]["number"].clone())
        })
    });
    let (saved, restored) = tokio::join!(
        concurrent_saves(&ada, &id, 21, 10),
        futures::future::join_all(restores)
    );
    numbers.extend(saved);
    numbers.extend(
        restored
            .into_iter()
            .map(|answer| answer.ok().and_then(Result::ok).unwrap_or(Value::Null)),
    );
    let mut numbers: Vec<u64> = numbers.iter().filter_map(Value::as_u64).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=40).collect::<Vec<u64>>(), "one number each");

    let page = ada
        .get(&format!("/api/workflows/versions?id={id}&limit=100"))
        .await?;
    let page = expect(page, StatusCode::OK).await?;
    assert_eq!(page["total"], 40);
    let v1 = ada
        .get(&format!("/api/workflows/version?id={id}&number=1"))
        .await?;
    let v1 = expect(v1, StatusCode::OK).await?;
    for number in 1..=40 {
        let version = ada
            .get(&format!("/api/workflows/version?id={id}&number={number}"))
            .await?;
        let version = expect(version, StatusCode::OK).await?;
        let nodes = &version["nodes"];
        match version["message"].as_str().unwrap_or_default() {
            "Restored from 1" => assert_eq!(nodes, &v1["nodes"], "version {number}"),
            save => {
                let i = save.trim_start_matches("save ");
                assert_eq!(nodes.as_array().map(Vec::len), Some(1), "version {number}");
                assert_eq!(nodes[0]["id"], format!("n{i}"), "version {number}");
            }
        }
    }
    let workflow = ada.get(&format!("/api/workflows/get?id={id}")).await?;
    assert_eq!(
        expect(workflow, StatusCode::OK).await?["current_version"],
        40
    );
    fx.server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_saves_and_restores_never_share_a_number_embedded() -> anyhow::Result<()> {
    numbers_never_collide(|_| {}).await
}

/// The same against MongoDB when `MONGODB_URI` is set (as `make test` does), in a database of
/// its own that is dropped afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_saves_and_restores_never_share_a_number_mongodb() -> anyhow::Result<()> {
    let Ok(uri) = std::env::var("MONGODB_URI") else {
        anyhow::ensure!(
            std::env::var("KUBEORCH_REQUIRE_MONGO").as_deref() != Ok("1"),
            "KUBEORCH_REQUIRE_MONGO=1 but MONGODB_URI is not set"
        );
        eprintln!("skipped: set MONGODB_URI to run against MongoDB");
        return Ok(());
    };
    let run = uuid::Uuid::new_v4().simple().to_string();
    let db = format!("kt_{}_versions_api", &run[..12]);
    let (config_uri, config_db) = (uri.clone(), db.clone());
    let result = numbers_never_collide(move |config| {
        config.mongodb_uri = config_uri.parse().ok();
        config.db = Some(config_db);
    })
    .await;
    MongoStore::connect(&uri, Some(&db))
        .await?
        .drop_database()
        .await?;
    result
}
