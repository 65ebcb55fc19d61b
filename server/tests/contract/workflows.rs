//! Workflows and versions.

use anyhow::{anyhow, ensure};
use chrono::Duration;
use serde_json::json;
use server::store::records::now;
use server::store::{DynStore, GraphSave, VersionDraft, VersionMeta, WorkflowPatch};

use app::model::{Edge, Node, NodeKind, Position, VersionKind, Viewport, Workflow, WorkflowStatus};

pub fn workflow(owner: &str, name: &str) -> Workflow {
    let at = now();
    Workflow {
        id: uuid::Uuid::now_v7().to_string(),
        name: name.to_string(),
        description: format!("about {name}"),
        owner_id: owner.to_string(),
        cluster_id: None,
        status: WorkflowStatus::Draft,
        nodes: vec![],
        edges: vec![],
        viewport: Viewport::default(),
        current_version: 0,
        created_at: at,
        updated_at: at,
    }
}

pub fn node(id: &str, kind: NodeKind, x: f64) -> Node {
    let data = json!({
        "name": id, "replicas": 3, "ratio": 0.5, "labels": {"tier": "web"},
        "ports": [{"port": 80, "protocol": "TCP"}], "enabled": true, "note": null,
    });
    Node {
        id: id.to_string(),
        kind,
        position: Position { x, y: -12.25 },
        data: data.as_object().cloned().unwrap_or_default(),
    }
}

fn edge(source: &str, target: &str) -> Edge {
    Edge {
        id: format!("{source}-{target}"),
        source: source.to_string(),
        target: target.to_string(),
    }
}

pub fn graph_save(nodes: Vec<Node>, edges: Vec<Edge>, version: Option<VersionMeta>) -> GraphSave {
    GraphSave {
        nodes,
        edges,
        viewport: Viewport {
            x: 10.0,
            y: -20.5,
            zoom: 1.25,
        },
        now: now() + Duration::milliseconds(5),
        version,
    }
}

fn patch(name: Option<&str>, description: Option<&str>) -> WorkflowPatch {
    WorkflowPatch {
        name: name.map(str::to_string),
        description: description.map(str::to_string),
        cluster_id: None,
        updated_at: now() + Duration::milliseconds(5),
    }
}

pub async fn workflows_round_trip_exactly(store: &DynStore) -> anyhow::Result<()> {
    let mut wf = workflow("owner", "shop");
    wf.cluster_id = Some("cluster-1".into());
    wf.nodes = vec![
        node("web", NodeKind::Deployment, 1.5),
        node("svc", NodeKind::Service, 300.0),
    ];
    wf.edges = vec![edge("svc", "web")];
    wf.viewport = Viewport {
        x: 3.0,
        y: 4.0,
        zoom: 0.75,
    };
    store.insert_workflow(&wf).await?;
    let read = store.workflow("owner", &wf.id).await?;
    ensure!(read.as_ref() == Some(&wf), "{read:#?}\n!=\n{wf:#?}");
    Ok(())
}

pub async fn workflows_are_scoped_by_owner(store: &DynStore) -> anyhow::Result<()> {
    let wf = workflow("alice", "private");
    store.insert_workflow(&wf).await?;
    ensure!(store.workflow("mallory", &wf.id).await?.is_none());
    ensure!(store.list_workflows("mallory").await?.is_empty());
    ensure!(store
        .update_details("mallory", &wf.id, &patch(Some("mine"), None))
        .await?
        .is_none());
    ensure!(!store.archive_workflow("mallory", &wf.id, now()).await?);
    let save = graph_save(
        vec![],
        vec![],
        Some(VersionMeta::new("mallory", VersionKind::Save, "")),
    );
    ensure!(store.save_graph("mallory", &wf.id, &save).await?.is_none());
    ensure!(
        store.versions(&wf.id).await?.is_empty(),
        "nothing was versioned"
    );
    ensure!(
        store.workflow("alice", &wf.id).await?.as_ref() == Some(&wf),
        "untouched"
    );
    Ok(())
}

