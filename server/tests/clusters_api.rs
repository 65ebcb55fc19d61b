//! Clusters over the HTTP API: registration by kubeconfig and by URL + token against real HTTP
//! API servers (the sandbox, a token-checking stand-in), refusals, write-only encrypted
//! credentials, ownership (404), the built-in Sandbox.

mod cluster_support;
mod common;

use cluster_support::{exec_kubeconfig, kubeconfig_credentials, kubeconfig_for, TokenServer};
use common::{expect, expect_error, start, Client};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn signed_in(fx: &common::Fixture, email: &str) -> anyhow::Result<Client> {
    let mut client = fx.server.client();
    client.register(email, "correct horse battery").await?;
    Ok(client)
}

async fn create(
    client: &mut Client,
    name: &str,
    credentials: Value,
) -> anyhow::Result<reqwest::Response> {
    client
        .post(
            "/api/clusters/create",
            json!({"name": name, "credentials": credentials}),
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubeconfig_cluster_connects_and_reports_version_and_namespaces() -> anyhow::Result<()> {
    let sandbox = sandbox::Sandbox::start("127.0.0.1:0".parse()?).await?;
    let fx = start().await?;
    let mut ada = signed_in(&fx, "ada@example.com").await?;
    let created = create(
        &mut ada,
        "lab",
        kubeconfig_credentials(&kubeconfig_for(&sandbox.url())),
    )
    .await?;
    let cluster = expect(created, StatusCode::OK).await?;
    assert_eq!(cluster["auth"], "kubeconfig");
    assert_eq!(cluster["context"], "sandbox");
    assert_eq!(cluster["connection"]["state"], "connected", "{cluster}");
    assert!(cluster["connection"]["server_version"]
        .as_str()
        .is_some_and(|v| !v.is_empty()));
    let namespaces = cluster["connection"]["namespaces"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(namespaces.contains(&json!("default")), "{namespaces:?}");
    assert!(cluster.get("credentials").is_none());

    sandbox.faults().set_outage(true);
    let id = cluster["id"].as_str().unwrap_or_default();
    let tested = expect(
        ada.post("/api/clusters/test", json!({"id": id})).await?,
        StatusCode::OK,
    )
    .await?;
    assert_eq!(tested["connection"]["state"], "error");
    assert!(tested["connection"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    sandbox.faults().set_outage(false);

    let list = expect(ada.get("/api/clusters/list").await?, StatusCode::OK).await?;
    let names: Vec<&str> = list
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert!(names.contains(&"lab"));
    assert!(
        names.iter().any(|n| n.starts_with("Sandbox")),
        "built-in Sandbox listed: {names:?}"
    );
    let duplicate = create(
        &mut ada,
        "lab",
        kubeconfig_credentials(&kubeconfig_for(&sandbox.url())),
    )
    .await?;
    expect_error(duplicate, StatusCode::CONFLICT, "conflict").await?;
    fx.server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn built_in_sandbox_connects_and_cannot_be_removed() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut ada = signed_in(&fx, "ada@example.com").await?;
    let list = expect(ada.get("/api/clusters/list").await?, StatusCode::OK).await?;
    let sandbox = list
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["auth"] == "sandbox")
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no sandbox in {list}"))?;
    let id = sandbox["id"].as_str().unwrap_or_default().to_string();
    let tested = expect(
        ada.post("/api/clusters/test", json!({"id": id})).await?,
        StatusCode::OK,
    )
    .await?;
    assert_eq!(tested["connection"]["state"], "connected", "{tested}");
    let again = expect(ada.get("/api/clusters/list").await?, StatusCode::OK).await?;
    assert_eq!(
        again.as_array().map(Vec::len),
        list.as_array().map(Vec::len),
        "registered once"
    );
    expect_error(
        ada.post("/api/clusters/delete", json!({"id": id})).await?,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await?;
    fx.server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubeconfigs_that_run_programs_or_read_files_are_refused() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut ada = signed_in(&fx, "ada@example.com").await?;
    let server = "https://203.0.113.10:6443";
    let refused = create(
        &mut ada,
        "cloud",
        kubeconfig_credentials(&exec_kubeconfig(server)),
    )
    .await?;
    let body = expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await?;
    assert!(
        body["message"].as_str().is_some_and(|m| m.contains("exec")),
        "{body}"
    );
    assert!(
        !std::path::Path::new("/tmp/kubeorch-pwned").exists(),
        "nothing ran"
    );
    for (user, field) in [
        ("{tokenFile: /var/run/token}", "tokenFile"),
        ("{auth-provider: {name: oidc, config: {}}}", "auth-provider"),
        (
            "{client-certificate: /etc/c.pem, client-key: /etc/k.pem}",
            "client-certificate",
        ),
    ] {
        let text = kubeconfig_for(server).replace("user: {}", &format!("user: {user}"));
        let refused = create(&mut ada, "cloud", kubeconfig_credentials(&text)).await?;
        let body = expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await?;
        assert!(
            body["message"].as_str().is_some_and(|m| m.contains(field)),
            "{field}: {body}"
        );
    }
    let contexts = ada
        .post(
            "/api/clusters/contexts",
            json!({"kubeconfig": exec_kubeconfig(server)}),
        )
        .await?;
    let contexts = expect(contexts, StatusCode::OK).await?;
    assert_eq!(contexts[0]["name"], "cloud");
    assert!(contexts[0]["problem"]
        .as_str()
        .is_some_and(|p| p.contains("exec")));
    let list = expect(ada.get("/api/clusters/list").await?, StatusCode::OK).await?;
    assert!(
        list.as_array()
            .into_iter()
            .flatten()
            .all(|c| c["name"] != "cloud"),
        "nothing stored"
    );
    fx.server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_write_only_encrypted_and_kept_when_left_blank() -> anyhow::Result<()> {
    let token = "kubeorch-test-token-7f3a9c";
    let api = TokenServer::start(token).await?;
    let fx = start().await?;
    let mut ada = signed_in(&fx, "ada@example.com").await?;
    let credentials = json!({"type": "token", "server": api.url, "token": token});
    let cluster = expect(create(&mut ada, "prod", credentials).await?, StatusCode::OK).await?;
    assert_eq!(cluster["connection"]["state"], "connected", "{cluster}");
    assert_eq!(cluster["connection"]["server_version"], "v1.35.0-token");
    let id = cluster["id"].as_str().unwrap_or_default().to_string();
    let mut answers = vec![cluster.to_string()];

    let renamed = ada
        .post(
            "/api/clusters/update",
            json!({"id": id, "changes": {"name": "production", "token": ""}}),
        )
        .await?;
    let renamed = expect(renamed, StatusCode::OK).await?;
    assert_eq!(renamed["name"], "production");
    assert_eq!(
        renamed["connection"]["state"], "connected",
        "the stored token was kept"
    );
    answers.push(renamed.to_string());
    let wrong = ada
        .post(
            "/api/clusters/update",
            json!({"id": id, "changes": {"token": "another-token"}}),
        )
        .await?;
    let wrong = expect(wrong, StatusCode::OK).await?;
    assert_eq!(wrong["connection"]["state"], "error", "{wrong}");
    let fixed = ada
        .post(
            "/api/clusters/update",
            json!({"id": id, "changes": {"token": token}}),
        )
        .await?;
    assert_eq!(
        expect(fixed, StatusCode::OK).await?["connection"]["state"],
        "connected"
    );
    answers.push(
        expect(
            ada.get(&format!("/api/clusters/get?id={id}")).await?,
            StatusCode::OK,
        )
        .await?
        .to_string(),
    );
    answers.push(
        expect(ada.get("/api/clusters/list").await?, StatusCode::OK)
            .await?
            .to_string(),
    );
    assert!(
        answers.iter().all(|a| !a.contains(token)),
        "the token is never returned"
    );

    let mut at_rest = Vec::new();
    for entry in std::fs::read_dir(fx.dir.path())? {
        let path = entry?.path();
        if path.to_string_lossy().contains("kubeorch.sqlite3") {
            at_rest.extend(std::fs::read(&path)?);
        }
    }
    assert!(!at_rest.is_empty(), "the store files were read");
    assert!(
        !at_rest.windows(token.len()).any(|w| w == token.as_bytes()),
        "encrypted at rest"
    );

    let plain_http = json!({"type": "token", "server": "http://203.0.113.10:6443", "token": token});
    let refused = create(&mut ada, "insecure", plain_http).await?;
    expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await?;
    fx.server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skipped_tls_verification_is_shown_and_can_be_turned_off() -> anyhow::Result<()> {
    let token = "kubeorch-test-token-51be0d";
    let api = TokenServer::start(token).await?;
    let fx = start().await?;
    let mut ada = signed_in(&fx, "ada@example.com").await?;
    let credentials = json!({"type": "token", "server": api.url, "token": token,
        "insecure_skip_tls_verify": true});
    let cluster = expect(create(&mut ada, "lab", credentials).await?, StatusCode::OK).await?;
    assert_eq!(cluster["insecure_skip_tls_verify"], true, "{cluster}");
    let id = cluster["id"].as_str().unwrap_or_default().to_string();
    let update = |changes: Value| json!({"id": id, "changes": changes});

    let renamed = ada
        .post("/api/clusters/update", update(json!({"name": "lab-2"})))
        .await?;
    let renamed = expect(renamed, StatusCode::OK).await?;
    assert_eq!(renamed["insecure_skip_tls_verify"], true, "kept: {renamed}");
    let verified = ada
        .post(
            "/api/clusters/update",
            update(json!({"insecure_skip_tls_verify": false})),
        )
        .await?;
    let verified = expect(verified, StatusCode::OK).await?;
    assert_eq!(verified["insecure_skip_tls_verify"], false, "{verified}");
    assert_eq!(verified["connection"]["state"], "connected", "{verified}");
    let list = expect(ada.get("/api/clusters/list").await?, StatusCode::OK).await?;
    let shown: Vec<(String, bool)> = list
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let name = c["name"].as_str().unwrap_or_default().to_string();
            (name, c["insecure_skip_tls_verify"] == true)
        })
        .collect();
    assert!(shown.contains(&("lab-2".to_string(), false)), "{list}");
    assert!(shown.iter().all(|(_, insecure)| !insecure), "{list}");
    fx.server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_users_cluster_is_not_found_anywhere() -> anyhow::Result<()> {
    let sandbox = sandbox::Sandbox::start("127.0.0.1:0".parse()?).await?;
    let fx = start().await?;
    let mut ada = signed_in(&fx, "ada@example.com").await?;
    let mut eve = signed_in(&fx, "eve@example.com").await?;
    let cluster = expect(
        create(
            &mut ada,
            "lab",
            kubeconfig_credentials(&kubeconfig_for(&sandbox.url())),
        )
        .await?,
        StatusCode::OK,
    )
    .await?;
    let id = cluster["id"].as_str().unwrap_or_default().to_string();
    expect_error(
        eve.get(&format!("/api/clusters/get?id={id}")).await?,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await?;
    for (path, body) in [
        ("/api/clusters/test", json!({"id": id})),
        (
            "/api/clusters/update",
            json!({"id": id, "changes": {"name": "mine"}}),
        ),
        ("/api/clusters/delete", json!({"id": id})),
        (
            "/api/workflows/create",
            json!({"name": "steal", "cluster_id": id}),
        ),
    ] {
        expect_error(
            eve.post(path, body).await?,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await?;
    }
    let wf = expect(
        eve.post("/api/workflows/create", json!({"name": "mine"}))
            .await?,
        StatusCode::OK,
    )
    .await?;
    let set = eve
        .post(
            "/api/workflows/update",
            json!({"id": wf["id"], "cluster_id": id}),
        )
        .await?;
    expect_error(set, StatusCode::NOT_FOUND, "not_found").await?;
    let own = expect(
        ada.post(
            "/api/workflows/create",
            json!({"name": "shop", "cluster_id": id}),
        )
        .await?,
        StatusCode::OK,
    )
    .await?;
    assert_eq!(own["cluster_id"], json!(id));
    let cleared = ada
        .post(
            "/api/workflows/update",
            json!({"id": own["id"], "cluster_id": ""}),
        )
        .await?;
    assert_eq!(
        expect(cleared, StatusCode::OK).await?["cluster_id"],
        Value::Null
    );
    let still = expect(
        ada.get(&format!("/api/clusters/get?id={id}")).await?,
        StatusCode::OK,
    )
    .await?;
    assert_eq!(still["name"], "lab");
    fx.server.stop().await
}
