//! Versions in SQLite: content as one JSON column, numbers allocated inside the writer's
//! `BEGIN IMMEDIATE` transaction together with the workflow's `current_version`.

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use app::model::{Version, VersionInfo};

use super::workflows::{count, current_version, from_json, name_of, parse_name, to_json};
use super::{db, from_millis, millis, SqliteStore};
use crate::store::records::StoredGraph;
use crate::store::{
    StoreResult, VersionAnnotation, VersionDraft, VersionListing, VersionMeta, VersionStore,
};

const VERSION_COLUMNS: &str =
    "workflow_id, number, content, author_id, message, tag, kind, restored_from, created_at";
const INFO_COLUMNS: &str = "number, author_id, message, tag, kind, restored_from, created_at";

pub(super) fn insert_version(conn: &Connection, version: &Version) -> StoreResult<()> {
    let content = to_json(&StoredGraph {
        nodes: version.nodes.clone(),
        edges: version.edges.clone(),
        viewport: None,
    })?;
    conn.execute(
        &format!(
            "INSERT INTO versions ({VERSION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        ),
        params![
            version.workflow_id,
            version.number as i64,
            content,
            version.author_id,
            version.message,
            version.tag,
            name_of(&version.kind),
            version.restored_from.map(|n| n as i64),
            millis(version.created_at),
        ],
    )
    .map_err(db)?;
    Ok(())
}

type RawVersion = (
    String,
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<i64>,
    i64,
);

fn raw_version(row: &Row<'_>) -> rusqlite::Result<RawVersion> {
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
    ))
}

fn version_from(raw: RawVersion) -> StoreResult<Version> {
    let (workflow_id, number, content, author_id, message, tag, kind, restored_from, created) = raw;
    let content: StoredGraph = from_json(&content)?;
    let meta = VersionMeta {
        author_id,
        message,
        kind: parse_name(kind)?,
        tag,
        restored_from: restored_from.map(count).transpose()?,
    };
    Ok(meta.into_version(
        &workflow_id,
        count(number)?,
        content.nodes,
        content.edges,
        from_millis(created)?,
    ))
}

#[async_trait]
impl VersionStore for SqliteStore {
    async fn append_version(
        &self,
        owner_id: &str,
        workflow_id: &str,
        draft: &VersionDraft,
    ) -> StoreResult<Option<Version>> {
        let (owner_id, id, draft) = (owner_id.to_string(), workflow_id.to_string(), draft.clone());
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            let Some(current) = current_version(&tx, &owner_id, &id)? else {
                return Ok(None);
            };
            let version = draft.into_version(&id, current + 1);
            tx.execute(
                "UPDATE workflows SET current_version = ?1 WHERE id = ?2",
                params![version.number as i64, id],
            )
            .map_err(db)?;
            insert_version(&tx, &version)?;
            tx.commit().map_err(db)?;
            Ok(Some(version))
        })
        .await
    }

    async fn versions(&self, workflow_id: &str) -> StoreResult<Vec<Version>> {
        let id = workflow_id.to_string();
        self.read(move |conn| {
            let mut statement = conn
                .prepare_cached(&format!(
                    "SELECT {VERSION_COLUMNS} FROM versions WHERE workflow_id = ?1 \
                     ORDER BY number DESC"
                ))
                .map_err(db)?;
            let rows = statement.query_map([id], raw_version).map_err(db)?;
            rows.map(|row| version_from(row.map_err(db)?)).collect()
        })
        .await
    }

    async fn version(&self, workflow_id: &str, number: u64) -> StoreResult<Option<Version>> {
        let id = workflow_id.to_string();
        self.read(move |conn| {
            conn.query_row(
                &format!(
                    "SELECT {VERSION_COLUMNS} FROM versions WHERE workflow_id = ?1 AND number = ?2"
                ),
                params![id, number as i64],
                raw_version,
            )
            .optional()
            .map_err(db)?
            .map(version_from)
            .transpose()
        })
        .await
    }

    async fn version_page(
        &self,
        workflow_id: &str,
        before: Option<u64>,
        limit: u32,
    ) -> StoreResult<VersionListing> {
        let id = workflow_id.to_string();
        let before = before.map_or(i64::MAX, |n| i64::try_from(n).unwrap_or(i64::MAX));
        self.read(move |conn| {
            let mut statement = conn
                .prepare_cached(&format!(
                    "SELECT {INFO_COLUMNS} FROM versions WHERE workflow_id = ?1 AND number < ?2 \
                     ORDER BY number DESC LIMIT ?3"
                ))
                .map_err(db)?;
            let rows = statement
                .query_map(params![id, before, limit], raw_info)
                .map_err(db)?;
            let items = rows
                .map(|row| info_from(row.map_err(db)?))
                .collect::<StoreResult<Vec<_>>>()?;
            let total = conn
                .query_row(
                    "SELECT COUNT(*) FROM versions WHERE workflow_id = ?1",
                    [&id],
                    |row| row.get::<_, i64>(0),
                )
                .map_err(db)?;
            Ok(VersionListing {
                items,
                total: count(total)?,
            })
        })
        .await
    }

    async fn annotate_version(
        &self,
        workflow_id: &str,
        number: u64,
        annotation: &VersionAnnotation,
    ) -> StoreResult<Option<VersionInfo>> {
        let (id, note) = (workflow_id.to_string(), annotation.clone());
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "UPDATE versions SET message = COALESCE(?1, message), \
                     tag = CASE WHEN ?2 THEN ?3 ELSE tag END \
                     WHERE workflow_id = ?4 AND number = ?5",
                    params![
                        note.message,
                        note.tag.is_some(),
                        note.tag.flatten(),
                        id,
                        number as i64
                    ],
                )
                .map_err(db)?;
            if changed == 0 {
                return Ok(None);
            }
            select_info(conn, &id, number)
        })
        .await
    }
}

type RawInfo = (
    i64,
    String,
    String,
    Option<String>,
    String,
    Option<i64>,
    i64,
);

fn raw_info(row: &Row<'_>) -> rusqlite::Result<RawInfo> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
    ))
}

fn info_from(raw: RawInfo) -> StoreResult<VersionInfo> {
    let (number, author_id, message, tag, kind, restored_from, created) = raw;
    Ok(VersionInfo {
        number: count(number)?,
        created_at: from_millis(created)?,
        author_id,
        kind: parse_name(kind)?,
        message,
        tag,
        restored_from: restored_from.map(count).transpose()?,
    })
}

fn select_info(conn: &Connection, id: &str, number: u64) -> StoreResult<Option<VersionInfo>> {
    conn.query_row(
        &format!("SELECT {INFO_COLUMNS} FROM versions WHERE workflow_id = ?1 AND number = ?2"),
        params![id, number as i64],
        raw_info,
    )
    .optional()
    .map_err(db)?
    .map(info_from)
    .transpose()
}