pub async fn list_is_newest_first_without_archived(store: &DynStore) -> anyhow::Result<()> {
    let mut ids = vec![];
    for (i, name) in ["one", "two", "three"].iter().enumerate() {
        let mut wf = workflow("owner", name);
        wf.updated_at = now() + Duration::seconds(i as i64);
        wf.nodes = (0..i)
            .map(|n| node(&format!("n{n}"), NodeKind::ConfigMap, 0.0))
            .collect();
        store.insert_workflow(&wf).await?;
        ids.push(wf.id);
    }
    store
        .insert_workflow(&workflow("someone-else", "theirs"))
        .await?;
    ensure!(store.archive_workflow("owner", &ids[1], now()).await?);
    let list = store.list_workflows("owner").await?;
    let names: Vec<_> = list
        .iter()
        .map(|s| (s.name.as_str(), s.node_count))
        .collect();
    ensure!(names == [("three", 2), ("one", 0)], "{names:?}");
    ensure!(list[0].status == WorkflowStatus::Draft && list[0].description == "about three");
    ensure!(
        store.workflow("owner", &ids[1]).await?.is_none(),
        "archived is gone"
    );
    Ok(())
}

pub async fn details_change_one_field_at_a_time(store: &DynStore) -> anyhow::Result<()> {
    let wf = workflow("owner", "before");
    store.insert_workflow(&wf).await?;
    let renamed = store
        .update_details("owner", &wf.id, &patch(Some("after"), None))
        .await?
        .ok_or_else(|| anyhow!("not found"))?;
    ensure!(renamed.name == "after" && renamed.description == wf.description);
    ensure!(renamed.updated_at > wf.updated_at);
    let described = store
        .update_details("owner", &wf.id, &patch(None, Some("")))
        .await?
        .ok_or_else(|| anyhow!("not found"))?;
    ensure!(described.name == "after" && described.description.is_empty());
    ensure!(store.workflow("owner", &wf.id).await?.as_ref() == Some(&described));
    Ok(())
}

pub async fn save_keeps_the_working_copy_and_versions_on_request(
    store: &DynStore,
) -> anyhow::Result<()> {
    let wf = workflow("owner", "site");
    store.insert_workflow(&wf).await?;
    let nodes = vec![
        node("a", NodeKind::Deployment, 0.0),
        node("b", NodeKind::Service, 1.0),
    ];
    let edges = vec![edge("b", "a")];

    let autosave = graph_save(nodes.clone(), edges.clone(), None);
    let saved = store
        .save_graph("owner", &wf.id, &autosave)
        .await?
        .ok_or_else(|| anyhow!("not found"))?;
    ensure!(saved.version.is_none() && saved.workflow.current_version == 0);
    ensure!(saved.workflow.nodes == nodes && saved.workflow.edges == edges);
    ensure!(saved.workflow.viewport == autosave.viewport);
    ensure!(saved.workflow.updated_at == autosave.now);
    ensure!(
        store.versions(&wf.id).await?.is_empty(),
        "autosave makes no version"
    );

    let meta = VersionMeta::new("owner", VersionKind::Save, "first");
    let explicit = graph_save(nodes[..1].to_vec(), vec![], Some(meta));
    let saved = store
        .save_graph("owner", &wf.id, &explicit)
        .await?
        .ok_or_else(|| anyhow!("not found"))?;
    let v1 = saved.version.ok_or_else(|| anyhow!("no version"))?;
    ensure!(v1.number == 1 && saved.workflow.current_version == 1);
    ensure!(v1.nodes == nodes[..1] && v1.edges.is_empty() && v1.message == "first");
    ensure!(v1.kind == VersionKind::Save && v1.author_id == "owner");
    ensure!(store.list_workflows("owner").await?[0].node_count == 1);

    let second = graph_save(
        nodes.clone(),
        edges,
        Some(VersionMeta::new("owner", VersionKind::Save, "")),
    );
    store.save_graph("owner", &wf.id, &second).await?;
    let versions = store.versions(&wf.id).await?;
    let numbers: Vec<_> = versions.iter().map(|v| v.number).collect();
    ensure!(numbers == [2, 1], "{numbers:?}");
    ensure!(store.version(&wf.id, 1).await?.as_ref() == Some(&v1));
    ensure!(store.version(&wf.id, 3).await?.is_none());
    Ok(())
}

