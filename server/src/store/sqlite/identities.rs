//! Identities, pending provider sign-ins and one-time codes in SQLite.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, TransactionBehavior};

use super::users::{insert_user, is_unique_violation, select_user};
use super::{db, from_millis, millis, SqliteStore};
use crate::store::{
    IdentityRecord, IdentityStore, NewUser, SignupGate, SsoCodeRecord, SsoStateRecord,
    SsoStateStore, StoreError, StoreResult, Unlink, UserRecord,
};

const IDENTITY_COLUMNS: &str = "provider, subject, user_id, email, email_verified, created_at";

fn identity_from_row(row: &Row<'_>) -> rusqlite::Result<(IdentityRecord, i64)> {
    Ok((
        IdentityRecord {
            provider: row.get(0)?,
            subject: row.get(1)?,
            user_id: row.get(2)?,
            email: row.get(3)?,
            email_verified: row.get(4)?,
            created_at: DateTime::<Utc>::MIN_UTC,
        },
        row.get(5)?,
    ))
}

fn with_time((mut identity, at): (IdentityRecord, i64)) -> StoreResult<IdentityRecord> {
    identity.created_at = from_millis(at)?;
    Ok(identity)
}

fn insert_identity(conn: &rusqlite::Connection, identity: &IdentityRecord) -> StoreResult<()> {
    let inserted = conn.execute(
        "INSERT INTO identities (provider, subject, user_id, email, email_verified, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            identity.provider,
            identity.subject,
            identity.user_id,
            identity.email,
            identity.email_verified,
            millis(identity.created_at)
        ],
    );
    match inserted {
        Err(e) if is_unique_violation(&e) => Err(StoreError::IdentityTaken),
        other => other.map(|_| ()).map_err(db),
    }
}

#[async_trait]
impl IdentityStore for SqliteStore {
    async fn identity(&self, provider: &str, subject: &str) -> StoreResult<Option<IdentityRecord>> {
        let (provider, subject) = (provider.to_string(), subject.to_string());
        self.read(move |conn| {
            let sql = format!(
                "SELECT {IDENTITY_COLUMNS} FROM identities WHERE provider = ?1 AND subject = ?2"
            );
            conn.query_row(&sql, [provider, subject], identity_from_row)
                .optional()
                .map_err(db)?
                .map(with_time)
                .transpose()
        })
        .await
    }

    async fn identities(&self, user_id: &str) -> StoreResult<Vec<IdentityRecord>> {
        let user_id = user_id.to_string();
        self.read(move |conn| {
            let sql = format!(
                "SELECT {IDENTITY_COLUMNS} FROM identities WHERE user_id = ?1 \
                 ORDER BY created_at, provider, subject"
            );
            let mut statement = conn.prepare(&sql).map_err(db)?;
            let rows = statement
                .query_map([user_id], identity_from_row)
                .map_err(db)?;
            rows.map(|row| row.map_err(db).and_then(with_time))
                .collect()
        })
        .await
    }

    async fn link_identity(&self, identity: IdentityRecord) -> StoreResult<()> {
        self.write(move |conn| insert_identity(conn, &identity))
            .await
    }

    async fn create_user_with_identity(
        &self,
        user: NewUser,
        identity: IdentityRecord,
        gate: SignupGate,
    ) -> StoreResult<UserRecord> {
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            insert_identity(&tx, &identity)?;
            let record = insert_user(&tx, user, &gate)?;
            tx.commit().map_err(db)?;
            Ok(record)
        })
        .await
    }

    async fn unlink_identity(
        &self,
        user_id: &str,
        provider: &str,
        subject: &str,
    ) -> StoreResult<Unlink> {
        let (user_id, provider, subject) = (
            user_id.to_string(),
            provider.to_string(),
            subject.to_string(),
        );
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            let Some(user) = select_user(&tx, "id", &user_id)? else {
                return Ok(Unlink::NotFound);
            };
            let others: i64 = tx
                .query_row(
                    "SELECT COUNT(*) FROM identities WHERE user_id = ?1 \
                     AND NOT (provider = ?2 AND subject = ?3)",
                    params![user_id, provider, subject],
                    |row| row.get(0),
                )
                .map_err(db)?;
            let removed = tx
                .execute(
                    "DELETE FROM identities WHERE user_id = ?1 AND provider = ?2 AND subject = ?3",
                    params![user_id, provider, subject],
                )
                .map_err(db)?;
            if removed == 0 {
                return Ok(Unlink::NotFound);
            }
            if user.password_hash.is_none() && others == 0 {
                return Ok(Unlink::LastLoginMethod);
            }
            tx.commit().map_err(db)?;
            Ok(Unlink::Removed)
        })
        .await
    }
}

