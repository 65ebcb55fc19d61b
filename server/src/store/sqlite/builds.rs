//! Registries, builds and build events in SQLite. A build is kept as one JSON document (`body`)
//! with its state and creation time beside it for queries; events are rows keyed by
//! `(build_id, seq)`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use app::model::build::Build;

use super::documents::{self, name_taken};
use super::workflows::{from_json, to_json};
use super::{db, from_millis, millis, SqliteStore};
use crate::store::builds::interrupted;
use crate::store::{
    BuildEventRecord, BuildRecord, BuildStore, RegistryRecord, RegistryStore, StoreResult,
};

const REGISTRY_COLUMNS: &str = "id, owner_id, name, url, username, password, default_at, \
     check_result, created_at, updated_at";
const UNFINISHED: &str = "state IN ('pending', 'cloning', 'building', 'pushing')";

type RawRegistry = (
    String,
    String,
    String,
    String,
    Option<String>,
    Vec<u8>,
    Option<i64>,
    String,
    i64,
    i64,
);

fn raw_registry(row: &Row<'_>) -> rusqlite::Result<RawRegistry> {
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

fn registry_from(raw: RawRegistry) -> StoreResult<RegistryRecord> {
    let (id, owner_id, name, url, username, password, default_at, check, created, updated) = raw;
    Ok(RegistryRecord {
        id,
        owner_id,
        name,
        url,
        username,
        password,
        default_at: default_at.map(from_millis).transpose()?,
        check: from_json(&check)?,
        created_at: from_millis(created)?,
        updated_at: from_millis(updated)?,
    })
}

fn write_registry(conn: &Connection, sql: &str, r: &RegistryRecord) -> StoreResult<usize> {
    conn.execute(
        sql,
        params![
            r.id,
            r.owner_id,
            r.name,
            r.url,
            r.username,
            r.password,
            r.default_at.map(millis),
            to_json(&r.check)?,
            millis(r.created_at),
            millis(r.updated_at),
        ],
    )
    .map_err(name_taken)
}

#[async_trait]
impl RegistryStore for SqliteStore {
    async fn insert_registry(&self, registry: &RegistryRecord) -> StoreResult<()> {
        let r = registry.clone();
        self.write(move |conn| {
            let sql = format!(
                "INSERT INTO registries ({REGISTRY_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            );
            write_registry(conn, &sql, &r).map(|_| ())
        })
        .await
    }

    async fn registry(&self, owner_id: &str, id: &str) -> StoreResult<Option<RegistryRecord>> {
        let (owner_id, id) = (owner_id.to_string(), id.to_string());
        self.read(move |conn| {
            conn.query_row(
                &format!(
                    "SELECT {REGISTRY_COLUMNS} FROM registries WHERE id = ?1 AND owner_id = ?2"
                ),
                [id, owner_id],
                raw_registry,
            )
            .optional()
            .map_err(db)?
            .map(registry_from)
            .transpose()
        })
        .await
    }

    async fn list_registries(&self, owner_id: &str) -> StoreResult<Vec<RegistryRecord>> {
        let owner_id = owner_id.to_string();
        self.read(move |conn| {
            let mut statement = conn
                .prepare_cached(&format!(
                    "SELECT {REGISTRY_COLUMNS} FROM registries WHERE owner_id = ?1 \
                     ORDER BY name, id"
                ))
                .map_err(db)?;
            let rows = statement.query_map([owner_id], raw_registry).map_err(db)?;
            rows.map(|row| registry_from(row.map_err(db)?)).collect()
        })
        .await
    }

    async fn update_registry(&self, registry: &RegistryRecord) -> StoreResult<bool> {
        let r = registry.clone();
        self.write(move |conn| {
            let sql = "UPDATE registries SET name = ?3, url = ?4, username = ?5, password = ?6, \
                       default_at = ?7, check_result = ?8, created_at = ?9, updated_at = ?10 \
                       WHERE id = ?1 AND owner_id = ?2";
            Ok(write_registry(conn, sql, &r)? == 1)
        })
        .await
    }

    async fn delete_registry(&self, owner_id: &str, id: &str) -> StoreResult<bool> {
        let (owner_id, id) = (owner_id.to_string(), id.to_string());
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "DELETE FROM registries WHERE id = ?1 AND owner_id = ?2",
                    [id, owner_id],
                )
                .map_err(db)?;
            Ok(changed == 1)
        })
        .await
    }
}

