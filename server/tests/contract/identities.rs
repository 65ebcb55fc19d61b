//! Identities at external providers, pending provider sign-ins and one-time codes.

use anyhow::ensure;
use chrono::Duration;
use server::store::records::now;
use server::store::{
    DynStore, IdentityRecord, NewUser, SignupGate, SsoCodeRecord, SsoStateRecord, StoreError,
    Unlink,
};

use app::model::Role;

use super::users::new_user;

fn identity(provider: &str, subject: &str, user_id: &str) -> IdentityRecord {
    IdentityRecord {
        provider: provider.into(),
        subject: subject.into(),
        user_id: user_id.into(),
        email: Some(format!("{subject}@idp.example")),
        email_verified: true,
        created_at: now(),
    }
}

fn sso_user(email: &str) -> NewUser {
    NewUser {
        password_hash: None,
        ..new_user(email)
    }
}

pub async fn users_come_with_their_first_identity_or_not_at_all(
    store: &DynStore,
) -> anyhow::Result<()> {
    let first = sso_user("ada@example.com");
    let ada = store
        .create_user_with_identity(
            first.clone(),
            identity("corp", "s-ada", &first.id),
            SignupGate::Closed,
        )
        .await?;
    ensure!(
        ada.role == Role::Admin,
        "the first user is admin, via SSO too"
    );
    ensure!(ada.password_hash.is_none());
    let found = store.identity("corp", "s-ada").await?;
    ensure!(found.as_ref().map(|i| i.user_id.as_str()) == Some(ada.id.as_str()));
    ensure!(
        store.identity("other", "s-ada").await?.is_none(),
        "per provider"
    );

    let bob = sso_user("bob@example.com");
    let closed = store
        .create_user_with_identity(
            bob.clone(),
            identity("corp", "s-bob", &bob.id),
            SignupGate::Closed,
        )
        .await;
    ensure!(
        matches!(closed, Err(StoreError::SignupClosed)),
        "{closed:?}"
    );
    ensure!(
        store.identity("corp", "s-bob").await?.is_none(),
        "no identity left behind"
    );

    let same_email = sso_user("ada@example.com");
    let taken = store
        .create_user_with_identity(
            same_email.clone(),
            identity("corp", "s-other", &same_email.id),
            SignupGate::Open,
        )
        .await;
    ensure!(matches!(taken, Err(StoreError::EmailTaken)), "{taken:?}");
    ensure!(store.identity("corp", "s-other").await?.is_none());
    ensure!(store.user_by_id(&same_email.id).await?.is_none());

    let carol = sso_user("carol@example.com");
    let twice = store
        .create_user_with_identity(
            carol.clone(),
            identity("corp", "s-ada", &carol.id),
            SignupGate::Open,
        )
        .await;
    ensure!(matches!(twice, Err(StoreError::IdentityTaken)), "{twice:?}");
    ensure!(store.user_by_email("carol@example.com").await?.is_none());
    Ok(())
}

pub async fn concurrent_first_signups_by_password_and_provider_make_one_admin(
    store: &DynStore,
) -> anyhow::Result<()> {
    let attempts = (0..8).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            let email = format!("u{i}@example.com");
            if i % 2 == 0 {
                return store
                    .create_user(new_user(&email), SignupGate::Closed)
                    .await;
            }
            let user = sso_user(&email);
            let subject = format!("s-{i}");
            let linked = identity("corp", &subject, &user.id);
            store
                .create_user_with_identity(user, linked, SignupGate::Closed)
                .await
        })
    });
    let mut admins = vec![];
    let mut refused = 0;
    for attempt in futures::future::join_all(attempts).await {
        match attempt? {
            Ok(user) if user.role == Role::Admin => admins.push(user),
            Err(StoreError::SignupClosed) => refused += 1,
            other => anyhow::bail!("unexpected outcome {other:?}"),
        }
    }
    ensure!(
        admins.len() == 1 && refused == 7,
        "admins {}, refused {refused}",
        admins.len()
    );
    let mut left = vec![];
    for i in 0..8 {
        left.extend(store.identity("corp", &format!("s-{i}")).await?);
    }
    let admin_id = admins[0].id.as_str();
    ensure!(
        left.iter().all(|i| i.user_id == admin_id) && left.len() <= 1,
        "only the admin keeps an identity: {left:?}"
    );
    Ok(())
}

