//! From a verified provider account to a KubeOrch user, and the one-time code exchange.
//!
//! - An identity `(provider, subject)` that is linked signs in as its user.
//! - Otherwise a new user is created only from a **verified** email that no account uses yet;
//!   an existing account with that email is never linked silently (its owner logs in and links
//!   the provider from their profile). The first user of the system becomes admin as always.
//! - Linking needs the signed-in user who started it, and a provider account nobody else has.

use async_trait::async_trait;
use http::request::Parts;

use app::api::services::{Session, SignedIn, SsoService as SsoApi};
use app::error::AppError;
use app::model::{LinkedIdentity, LoginMethods, SsoProblem};

use super::provider::{ExternalAccount, Failure, Provider};
use super::secrets::{binding_of, hash, random_token};
use super::service::{internal, SsoService};
use crate::store::records::now;
use crate::store::{
    IdentityRecord, NewUser, SignupGate, SsoCodeRecord, SsoStateRecord, StoreError, Unlink,
    UserRecord,
};

/// The answer to a code that is unknown, used, expired or from another browser.
const BAD_CODE: &str = "This sign-in link expired or was already used. Please log in again.";

impl SsoService {
    /// The user `account` signs in as, created when new (see the module docs).
    pub(super) async fn login(
        &self,
        provider: &Provider,
        account: &ExternalAccount,
    ) -> Result<UserRecord, Failure> {
        let id = &provider.config().id;
        for _ in 0..2 {
            if let Some(user) = self.linked_user(id, &account.subject).await? {
                return Ok(user);
            }
            if let Some(user) = self.create(provider, account).await? {
                return Ok(user);
            }
            // A concurrent sign-in with the same account linked it meanwhile: look again.
        }
        Err(SsoProblem::Internal.into())
    }

    async fn linked_user(
        &self,
        provider: &str,
        subject: &str,
    ) -> Result<Option<UserRecord>, Failure> {
        let Some(identity) = self
            .store
            .identity(provider, subject)
            .await
            .map_err(|e| internal(&e))?
        else {
            return Ok(None);
        };
        let user = self
            .store
            .user_by_id(&identity.user_id)
            .await
            .map_err(|e| internal(&e))?;
        user.map(Some)
            .ok_or_else(|| internal(&format!("identity of a missing user {}", identity.user_id)))
    }

    /// A new user for `account`; `None` when its identity got linked concurrently.
    async fn create(
        &self,
        provider: &Provider,
        account: &ExternalAccount,
    ) -> Result<Option<UserRecord>, Failure> {
        let email = account
            .verified_email()
            .ok_or(SsoProblem::UnverifiedEmail)?;
        let existing = self
            .store
            .user_by_email(email)
            .await
            .map_err(|e| internal(&e))?;
        if existing.is_some() {
            return Err(SsoProblem::EmailExists.into());
        }
        let config = provider.config();
        let gate = if config.signup.unwrap_or(self.open_signup) {
            SignupGate::Open
        } else {
            SignupGate::Closed
        };
        let user = NewUser {
            id: uuid::Uuid::now_v7().to_string(),
            email: email.to_string(),
            name: account
                .name
                .clone()
                .unwrap_or_else(|| email.split('@').next().unwrap_or(email).to_string()),
            password_hash: None,
            created_at: now(),
        };
        let identity = identity_for(&config.id, account, &user.id);
        match self
            .store
            .create_user_with_identity(user, identity, gate)
            .await
        {
            Ok(created) => {
                tracing::info!(user = %created.id, provider = %config.id,
                    role = created.role.as_str(), "account created through a provider");
                Ok(Some(created))
            }
            Err(StoreError::IdentityTaken) => Ok(None),
            Err(StoreError::EmailTaken) => Err(SsoProblem::EmailExists.into()),
            Err(StoreError::SignupClosed | StoreError::InviteInvalid) => {
                Err(SsoProblem::SignupClosed.into())
            }
            Err(e) => Err(internal(&e)),
        }
    }

    /// Links `account` to the user `user_id` (already linked to them is fine).
    pub(super) async fn link(
        &self,
        provider: &Provider,
        account: &ExternalAccount,
        user_id: &str,
    ) -> Result<(), Failure> {
        let id = &provider.config().id;
        let existing = self
            .store
            .identity(id, &account.subject)
            .await
            .map_err(|e| internal(&e))?;
        match existing {
            Some(identity) if identity.user_id == user_id => Ok(()),
            Some(_) => Err(SsoProblem::AlreadyLinked.into()),
            None => match self
                .store
                .link_identity(identity_for(id, account, user_id))
                .await
            {
                Ok(()) => {
                    tracing::info!(user = %user_id, provider = %id, "identity linked");
                    Ok(())
                }
                Err(StoreError::IdentityTaken) => Err(SsoProblem::AlreadyLinked.into()),
                Err(e) => Err(internal(&e)),
            },
        }
    }