#[async_trait]
impl SsoStateStore for SqliteStore {
    async fn put_sso_state(&self, state: SsoStateRecord) -> StoreResult<()> {
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO sso_states (state_hash, provider, binding_hash, nonce, \
                 pkce_verifier, link_user_id, next, expires_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    state.state_hash,
                    state.provider,
                    state.binding_hash,
                    state.nonce,
                    state.pkce_verifier,
                    state.link_user_id,
                    state.next,
                    millis(state.expires_at)
                ],
            )
            .map_err(db)?;
            Ok(())
        })
        .await
    }

    async fn take_sso_state(
        &self,
        state_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SsoStateRecord>> {
        let state_hash = state_hash.to_string();
        self.write(move |conn| {
            let taken = conn
                .query_row(
                    "DELETE FROM sso_states WHERE state_hash = ?1 RETURNING provider, \
                     binding_hash, nonce, pkce_verifier, link_user_id, next, expires_at",
                    [&state_hash],
                    |row| {
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, String>(2)?,
                            row.get::<_, String>(3)?,
                            row.get::<_, Option<String>>(4)?,
                            row.get::<_, String>(5)?,
                            row.get::<_, i64>(6)?,
                        ))
                    },
                )
                .optional()
                .map_err(db)?;
            let Some((provider, binding_hash, nonce, pkce_verifier, link_user_id, next, at)) =
                taken
            else {
                return Ok(None);
            };
            let expires_at = from_millis(at)?;
            Ok((expires_at > now).then_some(SsoStateRecord {
                state_hash,
                provider,
                binding_hash,
                nonce,
                pkce_verifier,
                link_user_id,
                next,
                expires_at,
            }))
        })
        .await
    }

    async fn put_sso_code(&self, code: SsoCodeRecord) -> StoreResult<()> {
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO sso_codes (code_hash, user_id, binding_hash, next, expires_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    code.code_hash,
                    code.user_id,
                    code.binding_hash,
                    code.next,
                    millis(code.expires_at)
                ],
            )
            .map_err(db)?;
            Ok(())
        })
        .await
    }

    async fn take_sso_code(
        &self,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SsoCodeRecord>> {
        let code_hash = code_hash.to_string();
        self.write(move |conn| {
            let taken = conn
                .query_row(
                    "DELETE FROM sso_codes WHERE code_hash = ?1 \
                     RETURNING user_id, binding_hash, next, expires_at",
                    [&code_hash],
                    |row| {
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, String>(2)?,
                            row.get::<_, i64>(3)?,
                        ))
                    },
                )
                .optional()
                .map_err(db)?;
            let Some((user_id, binding_hash, next, at)) = taken else {
                return Ok(None);
            };
            let expires_at = from_millis(at)?;
            Ok((expires_at > now).then_some(SsoCodeRecord {
                code_hash,
                user_id,
                binding_hash,
                next,
                expires_at,
            }))
        })
        .await
    }

    async fn purge_sso(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        self.write(move |conn| {
            let at = millis(now);
            let states = conn
                .execute("DELETE FROM sso_states WHERE expires_at < ?1", [at])
                .map_err(db)?;
            let codes = conn
                .execute("DELETE FROM sso_codes WHERE expires_at < ?1", [at])
                .map_err(db)?;
            Ok((states + codes) as u64)
        })
        .await
    }
}