pub async fn identities_link_once_and_list_oldest_first(store: &DynStore) -> anyhow::Result<()> {
    let ada = store
        .create_user(new_user("ada@example.com"), SignupGate::Open)
        .await?;
    let bob = store
        .create_user(new_user("bob@example.com"), SignupGate::Open)
        .await?;
    let mut github = identity("github", "1001", &ada.id);
    github.created_at = now() - Duration::minutes(5);
    github.email_verified = false;
    store.link_identity(github.clone()).await?;
    store.link_identity(identity("corp", "a", &ada.id)).await?;
    let stolen = store
        .link_identity(identity("github", "1001", &bob.id))
        .await;
    ensure!(
        matches!(stolen, Err(StoreError::IdentityTaken)),
        "{stolen:?}"
    );
    let listed = store.identities(&ada.id).await?;
    ensure!(listed.len() == 2 && listed[0] == github, "{listed:?}");
    ensure!(listed[1].provider == "corp");
    ensure!(store.identities(&bob.id).await?.is_empty());
    Ok(())
}

pub async fn the_last_way_to_sign_in_cannot_be_unlinked(store: &DynStore) -> anyhow::Result<()> {
    let first = sso_user("ada@example.com");
    let ada = store
        .create_user_with_identity(
            first.clone(),
            identity("corp", "a", &first.id),
            SignupGate::Open,
        )
        .await?;
    let last = store.unlink_identity(&ada.id, "corp", "a").await?;
    ensure!(last == Unlink::LastLoginMethod, "{last:?}");
    ensure!(store.identity("corp", "a").await?.is_some(), "still linked");

    store
        .link_identity(identity("github", "7", &ada.id))
        .await?;
    ensure!(store.unlink_identity(&ada.id, "corp", "a").await? == Unlink::Removed);
    ensure!(store.identity("corp", "a").await?.is_none());
    ensure!(store.unlink_identity(&ada.id, "github", "7").await? == Unlink::LastLoginMethod);

    let bob = store
        .create_user(new_user("bob@example.com"), SignupGate::Open)
        .await?;
    ensure!(
        store.unlink_identity(&bob.id, "github", "7").await? == Unlink::NotFound,
        "another user's identity is not found"
    );
    store.link_identity(identity("corp", "b", &bob.id)).await?;
    ensure!(
        store.unlink_identity(&bob.id, "corp", "b").await? == Unlink::Removed,
        "a password is a way to sign in"
    );
    ensure!(store.unlink_identity(&bob.id, "corp", "b").await? == Unlink::NotFound);
    Ok(())
}

fn state(hash: &str, valid_for: Duration) -> SsoStateRecord {
    SsoStateRecord {
        state_hash: hash.into(),
        provider: "corp".into(),
        binding_hash: "b".repeat(64),
        nonce: "n".into(),
        pkce_verifier: "v".into(),
        link_user_id: Some("u1".into()),
        next: "/workflows/1".into(),
        expires_at: now() + valid_for,
    }
}

fn code(hash: &str, valid_for: Duration) -> SsoCodeRecord {
    SsoCodeRecord {
        code_hash: hash.into(),
        user_id: "u1".into(),
        binding_hash: "b".repeat(64),
        next: "/".into(),
        expires_at: now() + valid_for,
    }
}

pub async fn sign_in_states_and_codes_are_taken_once_before_expiry(
    store: &DynStore,
) -> anyhow::Result<()> {
    let live = state("s1", Duration::minutes(10));
    store.put_sso_state(live.clone()).await?;
    store
        .put_sso_state(state("s2", Duration::seconds(-1)))
        .await?;
    ensure!(store.take_sso_state("s1", now()).await?.as_ref() == Some(&live));
    ensure!(
        store.take_sso_state("s1", now()).await?.is_none(),
        "single use"
    );
    ensure!(
        store.take_sso_state("s2", now()).await?.is_none(),
        "expired"
    );
    ensure!(store.take_sso_state("nope", now()).await?.is_none());

    let fresh = code("c1", Duration::seconds(60));
    store.put_sso_code(fresh.clone()).await?;
    store
        .put_sso_code(code("c2", Duration::seconds(60)))
        .await?;
    ensure!(store.take_sso_code("c1", now()).await?.as_ref() == Some(&fresh));
    ensure!(
        store.take_sso_code("c1", now()).await?.is_none(),
        "single use"
    );
    let later = now() + Duration::seconds(61);
    ensure!(store.take_sso_code("c2", later).await?.is_none(), "expired");
    ensure!(
        store.take_sso_code("c2", now()).await?.is_none(),
        "a late try burns it"
    );
    Ok(())
}

pub async fn expired_sign_in_states_and_codes_are_purged(store: &DynStore) -> anyhow::Result<()> {
    store
        .put_sso_state(state("old", Duration::seconds(-5)))
        .await?;
    store
        .put_sso_state(state("new", Duration::minutes(5)))
        .await?;
    store
        .put_sso_code(code("old", Duration::seconds(-5)))
        .await?;
    store
        .put_sso_code(code("new", Duration::minutes(5)))
        .await?;
    let purged = store.purge_sso(now()).await?;
    ensure!(purged == 2, "purged {purged}");
    ensure!(store.take_sso_state("new", now()).await?.is_some());
    ensure!(store.take_sso_code("new", now()).await?.is_some());
    Ok(())
}
