//! Workflows in SQLite (versions are in `versions.rs`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use serde::{de::DeserializeOwned, Serialize};

use app::model::{Workflow, WorkflowStatus, WorkflowSummary};

use super::versions::insert_version;
use super::{db, from_millis, millis, SqliteStore};
use crate::store::records::StoredGraph;
use crate::store::{GraphSave, SavedGraph, StoreError, StoreResult, WorkflowPatch, WorkflowStore};

const ACTIVE: &str = "status != 'archived'";
const WORKFLOW_COLUMNS: &str = "id, owner_id, name, description, cluster_id, status, graph, \
     current_version, created_at, updated_at";

/// A unit enum's serialised name (`draft`, `save`, …).
pub(super) fn name_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// Parses a unit enum from its serialised name.
pub(super) fn parse_name<T: DeserializeOwned>(name: String) -> StoreResult<T> {
    serde_json::from_value(serde_json::Value::String(name))
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(super) fn to_json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(StoreError::backend)
}

pub(super) fn from_json<T: DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(super) fn count(n: i64) -> StoreResult<u64> {
    u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("negative count {n}")))
}

type RawWorkflow = (
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    i64,
    i64,
    i64,
);

fn raw_workflow(row: &Row<'_>) -> rusqlite::Result<RawWorkflow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
        row.get(9)?,
    ))
}

fn workflow_from(raw: RawWorkflow) -> StoreResult<Workflow> {
    let (id, owner_id, name, description, cluster_id, status, graph, version, created, updated) =
        raw;
    let graph: StoredGraph = from_json(&graph)?;
    Ok(Workflow {
        id,
        name,
        description,
        owner_id,
        cluster_id,
        status: parse_name(status)?,
        nodes: graph.nodes,
        edges: graph.edges,
        viewport: graph.viewport.unwrap_or_default(),
        current_version: count(version)?,
        created_at: from_millis(created)?,
        updated_at: from_millis(updated)?,
    })
}

fn select_workflow(conn: &Connection, owner_id: &str, id: &str) -> StoreResult<Option<Workflow>> {
    let sql = format!(
        "SELECT {WORKFLOW_COLUMNS} FROM workflows WHERE id = ?1 AND owner_id = ?2 AND {ACTIVE}"
    );
    conn.query_row(&sql, [id, owner_id], raw_workflow)
        .optional()
        .map_err(db)?
        .map(workflow_from)
        .transpose()
}

pub(super) fn current_version(
    conn: &Connection,
    owner_id: &str,
    id: &str,
) -> StoreResult<Option<u64>> {
    let sql = format!(
        "SELECT current_version FROM workflows WHERE id = ?1 AND owner_id = ?2 AND {ACTIVE}"
    );
    conn.query_row(&sql, [id, owner_id], |row| row.get::<_, i64>(0))
        .optional()
        .map_err(db)?
        .map(count)
        .transpose()
}

