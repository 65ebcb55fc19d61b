//! Workflows over HTTP: the whole life cycle, ownership, validation and limits.

mod common;

use common::{expect, expect_error, start, Client};
use reqwest::StatusCode;
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";

async fn signed_in(fx: &common::Fixture, email: &str) -> anyhow::Result<Client> {
    let mut client = fx.server.client();
    client.register(email, PASSWORD).await?;
    Ok(client)
}

async fn create(client: &mut Client, name: &str) -> anyhow::Result<Value> {
    let response = client
        .post("/api/workflows/create", json!({"name": name}))
        .await?;
    expect(response, StatusCode::OK).await
}

fn graph() -> Value {
    json!({
        "nodes": [
            {"id": "web", "kind": "deployment", "position": {"x": 10, "y": 20},
             "data": {"name": "web", "image": "nginx:1.27", "replicas": 2}},
            {"id": "svc", "kind": "service", "position": {"x": 300, "y": 20},
             "data": {"name": "web", "port": 80}}
        ],
        "edges": [{"id": "e1", "source": "svc", "target": "web"}]
    })
}

fn with(mut body: Value, extra: Value) -> Value {
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    body
}

#[tokio::test]
async fn a_workflow_lives_from_creation_to_deletion() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut ada = signed_in(&fx, "ada@example.com").await?;
    let empty = expect(ada.get("/api/workflows/list").await?, StatusCode::OK).await?;
    assert_eq!(empty, json!([]));

    let created = ada
        .post(
            "/api/workflows/create",
            json!({"name": "  shop  ", "description": "the shop"}),
        )
        .await?;
    let created = expect(created, StatusCode::OK).await?;
    assert_eq!(created["name"], "shop");
    assert_eq!(created["status"], "draft");
    assert_eq!(created["current_version"], 0);
    let id = created["id"].as_str().unwrap_or_default().to_string();
    let second = create(&mut ada, "blog").await?;

    let list = expect(ada.get("/api/workflows/list").await?, StatusCode::OK).await?;
    let names: Vec<_> = list
        .as_array()
        .into_iter()
        .flatten()
        .map(|w| w["name"].clone())
        .collect();
    assert_eq!(names, [json!("blog"), json!("shop")], "newest first");

    let renamed = ada
        .post("/api/workflows/update", json!({"id": id, "name": "store"}))
        .await?;
    let renamed = expect(renamed, StatusCode::OK).await?;
    assert_eq!(
        (renamed["name"].clone(), renamed["description"].clone()),
        (json!("store"), json!("the shop"))
    );

    let save = with(
        graph(),
        json!({"id": id, "create_version": true, "message": "first cut"}),
    );
    let saved = expect(ada.post("/api/workflows/save", save).await?, StatusCode::OK).await?;
    assert_eq!(
        (saved["version"].clone(), saved["current_version"].clone()),
        (json!(1), json!(1))
    );
    let autosave = with(
        graph(),
        json!({"id": id, "viewport": {"x": 5, "y": 6, "zoom": 2}}),
    );
    let saved = expect(
        ada.post("/api/workflows/save", autosave).await?,
        StatusCode::OK,
    )
    .await?;
    assert_eq!(
        (saved["version"].clone(), saved["current_version"].clone()),
        (Value::Null, json!(1))
    );

    let got = expect(
        ada.get(&format!("/api/workflows/get?id={id}")).await?,
        StatusCode::OK,
    )
    .await?;
    assert_eq!(
        got["nodes"],
        graph()["nodes"]
            .clone()
            .as_array()
            .map(|nodes| {
                nodes
                    .iter()
                    .map(|n| {
                        let mut n = n.clone();
                        n["position"]["x"] = json!(n["position"]["x"].as_f64());
                        n["position"]["y"] = json!(n["position"]["y"].as_f64());
                        n
                    })
                    .collect::<Vec<_>>()
            })
            .map(Value::from)
            .unwrap_or_default()
    );
    assert_eq!(got["edges"], graph()["edges"]);
    assert_eq!(got["viewport"], json!({"x": 5.0, "y": 6.0, "zoom": 2.0}));
    let list = expect(ada.get("/api/workflows/list").await?, StatusCode::OK).await?;
    assert_eq!(list[0]["name"], "store");
    assert_eq!(list[0]["node_count"], 2);

    let deleted = ada.post("/api/workflows/delete", json!({"id": id})).await?;
    expect(deleted, StatusCode::OK).await?;
    let list = expect(ada.get("/api/workflows/list").await?, StatusCode::OK).await?;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["id"], second["id"]);
    let gone = ada.get(&format!("/api/workflows/get?id={id}")).await?;
    expect_error(gone, StatusCode::NOT_FOUND, "not_found").await?;
    Ok(())
}

