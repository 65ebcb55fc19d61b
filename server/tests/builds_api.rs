//! Image builds from Git against real parts: a local `docker-registry` (htpasswd auth), a bare
//! Git repository served over `file://`, and buildah (vfs storage, chroot isolation). A build
//! clones, builds a `FROM scratch` busybox image, pushes it, and the manifest is fetched back by
//! digest; states and logs arrive over SSE in order, a late viewer gets the whole log, and each
//! failure (unknown branch, broken Containerfile, wrong registry password, cancel) is clear and
//! leaves nothing running. Also: registries are write-only and owner-scoped, and a built image
//! can be set on a workflow's Deployment.

mod builds_support;
mod common;

use std::time::Duration;

use builds_support::{
    bare_repo, busybox_image, events, processes_under, tools_present, Event, Registry,
    GOOD_CONTAINERFILE, REGISTRY_PASSWORD, REGISTRY_USER,
};
use common::{expect, expect_error, start_with, Client, Fixture};
use reqwest::StatusCode;
use serde_json::{json, Value};

const BUILD_TIME: Duration = Duration::from_secs(120);

struct Lab {
    fx: Fixture,
    ada: Client,
    registry: Registry,
    registry_id: String,
    repos: tempfile::TempDir,
}

impl Lab {
    async fn start() -> anyhow::Result<Self> {
        let fx = start_with(|c| {
            c.git_allow_file = true;
            c.build_timeout_secs = 300;
        })
        .await?;
        let mut ada = fx.server.client();
        ada.register("ada@example.com", "correct horse battery")
            .await?;
        let registry = Registry::start(true).await?;
        let created = ada
            .post(
                "/api/registries/create",
                json!({"input": {"name": "local", "url": registry.url,
                       "username": REGISTRY_USER, "password": REGISTRY_PASSWORD}}),
            )
            .await?;
        let created = expect(created, StatusCode::OK).await?;
        assert_eq!(created["check"]["state"], "ok", "{created}");
        assert_eq!(
            created["is_default"], true,
            "the first registry is the default"
        );
        let registry_id = text(&created["id"]);
        Ok(Lab {
            fx,
            ada,
            registry,
            registry_id,
            repos: tempfile::tempdir()?,
        })
    }

    fn repo(&self, name: &str, files: &[(&str, Vec<u8>, u32)]) -> anyhow::Result<String> {
        let dir = self.repos.path().join(name);
        std::fs::create_dir_all(&dir)?;
        Ok(format!("file://{}", bare_repo(&dir, files)?.display()))
    }

    async fn start_build(&mut self, body: Value) -> anyhow::Result<Value> {
        let answer = self
            .ada
            .post("/api/builds", json!({"request": body}))
            .await?;
        expect(answer, StatusCode::OK).await
    }

    async fn get(&self, id: &str) -> anyhow::Result<Value> {
        expect(
            self.ada.get(&format!("/api/builds/get?id={id}")).await?,
            StatusCode::OK,
        )
        .await
    }

    fn workspaces(&self) -> std::path::PathBuf {
        self.fx.dir.path().join("builds")
    }

    /// Nothing of the build is left: no process, no workspace.
    fn nothing_left(&self, id: &str) -> anyhow::Result<()> {
        let running = processes_under(&self.workspaces());
        anyhow::ensure!(running.is_empty(), "still running: {running:?}");
        anyhow::ensure!(
            !self.workspaces().join(id).exists(),
            "workspace of {id} left behind"
        );
        Ok(())
    }
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

fn states(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e.event == "progress")
        .map(|e| text(&e.data["state"]))
        .fold(Vec::new(), |mut acc, s| {
            if acc.last() != Some(&s) {
                acc.push(s);
            }
            acc
        })
}

