//! Version lists, annotations, ownership checks and concurrent saves.

use anyhow::{anyhow, ensure};
use server::store::records::now;
use server::store::{DynStore, VersionAnnotation, VersionMeta};

use app::model::{NodeKind, VersionKind};

use super::workflows::{graph_save, node, workflow};

/// A workflow of `owner` with `count` saved versions (version `n` holds node `n{n}`).
async fn with_versions(store: &DynStore, owner: &str, count: u64) -> anyhow::Result<String> {
    let wf = workflow(owner, "history");
    store.insert_workflow(&wf).await?;
    for n in 1..=count {
        let meta = VersionMeta::new(owner, VersionKind::Save, &format!("save {n}"));
        let nodes = vec![node(&format!("n{n}"), NodeKind::Deployment, n as f64)];
        store
            .save_graph(owner, &wf.id, &graph_save(nodes, vec![], Some(meta)))
            .await?
            .ok_or_else(|| anyhow!("not found"))?;
    }
    Ok(wf.id)
}

pub async fn version_pages_are_newest_first_without_content(
    store: &DynStore,
) -> anyhow::Result<()> {
    let id = with_versions(store, "owner", 5).await?;
    let numbers = |items: &[app::model::VersionInfo]| -> Vec<u64> {
        items.iter().map(|v| v.number).collect()
    };
    let first = store.version_page(&id, None, 2).await?;
    ensure!(first.total == 5, "{}", first.total);
    ensure!(numbers(&first.items) == [5, 4], "{:?}", first.items);
    let second = store.version_page(&id, Some(4), 2).await?;
    ensure!(numbers(&second.items) == [3, 2] && second.total == 5);
    let last = store.version_page(&id, Some(2), 10).await?;
    ensure!(numbers(&last.items) == [1]);
    ensure!(store.version_page(&id, Some(1), 10).await?.items.is_empty());

    let full = store
        .version(&id, 3)
        .await?
        .ok_or_else(|| anyhow!("no v3"))?;
    ensure!(
        second.items[0] == full.info(),
        "{:?} != {:?}",
        second.items[0],
        full.info()
    );
    ensure!(full.info().message == "save 3" && full.info().author_id == "owner");
    let none = store.version_page("no-such-workflow", None, 10).await?;
    ensure!(none.items.is_empty() && none.total == 0);
    Ok(())
}

pub async fn annotations_change_message_and_tag_only(store: &DynStore) -> anyhow::Result<()> {
    let id = with_versions(store, "owner", 2).await?;
    let before = store
        .version(&id, 1)
        .await?
        .ok_or_else(|| anyhow!("no v1"))?;
    let tagged = store
        .annotate_version(
            &id,
            1,
            &VersionAnnotation {
                message: None,
                tag: Some(Some("v1.0".into())),
            },
        )
        .await?
        .ok_or_else(|| anyhow!("not found"))?;
    ensure!(tagged.tag.as_deref() == Some("v1.0") && tagged.message == "save 1");
    let reworded = store
        .annotate_version(
            &id,
            1,
            &VersionAnnotation {
                message: Some("first shop".into()),
                tag: None,
            },
        )
        .await?
        .ok_or_else(|| anyhow!("not found"))?;
    ensure!(reworded.tag.as_deref() == Some("v1.0") && reworded.message == "first shop");
    let untagged = store
        .annotate_version(
            &id,
            1,
            &VersionAnnotation {
                message: None,
                tag: Some(None),
            },
        )
        .await?
        .ok_or_else(|| anyhow!("not found"))?;
    ensure!(untagged.tag.is_none() && untagged.message == "first shop");

    let after = store
        .version(&id, 1)
        .await?
        .ok_or_else(|| anyhow!("no v1"))?;
    ensure!(after.nodes == before.nodes && after.created_at == before.created_at);
    ensure!(after.info() == untagged);
    let other = store
        .version(&id, 2)
        .await?
        .ok_or_else(|| anyhow!("no v2"))?;
    ensure!(
        other.message == "save 2" && other.tag.is_none(),
        "v2 untouched"
    );
    let missing = VersionAnnotation {
        message: Some("x".into()),
        tag: None,
    };
    ensure!(store.annotate_version(&id, 9, &missing).await?.is_none());
    Ok(())
}

pub async fn ownership_is_checked_without_loading(store: &DynStore) -> anyhow::Result<()> {
    let wf = workflow("alice", "mine");
    store.insert_workflow(&wf).await?;
    ensure!(store.owns_workflow("alice", &wf.id).await?);
    ensure!(!store.owns_workflow("mallory", &wf.id).await?);
    ensure!(!store.owns_workflow("alice", "no-such-id").await?);
    ensure!(store.archive_workflow("alice", &wf.id, now()).await?);
    ensure!(
        !store.owns_workflow("alice", &wf.id).await?,
        "archived is gone"
    );
    Ok(())
}

pub async fn concurrent_saves_never_collide_on_version_numbers(
    store: &DynStore,
) -> anyhow::Result<()> {
    let wf = workflow("owner", "busy");
    store.insert_workflow(&wf).await?;
    let saves = (0..20).map(|i| {
        let (store, id) = (store.clone(), wf.id.clone());
        tokio::spawn(async move {
            let meta = VersionMeta::new("owner", VersionKind::Save, &format!("save {i}"));
            let nodes = vec![node(&format!("n{i}"), NodeKind::Service, f64::from(i))];
            let save = graph_save(nodes, vec![], Some(meta));
            store.save_graph("owner", &id, &save).await
        })
    });
    let mut numbers = vec![];
    for save in futures::future::join_all(saves).await {
        let saved = save??.ok_or_else(|| anyhow!("not found"))?;
        let version = saved.version.ok_or_else(|| anyhow!("no version"))?;
        numbers.push(version.number);
    }
    numbers.sort_unstable();
    ensure!(numbers == (1..=20).collect::<Vec<u64>>(), "{numbers:?}");
    let current = store.workflow("owner", &wf.id).await?;
    ensure!(current.map(|w| w.current_version) == Some(20));
    let versions = store.versions(&wf.id).await?;
    ensure!(versions.len() == 20);
    for version in versions {
        let i = version.message.trim_start_matches("save ");
        ensure!(
            version.nodes.len() == 1 && version.nodes[0].id == format!("n{i}"),
            "version {} holds the content of its own save",
            version.number
        );
    }
    Ok(())
}