#[tokio::test]
async fn another_users_workflow_is_not_found_for_every_call() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut ada = signed_in(&fx, "ada@example.com").await?;
    let mut eve = signed_in(&fx, "eve@example.com").await?;
    let wf = create(&mut ada, "private").await?;
    let id = wf["id"].clone();

    let get = eve
        .get(&format!(
            "/api/workflows/get?id={}",
            id.as_str().unwrap_or_default()
        ))
        .await?;
    expect_error(get, StatusCode::NOT_FOUND, "not_found").await?;
    let calls = [
        (
            "/api/workflows/update",
            json!({"id": id, "name": "mine now"}),
        ),
        ("/api/workflows/delete", json!({"id": id})),
        (
            "/api/workflows/save",
            with(graph(), json!({"id": id, "create_version": true})),
        ),
    ];
    for (path, body) in calls {
        let response = eve.post(path, body).await?;
        expect_error(response, StatusCode::NOT_FOUND, "not_found").await?;
    }
    let eves = expect(eve.get("/api/workflows/list").await?, StatusCode::OK).await?;
    assert_eq!(eves, json!([]));
    let path = format!("/api/workflows/get?id={}", id.as_str().unwrap_or_default());
    let still = expect(ada.get(&path).await?, StatusCode::OK).await?;
    assert_eq!(still, wf, "untouched");
    Ok(())
}

#[tokio::test]
async fn invalid_workflows_are_refused_with_what_to_fix() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut ada = signed_in(&fx, "ada@example.com").await?;
    for name in ["", "   ", &"x".repeat(101)] {
        let response = ada
            .post("/api/workflows/create", json!({"name": name}))
            .await?;
        expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await?;
    }
    let id = create(&mut ada, "ok").await?["id"].clone();
    let nothing = ada.post("/api/workflows/update", json!({"id": id})).await?;
    expect_error(nothing, StatusCode::BAD_REQUEST, "bad_request").await?;

    let mut duplicate = graph();
    duplicate["nodes"][1]["id"] = json!("web");
    let response = ada
        .post("/api/workflows/save", with(duplicate, json!({"id": id})))
        .await?;
    refused_saying(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        "`web`",
    )
    .await?;

    let mut dangling = graph();
    dangling["edges"][0]["target"] = json!("ghost");
    let response = ada
        .post("/api/workflows/save", with(dangling, json!({"id": id})))
        .await?;
    refused_saying(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        "`ghost`",
    )
    .await?;

    let many: Vec<Value> = (0..2001)
        .map(|i| json!({"id": format!("n{i}"), "kind": "configmap", "position": {"x": 0, "y": 0}, "data": {}}))
        .collect();
    let response = ada
        .post(
            "/api/workflows/save",
            json!({"id": id, "nodes": many, "edges": []}),
        )
        .await?;
    refused_saying(
        response,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "2000",
    )
    .await?;

    // Bodies above axum's 2 MB default reach the workflow's own limit (4 MiB of settings).
    let blob = |bytes: usize| {
        json!({"id": id, "nodes": [{"id": "a", "kind": "configmap",
        "position": {"x": 0, "y": 0}, "data": {"blob": "x".repeat(bytes)}}], "edges": []})
    };
    let response = ada
        .post("/api/workflows/save", blob(3 * 1024 * 1024))
        .await?;
    expect(response, StatusCode::OK).await?;
    let response = ada
        .post("/api/workflows/save", blob(5 * 1024 * 1024))
        .await?;
    refused_saying(
        response,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "the limit is 4096 KiB",
    )
    .await?;

    let huge = json!({"id": id, "nodes": [{"id": "a", "kind": "configmap", "position": {"x": 0, "y": 0},
        "data": {"blob": "x".repeat(9 * 1024 * 1024)}}], "edges": []});
    let response = ada.post("/api/workflows/save", huge).await?;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    Ok(())
}

#[tokio::test]
async fn accounts_workflows_and_sessions_survive_a_restart() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = common::TestServer::start_in(dir.path(), |_| {}).await?;
    let mut ada = server.client();
    ada.register("ada@example.com", PASSWORD).await?;
    let wf = create(&mut ada, "durable").await?;
    let save = with(graph(), json!({"id": wf["id"], "create_version": true}));
    expect(ada.post("/api/workflows/save", save).await?, StatusCode::OK).await?;
    let token = ada.token.clone();
    server.stop().await?;

    let server = common::TestServer::start_in(dir.path(), |_| {}).await?;
    let mut same_session = server.client();
    same_session.token = token;
    let list = expect(
        same_session.get("/api/workflows/list").await?,
        StatusCode::OK,
    )
    .await?;
    assert_eq!(list[0]["name"], "durable");
    assert_eq!(list[0]["node_count"], 2);
    let mut again = server.client();
    expect(
        again.login("ada@example.com", PASSWORD).await?,
        StatusCode::OK,
    )
    .await?;
    server.stop().await?;
    Ok(())
}

/// Expects an error answer with `status` and `code` whose message mentions `needle`.
async fn refused_saying(
    response: reqwest::Response,
    status: StatusCode,
    code: &str,
    needle: &str,
) -> anyhow::Result<()> {
    let body = expect_error(response, status, code).await?;
    let message = body["message"].as_str().unwrap_or_default();
    anyhow::ensure!(message.contains(needle), "expected `{needle}` in {body}");
    Ok(())
}
