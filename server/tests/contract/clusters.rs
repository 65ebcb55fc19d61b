//! Clusters and runs.

use std::collections::BTreeMap;

use anyhow::ensure;
use chrono::Duration;
use server::store::records::now;
use server::store::{ClusterRecord, DynStore, RunRecord, StoreError};

use app::model::{
    ClusterAuth, ClusterConnection, ConnectionState, NodeResult, ObjectRef, Run, RunState,
    StepState,
};

fn cluster(owner: &str, name: &str) -> ClusterRecord {
    let at = now();
    ClusterRecord {
        id: uuid::Uuid::now_v7().to_string(),
        owner_id: owner.to_string(),
        name: name.to_string(),
        server: "https://10.0.0.1:6443".into(),
        auth: ClusterAuth::Token,
        context: None,
        credentials: vec![0, 1, 2, 255, 254, 7],
        connection: ClusterConnection::default(),
        created_at: at,
        updated_at: at,
    }
}

fn run(workflow: &str, offset_ms: i64, state: RunState) -> Run {
    let mut nodes = BTreeMap::new();
    nodes.insert(
        "web".to_string(),
        NodeResult {
            state: StepState::Applying,
            message: String::new(),
            level: 2,
            object: Some(ObjectRef {
                api_version: "apps/v1".into(),
                kind: "Deployment".into(),
                namespace: Some("shop".into()),
                name: "web".into(),
            }),
            duration_ms: Some(12),
        },
    );
    nodes.insert(
        "cfg".to_string(),
        NodeResult {
            state: StepState::Applied,
            level: 1,
            ..Default::default()
        },
    );
    Run {
        id: uuid::Uuid::now_v7().to_string(),
        workflow_id: workflow.to_string(),
        cluster_id: "c1".into(),
        version: 3,
        state,
        phase: "applying".into(),
        error: None,
        nodes,
        namespaces_created: vec!["shop".into()],
        pruned: vec![],
        started_at: now() + Duration::milliseconds(offset_ms),
        finished_at: None,
    }
}

pub async fn clusters_round_trip_and_are_scoped_by_owner(store: &DynStore) -> anyhow::Result<()> {
    let mut a = cluster("ann", "prod");
    a.context = Some("ctx".into());
    a.auth = ClusterAuth::Kubeconfig;
    store.insert_cluster(&a).await?;
    let b = cluster("ann", "dev");
    store.insert_cluster(&b).await?;
    store.insert_cluster(&cluster("bob", "prod")).await?;

    ensure!(store.cluster("ann", &a.id).await? == Some(a.clone()));
    ensure!(
        store.cluster("bob", &a.id).await?.is_none(),
        "scoped by owner"
    );
    let names: Vec<String> = store
        .list_clusters("ann")
        .await?
        .into_iter()
        .map(|c| c.name)
        .collect();
    ensure!(names == ["dev", "prod"], "sorted by name: {names:?}");
    ensure!(store.list_clusters("carl").await?.is_empty());
    ensure!(!store.delete_cluster("bob", &a.id).await?, "not bob's");
    ensure!(store.delete_cluster("ann", &a.id).await?);
    ensure!(store.cluster("ann", &a.id).await?.is_none());
    ensure!(!store.delete_cluster("ann", &a.id).await?);
    Ok(())
}

pub async fn cluster_names_are_unique_per_owner(store: &DynStore) -> anyhow::Result<()> {
    let first = cluster("ann", "prod");
    store.insert_cluster(&first).await?;
    let again = store.insert_cluster(&cluster("ann", "prod")).await;
    ensure!(
        matches!(again, Err(StoreError::NameTaken)),
        "duplicate name: {again:?}"
    );
    store.insert_cluster(&cluster("bob", "prod")).await?;
    let other = cluster("ann", "dev");
    store.insert_cluster(&other).await?;
    let mut renamed = other.clone();
    renamed.name = "prod".into();
    let clash = store.update_cluster(&renamed).await;
    ensure!(
        matches!(clash, Err(StoreError::NameTaken)),
        "rename onto a taken name: {clash:?}"
    );
    Ok(())
}

