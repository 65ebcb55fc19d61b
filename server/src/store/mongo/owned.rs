//! Owner-scoped documents (clusters, registries): the queries every such collection needs, keyed
//! by `_id` and `owner_id` so another user's document is never found, changed or removed.

use futures::TryStreamExt;
use mongodb::bson::{doc, Document};
use mongodb::Collection;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{backend, is_duplicate};
use crate::store::{StoreError, StoreResult};

fn key(owner_id: &str, id: &str) -> Document {
    doc! { "_id": id, "owner_id": owner_id }
}

/// A write error: [`StoreError::NameTaken`] for the unique `(owner_id, name)` index.
pub(super) fn name_error(error: mongodb::error::Error) -> StoreError {
    if is_duplicate(&error) {
        StoreError::NameTaken
    } else {
        backend(error)
    }
}

/// Inserts `document` (a taken name is [`StoreError::NameTaken`]).
pub(super) async fn insert<D>(collection: &Collection<D>, document: D) -> StoreResult<()>
where
    D: Serialize + Send + Sync,
{
    collection.insert_one(document).await.map_err(name_error)?;
    Ok(())
}

/// The owner's document `id`, if any.
pub(super) async fn find<D>(
    collection: &Collection<D>,
    owner_id: &str,
    id: &str,
) -> StoreResult<Option<D>>
where
    D: DeserializeOwned + Send + Sync,
{
    collection
        .find_one(key(owner_id, id))
        .await
        .map_err(backend)
}

/// All of the owner's documents by name.
pub(super) async fn list_by_name<D>(
    collection: &Collection<D>,
    owner_id: &str,
) -> StoreResult<Vec<D>>
where
    D: DeserializeOwned + Send + Sync,
{
    collection
        .find(doc! { "owner_id": owner_id })
        .sort(doc! { "name": 1, "_id": 1 })
        .await
        .map_err(backend)?
        .try_collect()
        .await
        .map_err(backend)
}

/// Replaces the owner's document `id`; false when there is none.
pub(super) async fn replace<D>(
    collection: &Collection<D>,
    owner_id: &str,
    id: &str,
    document: D,
) -> StoreResult<bool>
where
    D: Serialize + Send + Sync,
{
    let result = collection
        .replace_one(key(owner_id, id), document)
        .await
        .map_err(name_error)?;
    Ok(result.matched_count == 1)
}

/// Sets fields of the owner's document `id`; false when there is none.
pub(super) async fn set<D>(
    collection: &Collection<D>,
    owner_id: &str,
    id: &str,
    fields: Document,
) -> StoreResult<bool>
where
    D: Send + Sync,
{
    let result = collection
        .update_one(key(owner_id, id), doc! { "$set": fields })
        .await
        .map_err(backend)?;
    Ok(result.matched_count == 1)
}

/// Deletes the owner's document `id`; false when there was none.
pub(super) async fn delete<D>(
    collection: &Collection<D>,
    owner_id: &str,
    id: &str,
) -> StoreResult<bool>
where
    D: Send + Sync,
{
    let result = collection
        .delete_one(key(owner_id, id))
        .await
        .map_err(backend)?;
    Ok(result.deleted_count == 1)
}
