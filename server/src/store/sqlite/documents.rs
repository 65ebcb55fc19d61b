//! Owner-scoped rows kept as one JSON document (`body`) with the document's state beside it for
//! queries (runs, builds): the reads and writes they share. `table` is always one of this
//! module's callers' constant table names, never input.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::db;
use super::users::is_unique_violation;
use super::workflows::{from_json, to_json};
use crate::store::{StoreError, StoreResult};

/// A document with a state column.
pub(super) trait Stateful: Serialize + DeserializeOwned {
    /// The value of the `state` column.
    fn state(&self) -> &'static str;
}

impl Stateful for app::model::Run {
    fn state(&self) -> &'static str {
        self.state.as_str()
    }
}

impl Stateful for app::model::build::Build {
    fn state(&self) -> &'static str {
        self.state.as_str()
    }
}

/// A unique-constraint failure: the owner already uses the name.
pub(super) fn name_taken(error: rusqlite::Error) -> StoreError {
    if is_unique_violation(&error) {
        StoreError::NameTaken
    } else {
        db(error)
    }
}

/// The owner's document `id` in `table`, if any.
pub(super) fn find<T: DeserializeOwned>(
    conn: &Connection,
    table: &str,
    owner_id: &str,
    id: &str,
) -> StoreResult<Option<T>> {
    conn.query_row(
        &format!("SELECT body FROM {table} WHERE id = ?1 AND owner_id = ?2"),
        [id, owner_id],
        |row| row.get::<_, String>(0),
    )
    .optional()
    .map_err(db)?
    .map(|body| from_json(&body))
    .transpose()
}

/// Replaces the owner's document `id` in `table`; false when there is none.
pub(super) fn update<T: Stateful>(
    conn: &Connection,
    table: &str,
    owner_id: &str,
    id: &str,
    document: &T,
) -> StoreResult<bool> {
    let changed = conn
        .execute(
            &format!("UPDATE {table} SET state = ?1, body = ?2 WHERE id = ?3 AND owner_id = ?4"),
            params![document.state(), to_json(document)?, id, owner_id],
        )
        .map_err(db)?;
    Ok(changed == 1)
}

/// Rewrites, in one transaction, every document of `table` matching `unfinished` (an SQL
/// condition) with `finish`; how many there were.
pub(super) fn finish_all<T: Stateful>(
    conn: &mut Connection,
    table: &str,
    unfinished: &str,
    finish: impl Fn(T) -> T,
) -> StoreResult<u64> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db)?;
    let bodies: Vec<(String, String)> = {
        let mut statement = tx
            .prepare(&format!("SELECT id, body FROM {table} WHERE {unfinished}"))
            .map_err(db)?;
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)?
    };
    for (id, body) in &bodies {
        let document = finish(from_json::<T>(body)?);
        tx.execute(
            &format!("UPDATE {table} SET state = ?1, body = ?2 WHERE id = ?3"),
            params![document.state(), to_json(&document)?, id],
        )
        .map_err(db)?;
    }
    tx.commit().map_err(db)?;
    Ok(bodies.len() as u64)
}
