//! Clusters and runs in SQLite. A run is kept as one JSON document (`body`) with its state and
//! start time beside it for queries.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use app::model::{ClusterConnection, Run};

use super::documents::{self, name_taken};
use super::workflows::{from_json, name_of, parse_name, to_json};
use super::{db, from_millis, millis, SqliteStore};
use crate::store::clusters::interrupted;
use crate::store::{ClusterRecord, ClusterStore, RunRecord, RunStore, StoreResult};

const CLUSTER_COLUMNS: &str = "id, owner_id, name, server, auth, context, credentials, \
     connection, created_at, updated_at";
const UNFINISHED: &str = "state IN ('queued', 'running')";

type RawCluster = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Vec<u8>,
    String,
    i64,
    i64,
);

fn raw_cluster(row: &Row<'_>) -> rusqlite::Result<RawCluster> {
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

fn cluster_from(raw: RawCluster) -> StoreResult<ClusterRecord> {
    let (id, owner_id, name, server, auth, context, credentials, connection, created, updated) =
        raw;
    Ok(ClusterRecord {
        id,
        owner_id,
        name,
        server,
        auth: parse_name(auth)?,
        context,
        credentials,
        connection: from_json(&connection)?,
        created_at: from_millis(created)?,
        updated_at: from_millis(updated)?,
    })
}

fn select_cluster(
    conn: &Connection,
    owner_id: &str,
    id: &str,
) -> StoreResult<Option<ClusterRecord>> {
    conn.query_row(
        &format!("SELECT {CLUSTER_COLUMNS} FROM clusters WHERE id = ?1 AND owner_id = ?2"),
        [id, owner_id],
        raw_cluster,
    )
    .optional()
    .map_err(db)?
    .map(cluster_from)
    .transpose()
}

#[async_trait]
impl ClusterStore for SqliteStore {
    async fn insert_cluster(&self, cluster: &ClusterRecord) -> StoreResult<()> {
        let c = cluster.clone();
        self.write(move |conn| {
            conn.execute(
                &format!(
                    "INSERT INTO clusters ({CLUSTER_COLUMNS}) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                ),
                params![
                    c.id,
                    c.owner_id,
                    c.name,
                    c.server,
                    name_of(&c.auth),
                    c.context,
                    c.credentials,
                    to_json(&c.connection)?,
                    millis(c.created_at),
                    millis(c.updated_at),
                ],
            )
            .map_err(name_taken)?;
            Ok(())
        })
        .await
    }

    async fn cluster(&self, owner_id: &str, id: &str) -> StoreResult<Option<ClusterRecord>> {
        let (owner_id, id) = (owner_id.to_string(), id.to_string());
        self.read(move |conn| select_cluster(conn, &owner_id, &id))
            .await
    }

    async fn list_clusters(&self, owner_id: &str) -> StoreResult<Vec<ClusterRecord>> {
        let owner_id = owner_id.to_string();
        self.read(move |conn| {
            let mut statement = conn
                .prepare_cached(&format!(
                    "SELECT {CLUSTER_COLUMNS} FROM clusters WHERE owner_id = ?1 \
                     ORDER BY name, id"
                ))
                .map_err(db)?;
            let rows = statement.query_map([owner_id], raw_cluster).map_err(db)?;
            rows.map(|row| cluster_from(row.map_err(db)?)).collect()
        })
        .await
    }

    async fn update_cluster(&self, cluster: &ClusterRecord) -> StoreResult<bool> {
        let c = cluster.clone();
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "UPDATE clusters SET name = ?1, server = ?2, auth = ?3, context = ?4, \
                     credentials = ?5, connection = ?6, updated_at = ?7 \
                     WHERE id = ?8 AND owner_id = ?9",
                    params![
                        c.name,
                        c.server,
                        name_of(&c.auth),
                        c.context,
                        c.credentials,
                        to_json(&c.connection)?,
                        millis(c.updated_at),
                        c.id,
                        c.owner_id,
                    ],
                )
                .map_err(name_taken)?;
            Ok(changed == 1)
        })
        .await
    }

    async fn set_connection(
        &self,
        owner_id: &str,
        id: &str,
        connection: &ClusterConnection,
    ) -> StoreResult<bool> {
        let (owner_id, id) = (owner_id.to_string(), id.to_string());
        let connection = to_json(connection)?;
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "UPDATE clusters SET connection = ?1 WHERE id = ?2 AND owner_id = ?3",
                    params![connection, id, owner_id],
                )
                .map_err(db)?;
            Ok(changed == 1)
        })
        .await
    }

    async fn delete_cluster(&self, owner_id: &str, id: &str) -> StoreResult<bool> {
        let (owner_id, id) = (owner_id.to_string(), id.to_string());
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "DELETE FROM clusters WHERE id = ?1 AND owner_id = ?2",
                    [id, owner_id],
                )
                .map_err(db)?;
            Ok(changed == 1)
        })
        .await
    }
}

#[async_trait]
impl RunStore for SqliteStore {
    async fn insert_run(&self, record: &RunRecord) -> StoreResult<()> {
        let record = record.clone();
        self.write(move |conn| {
            let run = &record.run;
            conn.execute(
                "INSERT INTO runs (id, owner_id, workflow_id, state, body, started_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    run.id,
                    record.owner_id,
                    run.workflow_id,
                    run.state.as_str(),
                    to_json(run)?,
                    millis(run.started_at),
                ],
            )
            .map_err(db)?;
            Ok(())
        })
        .await
    }

    async fn update_run(&self, record: &RunRecord) -> StoreResult<bool> {
        let record = record.clone();
        self.write(move |conn| {
            documents::update(conn, "runs", &record.owner_id, &record.run.id, &record.run)
        })
        .await
    }

    async fn run(&self, owner_id: &str, id: &str) -> StoreResult<Option<Run>> {
        let (owner_id, id) = (owner_id.to_string(), id.to_string());
        self.read(move |conn| documents::find(conn, "runs", &owner_id, &id))
            .await
    }

    async fn runs(&self, owner_id: &str, workflow_id: &str, limit: u32) -> StoreResult<Vec<Run>> {
        let (owner_id, workflow_id) = (owner_id.to_string(), workflow_id.to_string());
        self.read(move |conn| {
            let mut statement = conn
                .prepare_cached(
                    "SELECT body FROM runs WHERE workflow_id = ?1 AND owner_id = ?2 \
                     ORDER BY started_at DESC, id DESC LIMIT ?3",
                )
                .map_err(db)?;
            let rows = statement
                .query_map(params![workflow_id, owner_id, limit], |row| {
                    row.get::<_, String>(0)
                })
                .map_err(db)?;
            rows.map(|body| from_json(&body.map_err(db)?)).collect()
        })
        .await
    }

    async fn interrupt_unfinished(&self, now: DateTime<Utc>, message: &str) -> StoreResult<u64> {
        let message = message.to_string();
        self.write(move |conn| {
            documents::finish_all(conn, "runs", UNFINISHED, |run: Run| {
                interrupted(run, now, &message)
            })
        })
        .await
    }
}
