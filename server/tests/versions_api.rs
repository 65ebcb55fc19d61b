//! Versions over HTTP: list, get, compare (both paths), restore, annotate, ownership, errors.

mod common;
#[path = "versions_api/concurrency.rs"]
mod concurrency;

use common::{expect, expect_error, start, Client};
use reqwest::StatusCode;
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";

pub(crate) async fn signed_in(fx: &common::Fixture, email: &str) -> anyhow::Result<Client> {
    let mut client = fx.server.client();
    client.register(email, PASSWORD).await?;
    Ok(client)
}

fn web(replicas: u32, image: &str) -> Value {
    json!({"id": "web", "kind": "deployment", "position": {"x": 10.0, "y": 20.0},
           "data": {"name": "web", "image": image, "replicas": replicas,
                    "env": [{"name": "MODE", "value": "prod"}]}})
}

fn svc(x: f64) -> Value {
    json!({"id": "svc", "kind": "service", "position": {"x": x, "y": 20.0},
           "data": {"name": "web", "ports": [{"port": 80}]}})
}

/// A workflow with three saved versions:
/// v1 web(2, nginx:1.27); v2 + svc and an edge; v3 web's replicas 5 and svc moved.
async fn three_versions(client: &mut Client) -> anyhow::Result<String> {
    let created = client
        .post("/api/workflows/create", json!({"name": "shop"}))
        .await?;
    let id = expect(created, StatusCode::OK).await?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let edge = json!({"id": "e1", "source": "svc", "target": "web"});
    let saves = [
        (json!([web(2, "nginx:1.27")]), json!([]), "first"),
        (
            json!([web(2, "nginx:1.27"), svc(300.0)]),
            json!([edge]),
            "add a service",
        ),
        (
            json!([web(5, "nginx:1.27"), svc(350.0)]),
            json!([edge]),
            "scale up",
        ),
    ];
    for (nodes, edges, message) in saves {
        let body = json!({"id": id, "nodes": nodes, "edges": edges, "message": message,
                          "create_version": true});
        expect(
            client.post("/api/workflows/save", body).await?,
            StatusCode::OK,
        )
        .await?;
    }
    Ok(id)
}

