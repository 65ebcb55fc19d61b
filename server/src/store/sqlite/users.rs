//! Users, invitations and revocations in SQLite.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, TransactionBehavior};

use app::model::Role;

use super::{db, from_millis, millis, SqliteStore};
use crate::store::{
    InviteRecord, NewUser, Revocation, SessionStore, SignupGate, StoreError, StoreResult,
    UserRecord, UserStore,
};

const USER_COLUMNS: &str =
    "id, email, name, password_hash, role, token_generation, created_at, updated_at";

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<RawUser> {
    Ok(RawUser {
        id: row.get(0)?,
        email: row.get(1)?,
        name: row.get(2)?,
        password_hash: row.get(3)?,
        role: row.get(4)?,
        token_generation: row.get(5)?,
        created_at: row.get(6)?,
        updated_at: row.get(7)?,
    })
}

struct RawUser {
    id: String,
    email: String,
    name: String,
    password_hash: Option<String>,
    role: String,
    token_generation: i64,
    created_at: i64,
    updated_at: i64,
}

impl RawUser {
    fn into_record(self) -> StoreResult<UserRecord> {
        Ok(UserRecord {
            role: Role::parse(&self.role)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown role `{}`", self.role)))?,
            token_generation: u64::try_from(self.token_generation)
                .map_err(|_| StoreError::Corrupt("negative token generation".into()))?,
            created_at: from_millis(self.created_at)?,
            updated_at: from_millis(self.updated_at)?,
            id: self.id,
            email: self.email,
            name: self.name,
            password_hash: self.password_hash,
        })
    }
}

pub(super) fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(e, _)
        if e.code == rusqlite::ErrorCode::ConstraintViolation)
}

/// Applies the sign-up gate inside the transaction; returns the role the new user gets.
fn admit(tx: &rusqlite::Transaction<'_>, gate: &SignupGate, user_id: &str) -> StoreResult<Role> {
    let any_user: bool = tx
        .query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |row| row.get(0))
        .map_err(db)?;
    if !any_user {
        return Ok(Role::Admin);
    }
    match gate {
        SignupGate::Open => Ok(Role::User),
        SignupGate::Closed => Err(StoreError::SignupClosed),
        SignupGate::Invite { code_hash, now } => {
            let claimed = tx
                .execute(
                    "UPDATE invites SET used_by = ?1 \
                     WHERE code_hash = ?2 AND used_by IS NULL AND expires_at > ?3",
                    params![user_id, code_hash, millis(*now)],
                )
                .map_err(db)?;
            if claimed == 1 {
                Ok(Role::User)
            } else {
                Err(StoreError::InviteInvalid)
            }
        }
    }
}

pub(super) fn select_user(
    conn: &rusqlite::Connection,
    column: &str,
    value: &str,
) -> StoreResult<Option<UserRecord>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE {column} = ?1");
    conn.query_row(&sql, [value], user_from_row)
        .optional()
        .map_err(db)?
        .map(RawUser::into_record)
        .transpose()
}

/// Inserts `user` inside `tx` under the sign-up `gate` (the first user becomes admin).
pub(super) fn insert_user(
    tx: &rusqlite::Transaction<'_>,
    user: NewUser,
    gate: &SignupGate,
) -> StoreResult<UserRecord> {
    let role = admit(tx, gate, &user.id)?;
    let at = millis(user.created_at);
    let inserted = tx.execute(
        "INSERT INTO users (id, email, name, password_hash, role, token_generation, \
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?6)",
        params![
            user.id,
            user.email,
            user.name,
            user.password_hash,
            role.as_str(),
            at
        ],
    );
    match inserted {
        Err(e) if is_unique_violation(&e) => return Err(StoreError::EmailTaken),
        other => other.map_err(db)?,
    };
    Ok(UserRecord {
        id: user.id,
        email: user.email,
        name: user.name,
        password_hash: user.password_hash,
        role,
        token_generation: 0,
        created_at: user.created_at,
        updated_at: user.created_at,
    })
}

#[async_trait]
impl UserStore for SqliteStore {
    async fn create_user(&self, user: NewUser, gate: SignupGate) -> StoreResult<UserRecord> {
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            let record = insert_user(&tx, user, &gate)?;
            tx.commit().map_err(db)?;
            Ok(record)
        })
        .await
    }

    async fn user_by_id(&self, id: &str) -> StoreResult<Option<UserRecord>> {
        let id = id.to_string();
        self.read(move |conn| select_user(conn, "id", &id)).await
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        let email = email.to_string();
        self.read(move |conn| select_user(conn, "email", &email))
            .await
    }

    async fn set_password(
        &self,
        id: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<UserRecord>> {
        let (id, hash) = (id.to_string(), password_hash.to_string());
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "UPDATE users SET password_hash = ?1, updated_at = ?2, \
                     token_generation = token_generation + 1 WHERE id = ?3",
                    params![hash, millis(now), id],
                )
                .map_err(db)?;
            if changed == 0 {
                return Ok(None);
            }
            select_user(conn, "id", &id)
        })
        .await
    }

    async fn create_invite(&self, invite: InviteRecord) -> StoreResult<()> {
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO invites (code_hash, created_by, created_at, expires_at) \
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    invite.code_hash,
                    invite.created_by,
                    millis(invite.created_at),
                    millis(invite.expires_at)
                ],
            )
            .map_err(db)?;
            Ok(())
        })
        .await
    }
}

#[async_trait]
impl SessionStore for SqliteStore {
    async fn revoke(&self, revocation: Revocation) -> StoreResult<()> {
        self.write(move |conn| {
            conn.execute(
                "INSERT OR IGNORE INTO revocations (jti, user_id, expires_at) VALUES (?1, ?2, ?3)",
                params![
                    revocation.jti,
                    revocation.user_id,
                    millis(revocation.expires_at)
                ],
            )
            .map_err(db)?;
            Ok(())
        })
        .await
    }

    async fn is_revoked(&self, jti: &str) -> StoreResult<bool> {
        let jti = jti.to_string();
        self.read(move |conn| {
            conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM revocations WHERE jti = ?1)",
                [jti],
                |row| row.get(0),
            )
            .map_err(db)
        })
        .await
    }

    async fn purge_revocations(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        self.write(move |conn| {
            let gone = conn
                .execute(
                    "DELETE FROM revocations WHERE expires_at < ?1",
                    [millis(now)],
                )
                .map_err(db)?;
            Ok(gone as u64)
        })
        .await
    }
}