fn log_text(events: &[Event]) -> String {
    events
        .iter()
        .filter(|e| e.event == "log")
        .map(|e| text(&e.data["line"]))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_build_pushes_its_image_and_streams_states_and_logs_in_order() -> anyhow::Result<()> {
    if !tools_present()? {
        return Ok(());
    }
    let mut lab = Lab::start().await?;
    let url = lab.repo("good", &busybox_image(GOOD_CONTAINERFILE)?)?;
    let build = lab
        .start_build(json!({"repo_url": url, "branch": "main", "context": "app",
                            "image": "demo/hello", "tag": "v1"}))
        .await?;
    assert_eq!(build["state"], "pending");
    let id = text(&build["id"]);

    let live = events(&lab.ada, &id, None, BUILD_TIME).await?;
    let ids: Vec<u64> = live.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        (1..=live.len() as u64).collect::<Vec<_>>(),
        "numbered in order"
    );
    assert_eq!(
        states(&live),
        ["pending", "cloning", "building", "pushing", "completed"],
        "{live:?}"
    );
    let last = live
        .last()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no events"))?;
    assert_eq!(last.event, "complete", "{last:?}");
    let log = log_text(&live);
    assert!(log.contains("Checked out commit"), "{log}");
    assert!(log.contains("Plan: Containerfile"), "{log}");
    assert!(
        log.contains("COPY busybox /bin/busybox"),
        "buildah output: {log}"
    );
    let stage_order: Vec<String> = live
        .iter()
        .filter(|e| e.event == "log")
        .map(|e| text(&e.data["stage"]))
        .collect();
    let mut sorted = stage_order.clone();
    sorted.sort_by_key(|s| {
        ["cloning", "building", "pushing"]
            .iter()
            .position(|x| x == s)
    });
    assert_eq!(stage_order, sorted, "log lines follow the stages");

    let done = lab.get(&id).await?;
    assert_eq!(done["state"], "completed");
    let digest = text(&done["digest"]);
    assert!(
        digest.starts_with("sha256:") && digest.len() == 71,
        "{done}"
    );
    let host = lab.registry.url.trim_start_matches("http://");
    assert_eq!(
        text(&done["image_ref"]),
        format!("{host}/demo/hello:v1@{digest}")
    );
    assert_eq!(done["plan"], "Containerfile");
    assert_eq!(done["commit"].as_str().map(str::len), Some(40));
    let stages: Vec<String> = done["stages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| text(&s["stage"]))
        .collect();
    assert_eq!(stages, ["cloning", "building", "pushing"]);
    assert!(done["stages"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|s| s["finished_at"].is_string()));
    let (status, served) = lab.registry.manifest("demo/hello", &digest).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        served, digest,
        "the registry serves the manifest under the build's digest"
    );

    let late = events(&lab.ada, &id, None, Duration::from_secs(10)).await?;
    assert_eq!(late, live, "a late viewer gets every event, from the store");
    let resumed = events(&lab.ada, &id, Some(3), Duration::from_secs(10)).await?;
    assert_eq!(
        resumed,
        live[3..].to_vec(),
        "Last-Event-ID resumes after that event"
    );

    let everything = serde_json::to_string(&live)?;
    assert!(
        !everything.contains(REGISTRY_PASSWORD),
        "no password in the events"
    );
    let listed = expect(lab.ada.get("/api/builds/list").await?, StatusCode::OK).await?;
    assert_eq!(listed[0]["id"], json!(id));
    lab.nothing_left(&id)?;
    lab.fx.server.stop().await
}