    /// Stores a one-time code for `user_id`, bound to the browser of `pending`; returns the
    /// page that exchanges it.
    pub(super) async fn issue_code(
        &self,
        user_id: &str,
        pending: &SsoStateRecord,
    ) -> Result<String, Failure> {
        let code = random_token();
        let record = SsoCodeRecord {
            code_hash: hash(&code),
            user_id: user_id.to_string(),
            binding_hash: pending.binding_hash.clone(),
            next: pending.next.clone(),
            expires_at: now() + self.code_lifetime,
        };
        self.store
            .put_sso_code(record)
            .await
            .map_err(|e| internal(&e))?;
        Ok(format!("/auth/complete?code={code}"))
    }

    async fn methods(&self, user: &UserRecord) -> Result<LoginMethods, AppError> {
        let identities = self
            .store
            .identities(&user.id)
            .await
            .map_err(|e| app_internal(&e))?;
        Ok(LoginMethods {
            has_password: user.password_hash.is_some(),
            identities: identities
                .into_iter()
                .map(|i| LinkedIdentity {
                    provider_name: self
                        .provider(&i.provider)
                        .map_or_else(|| i.provider.clone(), |p| p.config().name.clone()),
                    provider: i.provider,
                    subject: i.subject,
                    email: i.email,
                    linked_at: i.created_at,
                })
                .collect(),
            providers: self.provider_list(),
        })
    }

    async fn user(&self, session: &Session) -> Result<UserRecord, AppError> {
        self.store
            .user_by_id(&session.user.id)
            .await
            .map_err(|e| app_internal(&e))?
            .ok_or_else(AppError::signed_out)
    }
}

fn identity_for(provider: &str, account: &ExternalAccount, user_id: &str) -> IdentityRecord {
    IdentityRecord {
        provider: provider.to_string(),
        subject: account.subject.clone(),
        user_id: user_id.to_string(),
        email: account.email.clone(),
        email_verified: account.email_verified,
        created_at: now(),
    }
}

fn app_internal(error: &dyn std::fmt::Display) -> AppError {
    tracing::error!("sign-in: {error}");
    AppError::internal()
}

#[async_trait]
impl SsoApi for SsoService {
    fn providers(&self) -> Vec<app::model::ProviderInfo> {
        self.provider_list()
    }

    async fn exchange(
        &self,
        request: &Parts,
        code: String,
    ) -> Result<(SignedIn, String), AppError> {
        let bad = || AppError::Unauthorized(BAD_CODE.into());
        let code = code.trim();
        if !super::secrets::is_token(code) {
            return Err(bad());
        }
        let record = self
            .store
            .take_sso_code(&hash(code), now())
            .await
            .map_err(|e| app_internal(&e))?
            .ok_or_else(bad)?;
        let binding = binding_of(&request.headers).map(|b| hash(&b));
        if binding.as_deref() != Some(record.binding_hash.as_str()) {
            return Err(bad());
        }
        let user = self
            .store
            .user_by_id(&record.user_id)
            .await
            .map_err(|e| app_internal(&e))?
            .ok_or_else(bad)?;
        Ok((self.accounts.sign_in(&user)?, record.next))
    }

    async fn login_methods(&self, session: &Session) -> Result<LoginMethods, AppError> {
        self.methods(&self.user(session).await?).await
    }

    async fn unlink(
        &self,
        session: &Session,
        provider: String,
        subject: String,
    ) -> Result<LoginMethods, AppError> {
        let user = self.user(session).await?;
        let outcome = self
            .store
            .unlink_identity(&user.id, &provider, &subject)
            .await
            .map_err(|e| app_internal(&e))?;
        match outcome {
            Unlink::Removed => {
                tracing::info!(user = %user.id, provider = %provider, "identity unlinked");
                self.methods(&user).await
            }
            Unlink::NotFound => Err(AppError::NotFound(
                "No such linked account. Reload the page to see your current ones.".into(),
            )),
            Unlink::LastLoginMethod => Err(AppError::Conflict(
                "This is your only way to log in. Link another account first.".into(),
            )),
        }
    }
}