#[async_trait]
impl WorkflowStore for SqliteStore {
    async fn insert_workflow(&self, workflow: &Workflow) -> StoreResult<()> {
        let w = workflow.clone();
        self.write(move |conn| {
            let graph = to_json(&StoredGraph {
                nodes: w.nodes.clone(),
                edges: w.edges.clone(),
                viewport: Some(w.viewport),
            })?;
            conn.execute(
                &format!(
                    "INSERT INTO workflows ({WORKFLOW_COLUMNS}, node_count) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                ),
                params![
                    w.id,
                    w.owner_id,
                    w.name,
                    w.description,
                    w.cluster_id,
                    name_of(&w.status),
                    graph,
                    w.current_version as i64,
                    millis(w.created_at),
                    millis(w.updated_at),
                    w.nodes.len() as i64,
                ],
            )
            .map_err(db)?;
            Ok(())
        })
        .await
    }

    async fn workflow(&self, owner_id: &str, id: &str) -> StoreResult<Option<Workflow>> {
        let (owner_id, id) = (owner_id.to_string(), id.to_string());
        self.read(move |conn| select_workflow(conn, &owner_id, &id))
            .await
    }

    async fn owns_workflow(&self, owner_id: &str, id: &str) -> StoreResult<bool> {
        let (owner_id, id) = (owner_id.to_string(), id.to_string());
        self.read(move |conn| Ok(current_version(conn, &owner_id, &id)?.is_some()))
            .await
    }

    async fn list_workflows(&self, owner_id: &str) -> StoreResult<Vec<WorkflowSummary>> {
        let owner_id = owner_id.to_string();
        self.read(move |conn| {
            let mut statement = conn
                .prepare_cached(&format!(
                    "SELECT id, name, description, status, node_count, current_version, updated_at \
                     FROM workflows WHERE owner_id = ?1 AND {ACTIVE} \
                     ORDER BY updated_at DESC, id DESC"
                ))
                .map_err(db)?;
            let rows = statement
                .query_map([owner_id], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, i64>(4)?,
                        row.get::<_, i64>(5)?,
                        row.get::<_, i64>(6)?,
                    ))
                })
                .map_err(db)?;
            rows.map(|row| {
                let (id, name, description, status, nodes, version, updated) = row.map_err(db)?;
                Ok(WorkflowSummary {
                    id,
                    name,
                    description,
                    status: parse_name::<WorkflowStatus>(status)?,
                    node_count: count(nodes)? as usize,
                    current_version: count(version)?,
                    updated_at: from_millis(updated)?,
                })
            })
            .collect()
        })
        .await
    }

    async fn update_details(
        &self,
        owner_id: &str,
        id: &str,
        patch: &WorkflowPatch,
    ) -> StoreResult<Option<Workflow>> {
        let (owner_id, id, patch) = (owner_id.to_string(), id.to_string(), patch.clone());
        self.write(move |conn| {
            let changed = conn
                .execute(
                    &format!(
                        "UPDATE workflows SET name = COALESCE(?1, name), \
                         description = COALESCE(?2, description), updated_at = ?3, \
                         cluster_id = CASE WHEN ?6 THEN ?7 ELSE cluster_id END \
                         WHERE id = ?4 AND owner_id = ?5 AND {ACTIVE}"
                    ),
                    params![
                        patch.name,
                        patch.description,
                        millis(patch.updated_at),
                        id,
                        owner_id,
                        patch.cluster_id.is_some(),
                        patch.cluster_id.clone().flatten(),
                    ],
                )
                .map_err(db)?;
            if changed == 0 {
                return Ok(None);
            }
            select_workflow(conn, &owner_id, &id)
        })
        .await
    }

    async fn set_workflow_status(
        &self,
        owner_id: &str,
        id: &str,
        status: WorkflowStatus,
    ) -> StoreResult<bool> {
        let (owner_id, id, status) = (owner_id.to_string(), id.to_string(), name_of(&status));
        self.write(move |conn| {
            let changed = conn
                .execute(
                    &format!(
                        "UPDATE workflows SET status = ?1 WHERE id = ?2 AND owner_id = ?3 \
                         AND {ACTIVE}"
                    ),
                    params![status, id, owner_id],
                )
                .map_err(db)?;
            Ok(changed == 1)
        })
        .await
    }

    async fn archive_workflow(
        &self,
        owner_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let (owner_id, id) = (owner_id.to_string(), id.to_string());
        self.write(move |conn| {
            let changed = conn
                .execute(
                    &format!(
                        "UPDATE workflows SET status = 'archived', updated_at = ?1 \
                         WHERE id = ?2 AND owner_id = ?3 AND {ACTIVE}"
                    ),
                    params![millis(now), id, owner_id],
                )
                .map_err(db)?;
            Ok(changed == 1)
        })
        .await
    }

    async fn save_graph(
        &self,
        owner_id: &str,
        id: &str,
        save: &GraphSave,
    ) -> StoreResult<Option<SavedGraph>> {
        let (owner_id, id, save) = (owner_id.to_string(), id.to_string(), save.clone());
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            let Some(current) = current_version(&tx, &owner_id, &id)? else {
                return Ok(None);
            };
            let number = if save.version.is_some() {
                current + 1
            } else {
                current
            };
            let graph = to_json(&StoredGraph {
                nodes: save.nodes.clone(),
                edges: save.edges.clone(),
                viewport: Some(save.viewport),
            })?;
            tx.execute(
                "UPDATE workflows SET graph = ?1, node_count = ?2, current_version = ?3, \
                 updated_at = ?4 WHERE id = ?5",
                params![
                    graph,
                    save.nodes.len() as i64,
                    number as i64,
                    millis(save.now),
                    id
                ],
            )
            .map_err(db)?;
            let version = save
                .version
                .map(|meta| meta.into_version(&id, number, save.nodes, save.edges, save.now));
            if let Some(version) = &version {
                insert_version(&tx, version)?;
            }
            let workflow = select_workflow(&tx, &owner_id, &id)?
                .ok_or_else(|| StoreError::Corrupt("the saved workflow vanished".into()))?;
            tx.commit().map_err(db)?;
            Ok(Some(SavedGraph { workflow, version }))
        })
        .await
    }
}