async fn failed_build(lab: &mut Lab, body: Value) -> anyhow::Result<(Value, Vec<Event>)> {
    let build = lab.start_build(body).await?;
    let id = text(&build["id"]);
    let seen = events(&lab.ada, &id, None, BUILD_TIME).await?;
    let done = lab.get(&id).await?;
    lab.nothing_left(&id)?;
    Ok((done, seen))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_name_their_stage_and_leave_nothing_running() -> anyhow::Result<()> {
    if !tools_present()? {
        return Ok(());
    }
    let mut lab = Lab::start().await?;
    let good = lab.repo("good", &busybox_image(GOOD_CONTAINERFILE)?)?;

    let (done, seen) = failed_build(
        &mut lab,
        json!({"repo_url": good, "branch": "nope", "context": "app", "image": "demo/x"}),
    )
    .await?;
    assert_eq!(
        (&done["state"], &done["error_stage"]),
        (&json!("failed"), &json!("cloning"))
    );
    let error = text(&done["error"]);
    assert!(
        error.contains("Remote branch nope not found"),
        "git's message: {error}"
    );
    assert_eq!(seen.last().map(|e| e.event.as_str()), Some("failed"));

    let broken = lab.repo(
        "broken",
        &busybox_image("FROM scratch\nCOPY no-such-file /x\n")?,
    )?;
    let (done, seen) = failed_build(
        &mut lab,
        json!({"repo_url": broken, "context": "app", "image": "demo/x"}),
    )
    .await?;
    assert_eq!(
        (&done["state"], &done["error_stage"]),
        (&json!("failed"), &json!("building"))
    );
    let error = text(&done["error"]);
    assert!(
        error.contains("buildah bud failed") && error.contains("no-such-file"),
        "{error}"
    );
    assert!(
        log_text(&seen).contains("no-such-file"),
        "the builder's output is in the log"
    );

    let wrong = expect(
        lab.ada
            .post(
                "/api/registries/create",
                json!({"input": {"name": "wrong", "url": lab.registry.url,
                       "username": REGISTRY_USER, "password": "not-the-password"}}),
            )
            .await?,
        StatusCode::OK,
    )
    .await?;
    assert_eq!(wrong["check"]["state"], "error", "{wrong}");
    assert_eq!(wrong["is_default"], false);
    let (done, seen) = failed_build(
        &mut lab,
        json!({"repo_url": good, "context": "app", "image": "demo/x",
               "registry_id": wrong["id"]}),
    )
    .await?;
    assert_eq!(
        (&done["state"], &done["error_stage"]),
        (&json!("failed"), &json!("pushing"))
    );
    let error = text(&done["error"]);
    assert!(
        error.contains("buildah push failed") && error.contains("authentication required"),
        "{error}"
    );
    assert!(!serde_json::to_string(&seen)?.contains("not-the-password"));

    let (done, _) = failed_build(
        &mut lab,
        json!({"repo_url": good, "context": "missing", "image": "demo/x"}),
    )
    .await?;
    assert_eq!(done["error_stage"], "building");
    assert!(
        text(&done["error"]).contains("'missing' does not exist"),
        "{done}"
    );
    lab.fx.server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_stops_the_build_and_its_tools() -> anyhow::Result<()> {
    if !tools_present()? {
        return Ok(());
    }
    let mut lab = Lab::start().await?;
    let slow = lab.repo(
        "slow",
        &busybox_image(
            "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"sleep\", \"120\"]\n",
        )?,
    )?;
    let build = lab
        .start_build(json!({"repo_url": slow, "context": "app", "image": "demo/slow"}))
        .await?;
    let id = text(&build["id"]);
    let mut running = false;
    for _ in 0..600 {
        let seen = lab.get(&id).await?;
        if seen["state"] == "building" && !processes_under(&lab.workspaces()).is_empty() {
            running = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(running, "the build reached its RUN step");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let cancelled = expect(
        lab.ada
            .post("/api/builds/cancel", json!({"id": id}))
            .await?,
        StatusCode::OK,
    )
    .await?;
    assert_eq!(cancelled["state"], "cancelled", "{cancelled}");
    assert_eq!(cancelled["error_stage"], "building");
    lab.nothing_left(&id)?;
    let seen = events(&lab.ada, &id, None, Duration::from_secs(10)).await?;
    assert_eq!(
        seen.last()
            .map(|e| (e.event.as_str(), text(&e.data["state"]))),
        Some(("failed", "cancelled".into()))
    );
    let again = expect(
        lab.ada
            .post("/api/builds/cancel", json!({"id": id}))
            .await?,
        StatusCode::OK,
    )
    .await?;
    assert_eq!(
        again["state"], "cancelled",
        "cancelling a finished build changes nothing"
    );
    lab.fx.server.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registries_and_builds_are_owner_scoped_and_images_land_on_deployments(
) -> anyhow::Result<()> {
    if !tools_present()? {
        return Ok(());
    }
    let mut lab = Lab::start().await?;
    let listed = expect(lab.ada.get("/api/registries/list").await?, StatusCode::OK).await?;
    let listed_text = listed.to_string();
    assert!(
        !listed_text.contains(REGISTRY_PASSWORD) && listed_text.contains("\"has_password\":true")
    );
    let url = lab.repo("good", &busybox_image(GOOD_CONTAINERFILE)?)?;
    let build = lab
        .start_build(json!({"repo_url": url, "context": "app", "image": "demo/web", "tag": "1"}))
        .await?;
    let id = text(&build["id"]);
    events(&lab.ada, &id, None, BUILD_TIME).await?;
    let image = text(&lab.get(&id).await?["image_ref"]);

    let workflow = expect(
        lab.ada
            .post("/api/workflows/create", json!({"name": "shop"}))
            .await?,
        StatusCode::OK,
    )
    .await?;
    let wid = text(&workflow["id"]);
    let nodes = json!([
        {"id": "web", "kind": "deployment", "position": {"x": 0, "y": 0},
         "data": {"name": "web", "image": "nginx:1.27"}},
        {"id": "svc", "kind": "service", "position": {"x": 300, "y": 0},
         "data": {"name": "web", "ports": [{"port": 80}]}}
    ]);
    let saved = lab
        .ada
        .post(
            "/api/workflows/save",
            json!({"id": wid, "nodes": nodes, "edges": [], "create_version": true}),
        )
        .await?;
    expect(saved, StatusCode::OK).await?;

    let mut bob = lab.fx.server.client();
    bob.register("bob@example.com", "correct horse battery")
        .await?;
    let rid = lab.registry_id.clone();
    for (path, body) in [
        ("/api/registries/test", json!({"id": rid})),
        ("/api/registries/set_default", json!({"id": rid})),
        ("/api/registries/delete", json!({"id": rid})),
        ("/api/builds/cancel", json!({"id": id})),
        (
            "/api/builds",
            json!({"request": {"repo_url": url, "image": "x", "registry_id": rid}}),
        ),
        (
            "/api/builds/set_image",
            json!({"build_id": id, "workflow_id": wid, "node_ids": ["web"]}),
        ),
    ] {
        expect_error(
            bob.post(path, body).await?,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await?;
    }
    assert_eq!(
        bob.get(&format!("/api/builds/get?id={id}")).await?.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        bob.get(&format!("/api/builds/{id}/events")).await?.status(),
        StatusCode::NOT_FOUND
    );
    let anonymous = lab.fx.server.client();
    assert_eq!(
        anonymous
            .get(&format!("/api/builds/{id}/events"))
            .await?
            .status(),
        StatusCode::UNAUTHORIZED
    );

    let set_image = |node: &str| json!({"build_id": id, "workflow_id": wid, "node_ids": [node]});
    let not_workload = lab
        .ada
        .post("/api/builds/set_image", set_image("svc"))
        .await?;
    expect_error(not_workload, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await?;
    let applied = lab
        .ada
        .post("/api/builds/set_image", set_image("web"))
        .await?;
    let applied = expect(applied, StatusCode::OK).await?;
    assert_eq!(applied["version"], 2);
    let stored = expect(
        lab.ada.get(&format!("/api/workflows/get?id={wid}")).await?,
        StatusCode::OK,
    )
    .await?;
    assert_eq!(stored["nodes"][0]["data"]["image"], json!(image));
    assert_eq!(
        stored["nodes"][0]["data"]["name"], "web",
        "other settings kept"
    );

    // A workflow one byte short of the size limit once the image is set: refused, nothing saved.
    let limit = 4 * 1024 * 1024;
    let graph_bytes = |w: &Value| serde_json::to_vec(&(&w["nodes"], &w["edges"])).map(|v| v.len());
    let padded = |pad: usize| {
        json!({"id": wid, "create_version": true, "edges": [], "nodes": [
            {"id": "web", "kind": "deployment", "position": {"x": 0, "y": 0},
             "data": {"name": "web", "image": "nginx:1.27", "notes": "x".repeat(pad)}}
        ]})
    };
    let get = format!("/api/workflows/get?id={wid}");
    expect(
        lab.ada.post("/api/workflows/save", padded(10)).await?,
        StatusCode::OK,
    )
    .await?;
    let base = graph_bytes(&expect(lab.ada.get(&get).await?, StatusCode::OK).await?)?;
    let grows = image.len() - "nginx:1.27".len();
    let pad = 10 + limit - base - grows + 1;
    expect(
        lab.ada.post("/api/workflows/save", padded(pad)).await?,
        StatusCode::OK,
    )
    .await?;
    let before = expect(lab.ada.get(&get).await?, StatusCode::OK).await?;
    assert_eq!(graph_bytes(&before)? + grows, limit + 1);
    let too_big = lab
        .ada
        .post("/api/builds/set_image", set_image("web"))
        .await?;
    expect_error(too_big, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await?;
    let after = expect(lab.ada.get(&get).await?, StatusCode::OK).await?;
    assert_eq!(after["nodes"][0]["data"]["image"], "nginx:1.27");
    assert_eq!(after["current_version"], before["current_version"]);

    let bad = lab
        .ada
        .post(
            "/api/builds",
            json!({"request": {"repo_url": "http://x/a.git", "image": "x"}}),
        )
        .await?;
    expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await?;
    lab.fx.server.stop().await
}
