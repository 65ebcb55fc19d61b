//! Registries, builds and build events.

use anyhow::ensure;
use chrono::Duration;
use server::store::builds::default_registry;
use server::store::records::now;
use server::store::{BuildEventRecord, BuildRecord, DynStore, RegistryRecord, StoreError};

use app::model::build::{Build, BuildState, RegistryCheck, StageTiming};

fn registry(owner: &str, name: &str) -> RegistryRecord {
    let at = now();
    RegistryRecord {
        id: uuid::Uuid::now_v7().to_string(),
        owner_id: owner.to_string(),
        name: name.to_string(),
        url: "https://registry.example.com".into(),
        username: Some("bot".into()),
        password: vec![9, 0, 255, 3],
        default_at: None,
        check: RegistryCheck::default(),
        created_at: at,
        updated_at: at,
    }
}

fn build(offset_ms: i64, state: BuildState) -> Build {
    let at = now() + Duration::milliseconds(offset_ms);
    Build {
        id: uuid::Uuid::now_v7().to_string(),
        repo_url: "https://git.example.com/a.git".into(),
        branch: "main".into(),
        context: ".".into(),
        image: "team/web".into(),
        tag: "1".into(),
        registry_id: "r1".into(),
        registry_name: "lab".into(),
        workflow_id: None,
        state,
        plan: Some("Containerfile".into()),
        commit: None,
        stages: vec![StageTiming {
            stage: BuildState::Cloning,
            started_at: at,
            finished_at: None,
        }],
        error_stage: None,
        error: None,
        image_ref: None,
        digest: None,
        created_at: at,
        finished_at: None,
    }
}

/// Registries round-trip exactly, are scoped by owner, names are unique per owner, and the one
/// made default last is the default.
pub async fn registries_round_trip_scoped_with_one_default(store: &DynStore) -> anyhow::Result<()> {
    let mut lab = registry("ann", "lab");
    store.insert_registry(&lab).await?;
    ensure!(store.registry("ann", &lab.id).await? == Some(lab.clone()));
    ensure!(store.registry("bob", &lab.id).await?.is_none());
    ensure!(matches!(
        store.insert_registry(&registry("ann", "lab")).await,
        Err(StoreError::NameTaken)
    ));
    store.insert_registry(&registry("bob", "lab")).await?;
    let mut hub = registry("ann", "hub");
    hub.username = None;
    hub.password = Vec::new();
    store.insert_registry(&hub).await?;
    let names: Vec<String> = store
        .list_registries("ann")
        .await?
        .into_iter()
        .map(|r| r.name)
        .collect();
    ensure!(names == ["hub", "lab"], "{names:?}");

    lab.default_at = Some(now());
    lab.check.state = "ok".into();
    ensure!(store.update_registry(&lab).await?);
    hub.default_at = Some(now() + Duration::milliseconds(5));
    ensure!(store.update_registry(&hub).await?);
    let all = store.list_registries("ann").await?;
    ensure!(default_registry(&all).map(|r| r.id.clone()) == Some(hub.id.clone()));
    ensure!(store.registry("ann", &lab.id).await?.map(|r| r.check.state) == Some("ok".into()));
    let mut foreign = lab.clone();
    foreign.owner_id = "bob".into();
    ensure!(
        !store.update_registry(&foreign).await?,
        "cannot replace another owner's registry"
    );
    ensure!(!store.delete_registry("bob", &lab.id).await?);
    ensure!(store.delete_registry("ann", &lab.id).await?);
    ensure!(store.registry("ann", &lab.id).await?.is_none());
    Ok(())
}

/// Builds round-trip, list newest first per owner, and their events come back in order after
/// any position; unfinished builds are interrupted.
pub async fn builds_and_their_events_round_trip_scoped(store: &DynStore) -> anyhow::Result<()> {
    let old = build(-1000, BuildState::Completed);
    let mut new = build(0, BuildState::Building);
    for b in [&old, &new] {
        store
            .insert_build(&BuildRecord {
                owner_id: "ann".into(),
                build: b.clone(),
            })
            .await?;
    }
    store
        .insert_build(&BuildRecord {
            owner_id: "bob".into(),
            build: build(5, BuildState::Pending),
        })
        .await?;
    ensure!(store.build("ann", &new.id).await? == Some(new.clone()));
    ensure!(store.build("bob", &new.id).await?.is_none());
    let ids: Vec<String> = store
        .builds("ann", 10)
        .await?
        .into_iter()
        .map(|b| b.id)
        .collect();
    ensure!(ids == [new.id.clone(), old.id.clone()], "{ids:?}");
    ensure!(store.builds("ann", 1).await?.len() == 1);

    new.state = BuildState::Pushing;
    ensure!(
        store
            .update_build(&BuildRecord {
                owner_id: "ann".into(),
                build: new.clone()
            })
            .await?
    );
    ensure!(
        !store
            .update_build(&BuildRecord {
                owner_id: "bob".into(),
                build: new.clone()
            })
            .await?
    );
    ensure!(store.build("ann", &new.id).await?.map(|b| b.state) == Some(BuildState::Pushing));

    let events: Vec<BuildEventRecord> = (1..=5)
        .map(|seq| BuildEventRecord {
            seq,
            event: if seq == 5 {
                "complete".into()
            } else {
                "log".into()
            },
            data: format!("{{\"n\":{seq}}}"),
        })
        .collect();
    store.append_build_events(&new.id, &events[..2]).await?;
    store.append_build_events(&new.id, &events[2..]).await?;
    store.append_build_events(&old.id, &events[..1]).await?;
    ensure!(store.build_events(&new.id, 0).await? == events);
    ensure!(store.build_events(&new.id, 3).await? == events[3..]);
    ensure!(store.build_events(&new.id, 5).await?.is_empty());

    let interrupted = store
        .interrupt_unfinished_builds(now(), "restarted")
        .await?;
    ensure!(
        interrupted == 2,
        "ann's pushing build and bob's pending one: {interrupted}"
    );
    let after = store
        .build("ann", &new.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("gone"))?;
    ensure!(after.state == BuildState::Failed && after.error_stage == Some(BuildState::Pushing));
    ensure!(after.error.as_deref() == Some("restarted") && after.finished_at.is_some());
    ensure!(store.build("ann", &old.id).await?.map(|b| b.state) == Some(BuildState::Completed));
    Ok(())
}