pub async fn cluster_updates_keep_owner_and_record_connections(
    store: &DynStore,
) -> anyhow::Result<()> {
    let c = cluster("ann", "prod");
    store.insert_cluster(&c).await?;
    let mut changed = c.clone();
    changed.name = "production".into();
    changed.credentials = vec![9; 40];
    changed.updated_at = now() + Duration::milliseconds(5);
    ensure!(store.update_cluster(&changed).await?);
    ensure!(store.cluster("ann", &c.id).await? == Some(changed.clone()));
    let mut stolen = changed.clone();
    stolen.owner_id = "bob".into();
    ensure!(!store.update_cluster(&stolen).await?, "not bob's to update");

    let connection = ClusterConnection {
        state: ConnectionState::Connected,
        server_version: Some("v1.35.0".into()),
        namespaces: vec!["default".into(), "kube-system".into()],
        message: None,
        checked_at: Some(now()),
    };
    ensure!(store.set_connection("ann", &c.id, &connection).await?);
    ensure!(!store.set_connection("bob", &c.id, &connection).await?);
    let stored = store.cluster("ann", &c.id).await?;
    ensure!(stored.map(|s| s.connection) == Some(connection));
    Ok(())
}

pub async fn runs_round_trip_newest_first_and_scoped(store: &DynStore) -> anyhow::Result<()> {
    let older = run("wf", 0, RunState::Succeeded);
    let newer = run("wf", 10, RunState::Running);
    let elsewhere = run("wf2", 20, RunState::Running);
    for r in [&older, &newer, &elsewhere] {
        store
            .insert_run(&RunRecord {
                owner_id: "ann".into(),
                run: r.clone(),
            })
            .await?;
    }
    ensure!(store.run("ann", &newer.id).await? == Some(newer.clone()));
    ensure!(store.run("bob", &newer.id).await?.is_none());
    let ids: Vec<String> = store
        .runs("ann", "wf", 10)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    ensure!(ids == [newer.id.clone(), older.id.clone()], "{ids:?}");
    ensure!(store.runs("ann", "wf", 1).await?.len() == 1);
    ensure!(store.runs("bob", "wf", 10).await?.is_empty());

    let mut finished = newer.clone();
    finished.state = RunState::Partial;
    finished.finished_at = Some(now());
    let record = RunRecord {
        owner_id: "ann".into(),
        run: finished.clone(),
    };
    ensure!(store.update_run(&record).await?);
    ensure!(store.run("ann", &newer.id).await? == Some(finished));
    let foreign = RunRecord {
        owner_id: "bob".into(),
        run: newer.clone(),
    };
    ensure!(!store.update_run(&foreign).await?);
    Ok(())
}

pub async fn unfinished_runs_are_interrupted(store: &DynStore) -> anyhow::Result<()> {
    let running = run("wf", 0, RunState::Running);
    let queued = run("wf", 1, RunState::Queued);
    let done = run("wf", 2, RunState::Succeeded);
    for r in [&running, &queued, &done] {
        store
            .insert_run(&RunRecord {
                owner_id: "ann".into(),
                run: r.clone(),
            })
            .await?;
    }
    let at = now();
    ensure!(store.interrupt_unfinished(at, "server restarted").await? == 2);
    let stopped = store
        .run("ann", &running.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("run vanished"))?;
    ensure!(stopped.state == RunState::Failed);
    ensure!(stopped.error.as_deref() == Some("server restarted"));
    ensure!(stopped.finished_at == Some(at));
    ensure!(stopped.nodes["web"].state == StepState::Skipped);
    ensure!(stopped.nodes["cfg"].state == StepState::Applied, "kept");
    ensure!(store.run("ann", &done.id).await? == Some(done));
    ensure!(store.interrupt_unfinished(at, "again").await? == 0);
    Ok(())
}
