//! Users, invitations and revocations.

use anyhow::ensure;
use chrono::Duration;
use server::store::records::now;
use server::store::{DynStore, InviteRecord, NewUser, Revocation, SignupGate, StoreError};

use app::model::Role;

pub fn new_user(email: &str) -> NewUser {
    NewUser {
        id: uuid::Uuid::now_v7().to_string(),
        email: email.to_string(),
        name: format!("User {email}"),
        password_hash: Some("$2b$12$not-a-real-hash".into()),
        created_at: now(),
    }
}

fn invite(code_hash: &str, created_by: &str, valid_for: Duration) -> InviteRecord {
    InviteRecord {
        code_hash: code_hash.to_string(),
        created_by: created_by.to_string(),
        created_at: now(),
        expires_at: now() + valid_for,
    }
}

fn with_invite(code_hash: &str) -> SignupGate {
    SignupGate::Invite {
        code_hash: code_hash.to_string(),
        now: now(),
    }
}

pub async fn first_user_is_admin_and_the_gate_decides_later_ones(
    store: &DynStore,
) -> anyhow::Result<()> {
    let admin = store
        .create_user(new_user("ada@example.com"), SignupGate::Closed)
        .await?;
    ensure!(
        admin.role == Role::Admin,
        "first user is admin even when closed"
    );
    let closed = store
        .create_user(new_user("bob@example.com"), SignupGate::Closed)
        .await;
    ensure!(
        matches!(closed, Err(StoreError::SignupClosed)),
        "{closed:?}"
    );
    let bob = store
        .create_user(new_user("bob@example.com"), SignupGate::Open)
        .await?;
    ensure!(bob.role == Role::User);
    let again = store
        .create_user(new_user("bob@example.com"), SignupGate::Open)
        .await;
    ensure!(matches!(again, Err(StoreError::EmailTaken)), "{again:?}");
    Ok(())
}

pub async fn concurrent_first_signups_make_exactly_one_admin(
    store: &DynStore,
) -> anyhow::Result<()> {
    let attempts = (0..8).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .create_user(new_user(&format!("u{i}@example.com")), SignupGate::Closed)
                .await
        })
    });
    let mut admins = 0;
    let mut refused = 0;
    for attempt in futures::future::join_all(attempts).await {
        match attempt? {
            Ok(user) if user.role == Role::Admin => admins += 1,
            Err(StoreError::SignupClosed) => refused += 1,
            other => anyhow::bail!("unexpected outcome {other:?}"),
        }
    }
    ensure!(
        admins == 1 && refused == 7,
        "admins {admins}, refused {refused}"
    );
    Ok(())
}

pub async fn invitations_are_single_use_and_expire(store: &DynStore) -> anyhow::Result<()> {
    let admin = store
        .create_user(new_user("ada@example.com"), SignupGate::Closed)
        .await?;
    let unknown = store
        .create_user(new_user("x@example.com"), with_invite("nope"))
        .await;
    ensure!(
        matches!(unknown, Err(StoreError::InviteInvalid)),
        "{unknown:?}"
    );

    store
        .create_invite(invite("good", &admin.id, Duration::hours(1)))
        .await?;
    // A failed sign-up (email taken) must not use the invitation up.
    let taken = store
        .create_user(new_user("ada@example.com"), with_invite("good"))
        .await;
    ensure!(matches!(taken, Err(StoreError::EmailTaken)), "{taken:?}");
    let carol = store
        .create_user(new_user("carol@example.com"), with_invite("good"))
        .await?;
    ensure!(carol.role == Role::User);
    let reused = store
        .create_user(new_user("dan@example.com"), with_invite("good"))
        .await;
    ensure!(
        matches!(reused, Err(StoreError::InviteInvalid)),
        "{reused:?}"
    );

    store
        .create_invite(invite("old", &admin.id, Duration::seconds(-1)))
        .await?;
    let expired = store
        .create_user(new_user("erin@example.com"), with_invite("old"))
        .await;
    ensure!(
        matches!(expired, Err(StoreError::InviteInvalid)),
        "{expired:?}"
    );
    Ok(())
}

pub async fn users_are_found_by_id_and_email(store: &DynStore) -> anyhow::Result<()> {
    let ada = store
        .create_user(new_user("ada@example.com"), SignupGate::Open)
        .await?;
    let by_id = store.user_by_id(&ada.id).await?;
    ensure!(by_id.as_ref() == Some(&ada), "{by_id:?} != {ada:?}");
    let by_email = store.user_by_email("ada@example.com").await?;
    ensure!(by_email.as_ref() == Some(&ada));
    ensure!(store.user_by_email("nobody@example.com").await?.is_none());
    ensure!(store.user_by_id("no-such-id").await?.is_none());
    Ok(())
}

pub async fn password_change_bumps_the_token_generation(store: &DynStore) -> anyhow::Result<()> {
    let ada = store
        .create_user(new_user("ada@example.com"), SignupGate::Open)
        .await?;
    ensure!(ada.token_generation == 0);
    let later = now() + Duration::seconds(1);
    let changed = store
        .set_password(&ada.id, "$2b$12$another", later)
        .await?
        .ok_or_else(|| anyhow::anyhow!("user vanished"))?;
    ensure!(changed.token_generation == 1);
    ensure!(changed.password_hash.as_deref() == Some("$2b$12$another"));
    ensure!(changed.updated_at == later && changed.created_at == ada.created_at);
    ensure!(store.user_by_id(&ada.id).await?.as_ref() == Some(&changed));
    ensure!(store
        .set_password("no-such-id", "x", later)
        .await?
        .is_none());
    Ok(())
}

pub async fn revocations_are_remembered_until_purged(store: &DynStore) -> anyhow::Result<()> {
    let live = Revocation {
        jti: "live".into(),
        user_id: "u1".into(),
        expires_at: now() + Duration::hours(24),
    };
    let expired = Revocation {
        jti: "expired".into(),
        user_id: "u1".into(),
        expires_at: now() - Duration::hours(1),
    };
    ensure!(!store.is_revoked("live").await?);
    store.revoke(live.clone()).await?;
    store.revoke(live).await?; // idempotent
    store.revoke(expired).await?;
    ensure!(store.is_revoked("live").await?);
    store.purge_revocations(now()).await?;
    ensure!(store.is_revoked("live").await?, "unexpired entries stay");
    ensure!(!store.is_revoked("expired").await?, "expired entries go");
    Ok(())
}
