//! The SQLite schema and its migrations (tracked with `PRAGMA user_version`).

use rusqlite::Connection;

use super::db;
use crate::store::{StoreError, StoreResult};

/// Each entry moves the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT,
    role TEXT NOT NULL,
    token_generation INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE invites (
    code_hash TEXT PRIMARY KEY,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_by TEXT
);
CREATE TABLE revocations (
    jti TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX revocations_expiry ON revocations (expires_at);
CREATE TABLE workflows (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    cluster_id TEXT,
    status TEXT NOT NULL,
    graph TEXT NOT NULL,
    node_count INTEGER NOT NULL,
    current_version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX workflows_by_owner ON workflows (owner_id, updated_at DESC);
CREATE TABLE versions (
    workflow_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    content TEXT NOT NULL,
    author_id TEXT NOT NULL,
    message TEXT NOT NULL,
    tag TEXT,
    kind TEXT NOT NULL,
    restored_from INTEGER,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workflow_id, number)
);
"#,
    r#"
CREATE TABLE identities (
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL,
    email TEXT,
    email_verified INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX identities_by_user ON identities (user_id, created_at);
CREATE TABLE sso_states (
    state_hash TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    binding_hash TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    link_user_id TEXT,
    next TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE sso_codes (
    code_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    binding_hash TEXT NOT NULL,
    next TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
"#,
    r#"
CREATE TABLE clusters (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    name TEXT NOT NULL,
    server TEXT NOT NULL,
    auth TEXT NOT NULL,
    context TEXT,
    credentials BLOB NOT NULL,
    connection TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (owner_id, name)
);
CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    state TEXT NOT NULL,
    body TEXT NOT NULL,
    started_at INTEGER NOT NULL
);
CREATE INDEX runs_by_workflow ON runs (workflow_id, started_at DESC);
CREATE INDEX runs_by_state ON runs (state);
"#,
    r#"
CREATE TABLE registries (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    username TEXT,
    password BLOB NOT NULL,
    default_at INTEGER,
    check_result TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (owner_id, name)
);
CREATE TABLE builds (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    state TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX builds_by_owner ON builds (owner_id, created_at DESC);
CREATE INDEX builds_by_state ON builds (state);
CREATE TABLE build_events (
    build_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (build_id, seq)
);
"#,
];

/// Applies the migrations the database has not seen yet, each in its own transaction.
pub(super) fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let current: usize = conn
        .query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))
        .map_err(db)?
        .try_into()
        .map_err(|_| StoreError::Corrupt("negative schema version".into()))?;
    if current > MIGRATIONS.len() {
        return Err(StoreError::Corrupt(format!(
            "the database has schema version {current}, newer than this server knows ({}); \
             upgrade the server",
            MIGRATIONS.len()
        )));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction().map_err(db)?;
        tx.execute_batch(sql).map_err(db)?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)
            .map_err(db)?;
        tx.commit().map_err(db)?;
    }
    Ok(())
}