pub async fn concurrent_versions_get_consecutive_numbers(store: &DynStore) -> anyhow::Result<()> {
    let wf = workflow("owner", "busy");
    store.insert_workflow(&wf).await?;
    let appends = (0..10).map(|i| {
        let (store, id) = (store.clone(), wf.id.clone());
        tokio::spawn(async move {
            let draft = VersionDraft {
                nodes: vec![node(&format!("n{i}"), NodeKind::Job, 0.0)],
                edges: vec![],
                meta: VersionMeta::new("owner", VersionKind::Deploy, &format!("run {i}")),
                created_at: now(),
            };
            store.append_version("owner", &id, &draft).await
        })
    });
    let mut numbers = vec![];
    for append in futures::future::join_all(appends).await {
        let version = append??.ok_or_else(|| anyhow!("not found"))?;
        numbers.push(version.number);
    }
    numbers.sort_unstable();
    ensure!(numbers == (1..=10).collect::<Vec<u64>>(), "{numbers:?}");
    let current = store
        .workflow("owner", &wf.id)
        .await?
        .map(|w| w.current_version);
    ensure!(current == Some(10), "{current:?}");
    ensure!(store.versions(&wf.id).await?.len() == 10);
    Ok(())
}

pub async fn archived_workflows_cannot_change(store: &DynStore) -> anyhow::Result<()> {
    let wf = workflow("owner", "old");
    store.insert_workflow(&wf).await?;
    ensure!(store.archive_workflow("owner", &wf.id, now()).await?);
    ensure!(
        !store.archive_workflow("owner", &wf.id, now()).await?,
        "only once"
    );
    let save = graph_save(
        vec![],
        vec![],
        Some(VersionMeta::new("owner", VersionKind::Save, "")),
    );
    ensure!(store.save_graph("owner", &wf.id, &save).await?.is_none());
    let draft = VersionDraft {
        nodes: vec![],
        edges: vec![],
        meta: VersionMeta::new("owner", VersionKind::Deploy, ""),
        created_at: now(),
    };
    ensure!(store
        .append_version("owner", &wf.id, &draft)
        .await?
        .is_none());
    ensure!(store
        .update_details("owner", &wf.id, &patch(Some("new"), None))
        .await?
        .is_none());
    Ok(())
}

pub async fn workflow_cluster_and_status_can_change(store: &DynStore) -> anyhow::Result<()> {
    let wf = workflow("owner", "shop");
    store.insert_workflow(&wf).await?;
    let mut set = patch(None, None);
    set.cluster_id = Some(Some("cluster-9".into()));
    let changed = store
        .update_details("owner", &wf.id, &set)
        .await?
        .ok_or_else(|| anyhow!("workflow vanished"))?;
    ensure!(changed.cluster_id.as_deref() == Some("cluster-9"));
    ensure!(changed.name == wf.name, "other fields kept");
    let renamed = store
        .update_details("owner", &wf.id, &patch(Some("renamed"), None))
        .await?
        .ok_or_else(|| anyhow!("workflow vanished"))?;
    ensure!(
        renamed.cluster_id.as_deref() == Some("cluster-9"),
        "kept when not asked"
    );
    let mut clear = patch(None, None);
    clear.cluster_id = Some(None);
    let cleared = store
        .update_details("owner", &wf.id, &clear)
        .await?
        .ok_or_else(|| anyhow!("workflow vanished"))?;
    ensure!(cleared.cluster_id.is_none());

    ensure!(
        store
            .set_workflow_status("owner", &wf.id, WorkflowStatus::Deployed)
            .await?
    );
    ensure!(
        !store
            .set_workflow_status("mallory", &wf.id, WorkflowStatus::Failed)
            .await?
    );
    let stored = store
        .workflow("owner", &wf.id)
        .await?
        .ok_or_else(|| anyhow!("workflow vanished"))?;
    ensure!(stored.status == WorkflowStatus::Deployed);
    ensure!(
        stored.updated_at == cleared.updated_at,
        "status keeps updated_at"
    );
    ensure!(store.archive_workflow("owner", &wf.id, now()).await?);
    ensure!(
        !store
            .set_workflow_status("owner", &wf.id, WorkflowStatus::Deployed)
            .await?,
        "archived stays archived"
    );
    Ok(())
}