#[tokio::test]
async fn versions_are_listed_in_pages_and_compared_field_by_field() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut ada = signed_in(&fx, "ada@example.com").await?;
    let id = three_versions(&mut ada).await?;

    let page = ada
        .get(&format!("/api/workflows/versions?id={id}&limit=2"))
        .await?;
    let page = expect(page, StatusCode::OK).await?;
    assert_eq!(page["total"], 3);
    assert_eq!(page["next_before"], 2);
    let first = &page["items"][0];
    assert_eq!(
        (
            &first["number"],
            &first["kind"],
            &first["message"],
            &first["author_name"],
            &first["deployed"]
        ),
        (
            &json!(3),
            &json!("save"),
            &json!("scale up"),
            &json!("Tester"),
            &json!(false)
        )
    );
    let older = ada
        .get(&format!("/api/workflows/versions?id={id}&before=2&limit=2"))
        .await?;
    let older = expect(older, StatusCode::OK).await?;
    assert_eq!(older["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(older["next_before"], Value::Null);

    let v2 = ada
        .get(&format!("/api/workflows/version?id={id}&number=2"))
        .await?;
    let v2 = expect(v2, StatusCode::OK).await?;
    assert_eq!(v2["nodes"].as_array().map(Vec::len), Some(2));
    assert_eq!(v2["message"], "add a service");

    let compare = ada
        .get(&format!(
            "/api/workflows/versions/compare?id={id}&from=1&to=3"
        ))
        .await?;
    let compare = expect(compare, StatusCode::OK).await?;
    assert_eq!(
        (compare["from"].clone(), compare["to"].clone()),
        (json!(1), json!(3))
    );
    assert_eq!(compare["nodes"]["added"][0]["id"], "svc");
    assert_eq!(
        compare["nodes"]["modified"],
        json!([{"node_id": "web", "changes": [
            {"path": "data.replicas", "old": 2, "new": 5}
        ]}])
    );
    assert_eq!(compare["edges"]["added"][0]["id"], "e1");
    assert_eq!(
        compare["summary"],
        json!({"added": 1, "removed": 0, "modified": 1, "moved": 0,
               "edges_added": 1, "edges_removed": 0})
    );

    let rest = ada
        .get(&format!("/api/workflows/{id}/versions/compare?from=1&to=3"))
        .await?;
    assert_eq!(
        expect(rest, StatusCode::OK).await?,
        compare,
        "same JSON on both paths"
    );

    let moved = ada
        .get(&format!("/api/workflows/{id}/versions/compare?from=2&to=3"))
        .await?;
    let moved = expect(moved, StatusCode::OK).await?;
    assert_eq!(
        moved["nodes"]["moved"],
        json!([{"node_id": "svc", "from": {"x": 300.0, "y": 20.0}, "to": {"x": 350.0, "y": 20.0}}])
    );
    assert_eq!(
        moved["nodes"]["modified"][0]["node_id"], "web",
        "svc only moved"
    );
    assert_eq!(moved["summary"]["modified"], 1);
    fx.server.stop().await
}

#[tokio::test]
async fn restore_makes_a_new_version_with_the_old_content() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut ada = signed_in(&fx, "ada@example.com").await?;
    let id = three_versions(&mut ada).await?;
    let mut history = vec![];
    for number in 1..=3 {
        let version = ada
            .get(&format!("/api/workflows/version?id={id}&number={number}"))
            .await?;
        history.push(expect(version, StatusCode::OK).await?);
    }

    let restored = ada
        .post(
            "/api/workflows/versions/restore",
            json!({"id": id, "number": 1}),
        )
        .await?;
    let restored = expect(restored, StatusCode::OK).await?;
    let version = &restored["version"];
    assert_eq!(
        (
            &version["number"],
            &version["kind"],
            &version["message"],
            &version["restored_from"]
        ),
        (
            &json!(4),
            &json!("restore"),
            &json!("Restored from 1"),
            &json!(1)
        )
    );
    assert_eq!(restored["workflow"]["current_version"], 4);
    assert_eq!(restored["workflow"]["nodes"], json!([web(2, "nginx:1.27")]));

    let working = ada.get(&format!("/api/workflows/get?id={id}")).await?;
    let working = expect(working, StatusCode::OK).await?;
    assert_eq!(working["nodes"], json!([web(2, "nginx:1.27")]));
    assert_eq!(working["edges"], json!([]));

    let same = ada
        .get(&format!("/api/workflows/{id}/versions/compare?from=4&to=1"))
        .await?;
    let same = expect(same, StatusCode::OK).await?;
    assert_eq!(
        same["summary"],
        json!({"added": 0, "removed": 0, "modified": 0, "moved": 0,
               "edges_added": 0, "edges_removed": 0})
    );
    for (number, before) in (1..=3).zip(&history) {
        let after = ada
            .get(&format!("/api/workflows/version?id={id}&number={number}"))
            .await?;
        assert_eq!(
            &expect(after, StatusCode::OK).await?,
            before,
            "version {number} is never rewritten"
        );
    }

    let missing = ada
        .post(
            "/api/workflows/versions/restore",
            json!({"id": id, "number": 9}),
        )
        .await?;
    expect_error(missing, StatusCode::NOT_FOUND, "not_found").await?;
    fx.server.stop().await
}

#[tokio::test]
async fn messages_and_tags_can_be_edited() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut ada = signed_in(&fx, "ada@example.com").await?;
    let id = three_versions(&mut ada).await?;
    let tagged = ada
        .post(
            "/api/workflows/versions/annotate",
            json!({"id": id, "number": 2, "tag": " v1.0 ", "message": "with a service"}),
        )
        .await?;
    let tagged = expect(tagged, StatusCode::OK).await?;
    assert_eq!(
        (&tagged["tag"], &tagged["message"]),
        (&json!("v1.0"), &json!("with a service"))
    );
    let cleared = ada
        .post(
            "/api/workflows/versions/annotate",
            json!({"id": id, "number": 2, "tag": ""}),
        )
        .await?;
    let cleared = expect(cleared, StatusCode::OK).await?;
    assert_eq!(
        (&cleared["tag"], &cleared["message"]),
        (&Value::Null, &json!("with a service"))
    );

    let nothing = ada
        .post(
            "/api/workflows/versions/annotate",
            json!({"id": id, "number": 2}),
        )
        .await?;
    expect_error(nothing, StatusCode::BAD_REQUEST, "bad_request").await?;
    let long = ada
        .post(
            "/api/workflows/versions/annotate",
            json!({"id": id, "number": 2, "tag": "t".repeat(65)}),
        )
        .await?;
    expect_error(long, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await?;
    fx.server.stop().await
}

