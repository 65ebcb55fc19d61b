//! Users, invitations and revocations in MongoDB.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mongodb::bson::doc;
use mongodb::options::ReturnDocument;

use app::model::Role;

use super::docs::{bson_date, UserDoc};
use super::{backend, is_duplicate, MongoStore};
use crate::store::{
    InviteRecord, NewUser, Revocation, SessionStore, SignupGate, StoreError, StoreResult,
    UserRecord, UserStore,
};

/// `_id` of the `meta` document whose insertion makes a sign-up the first (admin) one.
pub(super) const FIRST_USER: &str = "first_user";

impl MongoStore {
    /// Claims the first-user marker; true when this sign-up won it.
    async fn claim_first_user(&self, user_id: &str) -> StoreResult<bool> {
        let marker = doc! { "_id": FIRST_USER, "user_id": user_id };
        match self.raw("meta").insert_one(marker).await {
            Ok(_) => Ok(true),
            Err(e) if is_duplicate(&e) => Ok(false),
            Err(e) => Err(backend(e)),
        }
    }

    async fn release_first_user(&self, user_id: &str) -> StoreResult<()> {
        self.raw("meta")
            .delete_one(doc! { "_id": FIRST_USER, "user_id": user_id })
            .await
            .map_err(backend)?;
        Ok(())
    }

    /// Claims an invitation for `user_id`.
    async fn claim_invite(
        &self,
        code_hash: &str,
        now: DateTime<Utc>,
        user_id: &str,
    ) -> StoreResult<()> {
        let claimed = self
            .raw("invites")
            .find_one_and_update(
                doc! { "_id": code_hash, "used_by": null, "expires_at": { "$gt": bson_date(now) } },
                doc! { "$set": { "used_by": user_id } },
            )
            .await
            .map_err(backend)?;
        claimed.map(|_| ()).ok_or(StoreError::InviteInvalid)
    }

    async fn release_invite(&self, code_hash: &str, user_id: &str) -> StoreResult<()> {
        self.raw("invites")
            .update_one(
                doc! { "_id": code_hash, "used_by": user_id },
                doc! { "$set": { "used_by": null } },
            )
            .await
            .map_err(backend)?;
        Ok(())
    }

    /// Decides the new user's role under `gate` (claiming what it needs).
    async fn admit(&self, gate: &SignupGate, user_id: &str) -> StoreResult<Role> {
        if self.claim_first_user(user_id).await? {
            return Ok(Role::Admin);
        }
        match gate {
            SignupGate::Open => Ok(Role::User),
            SignupGate::Closed => Err(StoreError::SignupClosed),
            SignupGate::Invite { code_hash, now } => {
                self.claim_invite(code_hash, *now, user_id).await?;
                Ok(Role::User)
            }
        }
    }

    /// Gives back what [`Self::admit`] claimed when the user could not be stored.
    async fn unadmit(&self, gate: &SignupGate, role: Role, user_id: &str) -> StoreResult<()> {
        match (role, gate) {
            (Role::Admin, _) => self.release_first_user(user_id).await,
            (_, SignupGate::Invite { code_hash, .. }) => {
                self.release_invite(code_hash, user_id).await
            }
            _ => Ok(()),
        }
    }
}

#[async_trait]
impl UserStore for MongoStore {
    async fn create_user(&self, user: NewUser, gate: SignupGate) -> StoreResult<UserRecord> {
        let role = self.admit(&gate, &user.id).await?;
        let document = UserDoc {
            id: user.id.clone(),
            email: user.email,
            name: user.name,
            password_hash: user.password_hash,
            role,
            token_generation: 0,
            created_at: bson_date(user.created_at),
            updated_at: bson_date(user.created_at),
        };
        if let Err(error) = self.users().insert_one(&document).await {
            self.unadmit(&gate, role, &user.id).await?;
            return Err(if is_duplicate(&error) {
                StoreError::EmailTaken
            } else {
                backend(error)
            });
        }
        document.into_record()
    }

    async fn user_by_id(&self, id: &str) -> StoreResult<Option<UserRecord>> {
        let found = self
            .users()
            .find_one(doc! { "_id": id })
            .await
            .map_err(backend)?;
        found.map(UserDoc::into_record).transpose()
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        let found = self
            .users()
            .find_one(doc! { "email": email })
            .await
            .map_err(backend)?;
        found.map(UserDoc::into_record).transpose()
    }

    async fn set_password(
        &self,
        id: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<UserRecord>> {
        let updated = self
            .users()
            .find_one_and_update(
                doc! { "_id": id },
                doc! {
                    "$set": { "password_hash": password_hash, "updated_at": bson_date(now) },
                    "$inc": { "token_generation": 1_i64 },
                },
            )
            .return_document(ReturnDocument::After)
            .await
            .map_err(backend)?;
        updated.map(UserDoc::into_record).transpose()
    }

    async fn create_invite(&self, invite: InviteRecord) -> StoreResult<()> {
        self.raw("invites")
            .insert_one(doc! {
                "_id": invite.code_hash,
                "created_by": invite.created_by,
                "created_at": bson_date(invite.created_at),
                "expires_at": bson_date(invite.expires_at),
                "used_by": null,
            })
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl SessionStore for MongoStore {
    async fn revoke(&self, revocation: Revocation) -> StoreResult<()> {
        let entry = doc! {
            "_id": revocation.jti,
            "user_id": revocation.user_id,
            "expires_at": bson_date(revocation.expires_at),
        };
        match self.raw("revocations").insert_one(entry).await {
            Err(e) if !is_duplicate(&e) => Err(backend(e)),
            _ => Ok(()),
        }
    }

    async fn is_revoked(&self, jti: &str) -> StoreResult<bool> {
        let found = self
            .raw("revocations")
            .find_one(doc! { "_id": jti })
            .await
            .map_err(backend)?;
        Ok(found.is_some())
    }

    async fn purge_revocations(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let result = self
            .raw("revocations")
            .delete_many(doc! { "expires_at": { "$lt": bson_date(now) } })
            .await
            .map_err(backend)?;
        Ok(result.deleted_count)
    }
}
