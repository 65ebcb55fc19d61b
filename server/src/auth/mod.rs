//! Accounts and sessions (spec §9): the server's implementation of
//! [`app::api::services::AccountService`].
//!
//! - Passwords: bcrypt cost 12 on the blocking pool ([`password`]); wrong email and wrong
//!   password get the same message and take about as long.
//! - Sessions: a JWT ([`token`]) in an HttpOnly, SameSite=Lax cookie (Secure when configured),
//!   or an `Authorization: Bearer` header. Every request re-checks it against the store: a
//!   logged-out token's `jti` is on the revocation list, and a password change moves the user's
//!   token generation on, which ends all their older sessions.
//! - Limits: log-in per address and per account, sign-up per address ([`limiter`]).
//! - Keys: from the environment, or generated into the data dir outside production ([`secrets`]).
//! - Single sign-on with GitHub and OpenID Connect providers ([`sso`]).

pub mod limiter;
pub mod password;
pub mod request;
pub mod secrets;
pub(crate) mod service;
pub mod sso;
pub mod token;

pub use service::AuthService;

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::store::{records::now, DynStore};

/// Deletes expired revocations, pending provider sign-ins and one-time codes every hour until
/// `shutdown`.
pub fn spawn_housekeeping(store: DynStore, shutdown: CancellationToken) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = every.tick() => {
                    if let Err(error) = store.purge_revocations(now()).await {
                        tracing::warn!("cannot purge expired revocations: {error}");
                    }
                    if let Err(error) = store.purge_sso(now()).await {
                        tracing::warn!("cannot purge expired sign-in states: {error}");
                    }
                }
            }
        }
    });
}