#[tokio::test]
async fn another_users_versions_are_not_found_and_bad_input_says_what_to_fix() -> anyhow::Result<()>
{
    let fx = start().await?;
    let mut ada = signed_in(&fx, "ada@example.com").await?;
    let id = three_versions(&mut ada).await?;
    let mut eve = signed_in(&fx, "eve@example.com").await?;

    let gets = [
        format!("/api/workflows/versions?id={id}"),
        format!("/api/workflows/version?id={id}&number=1"),
        format!("/api/workflows/versions/compare?id={id}&from=1&to=2"),
        format!("/api/workflows/{id}/versions/compare?from=1&to=2"),
        format!("/api/workflows/versions/manifests?id={id}&from=1&to=2"),
    ];
    for path in &gets {
        expect_error(eve.get(path).await?, StatusCode::NOT_FOUND, "not_found").await?;
        let anonymous = fx.server.client();
        expect_error(
            anonymous.get(path).await?,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await?;
    }
    let posts = [
        (
            "/api/workflows/versions/restore",
            json!({"id": id, "number": 1}),
        ),
        (
            "/api/workflows/versions/annotate",
            json!({"id": id, "number": 1, "tag": "mine"}),
        ),
    ];
    for (path, body) in posts {
        let response = eve.post(path, body).await?;
        expect_error(response, StatusCode::NOT_FOUND, "not_found").await?;
    }
    let after = ada.get(&format!("/api/workflows/get?id={id}")).await?;
    assert_eq!(
        expect(after, StatusCode::OK).await?["current_version"],
        3,
        "untouched"
    );

    let no_version = ada
        .get(&format!("/api/workflows/{id}/versions/compare?from=1&to=7"))
        .await?;
    let body = expect_error(no_version, StatusCode::NOT_FOUND, "not_found").await?;
    assert!(body["message"]
        .as_str()
        .unwrap_or_default()
        .contains("Version 7"));
    let bad_query = ada
        .get(&format!("/api/workflows/{id}/versions/compare?from=one"))
        .await?;
    expect_error(bad_query, StatusCode::BAD_REQUEST, "bad_request").await?;
    let too_many = ada
        .get(&format!("/api/workflows/versions?id={id}&limit=500"))
        .await?;
    expect_error(too_many, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await?;
    fx.server.stop().await
}

#[tokio::test]
async fn rendered_manifests_are_compared_line_by_line() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut ada = signed_in(&fx, "ada@example.com").await?;
    let id = three_versions(&mut ada).await?;
    let path = |from: u64, to: u64| {
        format!("/api/workflows/versions/manifests?id={id}&from={from}&to={to}")
    };
    let diff = expect(ada.get(&path(1, 3)).await?, StatusCode::OK).await?;
    assert_eq!((&diff["from"], &diff["to"]), (&json!(1), &json!(3)));
    let changed: Vec<(String, String)> = diff["hunks"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|hunk| hunk["lines"].as_array().cloned().unwrap_or_default())
        .filter(|line| line["change"] != "same")
        .map(|line| {
            let text = line["text"].as_str().unwrap_or_default().trim().to_string();
            (
                line["change"].as_str().unwrap_or_default().to_string(),
                text,
            )
        })
        .collect();
    let has = |change: &str, text: &str| changed.contains(&(change.to_string(), text.to_string()));
    assert!(has("removed", "replicas: 2"), "{changed:?}");
    assert!(has("added", "replicas: 5"), "{changed:?}");
    assert!(
        !has("removed", "image: nginx:1.27"),
        "unchanged lines are context"
    );

    let same = expect(ada.get(&path(3, 3)).await?, StatusCode::OK).await?;
    assert_eq!(same["hunks"], json!([]));
    let missing = ada.get(&path(1, 8)).await?;
    expect_error(missing, StatusCode::NOT_FOUND, "not_found").await?;
    fx.server.stop().await
}