#[async_trait]
impl BuildStore for SqliteStore {
    async fn insert_build(&self, record: &BuildRecord) -> StoreResult<()> {
        let record = record.clone();
        self.write(move |conn| {
            let b = &record.build;
            conn.execute(
                "INSERT INTO builds (id, owner_id, state, body, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    b.id,
                    record.owner_id,
                    b.state.as_str(),
                    to_json(b)?,
                    millis(b.created_at)
                ],
            )
            .map_err(db)?;
            Ok(())
        })
        .await
    }

    async fn update_build(&self, record: &BuildRecord) -> StoreResult<bool> {
        let record = record.clone();
        self.write(move |conn| {
            documents::update(
                conn,
                "builds",
                &record.owner_id,
                &record.build.id,
                &record.build,
            )
        })
        .await
    }

    async fn build(&self, owner_id: &str, id: &str) -> StoreResult<Option<Build>> {
        let (owner_id, id) = (owner_id.to_string(), id.to_string());
        self.read(move |conn| documents::find(conn, "builds", &owner_id, &id))
            .await
    }

    async fn builds(&self, owner_id: &str, limit: u32) -> StoreResult<Vec<Build>> {
        let owner_id = owner_id.to_string();
        self.read(move |conn| {
            let mut statement = conn
                .prepare_cached(
                    "SELECT body FROM builds WHERE owner_id = ?1 \
                     ORDER BY created_at DESC, id DESC LIMIT ?2",
                )
                .map_err(db)?;
            let rows = statement
                .query_map(params![owner_id, limit], |row| row.get::<_, String>(0))
                .map_err(db)?;
            rows.map(|body| from_json(&body.map_err(db)?)).collect()
        })
        .await
    }

    async fn append_build_events(
        &self,
        build_id: &str,
        events: &[BuildEventRecord],
    ) -> StoreResult<()> {
        let (build_id, events) = (build_id.to_string(), events.to_vec());
        self.write(move |conn| {
            let tx = conn.transaction().map_err(db)?;
            {
                let mut insert = tx
                    .prepare_cached(
                        "INSERT INTO build_events (build_id, seq, event, data) \
                         VALUES (?1, ?2, ?3, ?4)",
                    )
                    .map_err(db)?;
                for e in &events {
                    insert
                        .execute(params![build_id, e.seq as i64, e.event, e.data])
                        .map_err(db)?;
                }
            }
            tx.commit().map_err(db)
        })
        .await
    }

    async fn build_events(&self, build_id: &str, after: u64) -> StoreResult<Vec<BuildEventRecord>> {
        let build_id = build_id.to_string();
        self.read(move |conn| {
            let mut statement = conn
                .prepare_cached(
                    "SELECT seq, event, data FROM build_events WHERE build_id = ?1 AND seq > ?2 \
                     ORDER BY seq",
                )
                .map_err(db)?;
            let after = i64::try_from(after).unwrap_or(i64::MAX);
            let rows = statement
                .query_map(params![build_id, after], |row| {
                    Ok(BuildEventRecord {
                        seq: row.get::<_, i64>(0)?.max(0) as u64,
                        event: row.get(1)?,
                        data: row.get(2)?,
                    })
                })
                .map_err(db)?;
            rows.map(|row| row.map_err(db)).collect()
        })
        .await
    }

    async fn interrupt_unfinished_builds(
        &self,
        now: DateTime<Utc>,
        message: &str,
    ) -> StoreResult<u64> {
        let message = message.to_string();
        self.write(move |conn| {
            documents::finish_all(conn, "builds", UNFINISHED, |build: Build| {
                interrupted(build, now, &message)
            })
        })
        .await
    }
}
