//! Identities, pending provider sign-ins and one-time codes in MongoDB.
//!
//! Without multi-document transactions, the two-step writes compensate: a user created with an
//! identity inserts the identity first (its unique index decides races) and removes it again if
//! the user cannot be stored; an unlink that turns out to have removed the last way to sign in
//! (two unlinks racing) puts the identity back.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use mongodb::bson::{doc, DateTime as BsonDate};
use mongodb::Collection;
use serde::{Deserialize, Serialize};

use super::docs::{bson_date, chrono_date};
use super::{backend, is_duplicate, MongoStore};
use crate::store::{
    IdentityRecord, IdentityStore, NewUser, SignupGate, SsoCodeRecord, SsoStateRecord,
    SsoStateStore, StoreError, StoreResult, Unlink, UserRecord, UserStore,
};

/// `identities` documents (unique on `(provider, subject)`).
#[derive(Serialize, Deserialize)]
struct IdentityDoc {
    provider: String,
    subject: String,
    user_id: String,
    email: Option<String>,
    email_verified: bool,
    created_at: BsonDate,
}

impl IdentityDoc {
    fn from_record(r: &IdentityRecord) -> Self {
        IdentityDoc {
            provider: r.provider.clone(),
            subject: r.subject.clone(),
            user_id: r.user_id.clone(),
            email: r.email.clone(),
            email_verified: r.email_verified,
            created_at: bson_date(r.created_at),
        }
    }

    fn into_record(self) -> StoreResult<IdentityRecord> {
        Ok(IdentityRecord {
            created_at: chrono_date(self.created_at)?,
            provider: self.provider,
            subject: self.subject,
            user_id: self.user_id,
            email: self.email,
            email_verified: self.email_verified,
        })
    }
}

/// `sso_states` documents (`_id` is the state hash; a TTL index removes expired ones).
#[derive(Serialize, Deserialize)]
struct StateDoc {
    #[serde(rename = "_id")]
    state_hash: String,
    provider: String,
    binding_hash: String,
    nonce: String,
    pkce_verifier: String,
    link_user_id: Option<String>,
    next: String,
    expires_at: BsonDate,
}

/// `sso_codes` documents (`_id` is the code hash; a TTL index removes expired ones).
#[derive(Serialize, Deserialize)]
struct CodeDoc {
    #[serde(rename = "_id")]
    code_hash: String,
    user_id: String,
    binding_hash: String,
    next: String,
    expires_at: BsonDate,
}

impl MongoStore {
    fn identity_docs(&self) -> Collection<IdentityDoc> {
        self.db.collection("identities")
    }

    fn state_docs(&self) -> Collection<StateDoc> {
        self.db.collection("sso_states")
    }

    fn code_docs(&self) -> Collection<CodeDoc> {
        self.db.collection("sso_codes")
    }

    async fn insert_identity(&self, identity: &IdentityRecord) -> StoreResult<()> {
        match self
            .identity_docs()
            .insert_one(IdentityDoc::from_record(identity))
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if is_duplicate(&e) => Err(StoreError::IdentityTaken),
            Err(e) => Err(backend(e)),
        }
    }

    async fn delete_identity(
        &self,
        user_id: &str,
        provider: &str,
        subject: &str,
    ) -> StoreResult<bool> {
        let deleted = self
            .identity_docs()
            .delete_one(doc! { "provider": provider, "subject": subject, "user_id": user_id })
            .await
            .map_err(backend)?;
        Ok(deleted.deleted_count == 1)
    }

    async fn count_identities(&self, user_id: &str) -> StoreResult<u64> {
        self.identity_docs()
            .count_documents(doc! { "user_id": user_id })
            .await
            .map_err(backend)
    }
}

#[async_trait]
impl IdentityStore for MongoStore {
    async fn identity(&self, provider: &str, subject: &str) -> StoreResult<Option<IdentityRecord>> {
        let found = self
            .identity_docs()
            .find_one(doc! { "provider": provider, "subject": subject })
            .await
            .map_err(backend)?;
        found.map(IdentityDoc::into_record).transpose()
    }

    async fn identities(&self, user_id: &str) -> StoreResult<Vec<IdentityRecord>> {
        let docs: Vec<IdentityDoc> = self
            .identity_docs()
            .find(doc! { "user_id": user_id })
            .sort(doc! { "created_at": 1, "provider": 1, "subject": 1 })
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        docs.into_iter().map(IdentityDoc::into_record).collect()
    }

    async fn link_identity(&self, identity: IdentityRecord) -> StoreResult<()> {
        self.insert_identity(&identity).await
    }

    async fn create_user_with_identity(
        &self,
        user: NewUser,
        identity: IdentityRecord,
        gate: SignupGate,
    ) -> StoreResult<UserRecord> {
        self.insert_identity(&identity).await?;
        match self.create_user(user, gate).await {
            Ok(record) => Ok(record),
            Err(error) => {
                self.delete_identity(&identity.user_id, &identity.provider, &identity.subject)
                    .await?;
                Err(error)
            }
        }
    }

    async fn unlink_identity(
        &self,
        user_id: &str,
        provider: &str,
        subject: &str,
    ) -> StoreResult<Unlink> {
        let Some(user) = self.user_by_id(user_id).await? else {
            return Ok(Unlink::NotFound);
        };
        let Some(identity) = self.identity(provider, subject).await? else {
            return Ok(Unlink::NotFound);
        };
        if identity.user_id != user_id {
            return Ok(Unlink::NotFound);
        }
        let has_password = user.password_hash.is_some();
        if !has_password && self.count_identities(user_id).await? <= 1 {
            return Ok(Unlink::LastLoginMethod);
        }
        if !self.delete_identity(user_id, provider, subject).await? {
            return Ok(Unlink::NotFound);
        }
        if !has_password && self.count_identities(user_id).await? == 0 {
            self.insert_identity(&identity).await?;
            return Ok(Unlink::LastLoginMethod);
        }
        Ok(Unlink::Removed)
    }
}

#[async_trait]
impl SsoStateStore for MongoStore {
    async fn put_sso_state(&self, state: SsoStateRecord) -> StoreResult<()> {
        let document = StateDoc {
            state_hash: state.state_hash,
            provider: state.provider,
            binding_hash: state.binding_hash,
            nonce: state.nonce,
            pkce_verifier: state.pkce_verifier,
            link_user_id: state.link_user_id,
            next: state.next,
            expires_at: bson_date(state.expires_at),
        };
        self.state_docs()
            .insert_one(document)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn take_sso_state(
        &self,
        state_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SsoStateRecord>> {
        let taken = self
            .state_docs()
            .find_one_and_delete(doc! { "_id": state_hash })
            .await
            .map_err(backend)?;
        let Some(d) = taken else { return Ok(None) };
        let expires_at = chrono_date(d.expires_at)?;
        Ok((expires_at > now).then_some(SsoStateRecord {
            state_hash: d.state_hash,
            provider: d.provider,
            binding_hash: d.binding_hash,
            nonce: d.nonce,
            pkce_verifier: d.pkce_verifier,
            link_user_id: d.link_user_id,
            next: d.next,
            expires_at,
        }))
    }

    async fn put_sso_code(&self, code: SsoCodeRecord) -> StoreResult<()> {
        let document = CodeDoc {
            code_hash: code.code_hash,
            user_id: code.user_id,
            binding_hash: code.binding_hash,
            next: code.next,
            expires_at: bson_date(code.expires_at),
        };
        self.code_docs()
            .insert_one(document)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn take_sso_code(
        &self,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SsoCodeRecord>> {
        let taken = self
            .code_docs()
            .find_one_and_delete(doc! { "_id": code_hash })
            .await
            .map_err(backend)?;
        let Some(d) = taken else { return Ok(None) };
        let expires_at = chrono_date(d.expires_at)?;
        Ok((expires_at > now).then_some(SsoCodeRecord {
            code_hash: d.code_hash,
            user_id: d.user_id,
            binding_hash: d.binding_hash,
            next: d.next,
            expires_at,
        }))
    }

    async fn purge_sso(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let filter = doc! { "expires_at": { "$lt": bson_date(now) } };
        let states = self
            .state_docs()
            .delete_many(filter.clone())
            .await
            .map_err(backend)?;
        let codes = self
            .code_docs()
            .delete_many(filter)
            .await
            .map_err(backend)?;
        Ok(states.deleted_count + codes.deleted_count)
    }
}
