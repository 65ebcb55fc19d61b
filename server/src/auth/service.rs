//! The account service: sign-up, log-in, log-out, sessions, password change, invitations.

use async_trait::async_trait;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use chrono::Duration;
use http::request::Parts;
use rand::RngCore;
use sha2::{Digest, Sha256};

use app::api::auth::Registration;
use app::api::services::{AccountService, Session, SignedIn};
use app::error::AppError;
use app::model::Role;

use super::limiter::Limiter;
use super::password;
use super::request::{clear_cookie, client_ip, session_cookie, token};
use super::secrets::Keys;
use super::token::{Claims, TokenCodec, TokenError};
use crate::config::{Config, SignupMode};
use crate::store::records::now;
use crate::store::{
    DynStore, InviteRecord, NewUser, Revocation, SignupGate, StoreError, UserRecord,
};

/// How long an invitation code stays valid.
const INVITE_LIFETIME: Duration = Duration::days(7);
/// The one message for every failed log-in.
const BAD_LOGIN: &str = "Incorrect email or password.";

/// Accounts and sessions on top of the store.
pub struct AuthService {
    store: DynStore,
    tokens: TokenCodec,
    limiter: Limiter,
    signup: SignupMode,
    secure_cookies: bool,
    trust_proxy: bool,
}

impl AuthService {
    /// The service for `config`, signing with `keys`.
    pub fn new(store: DynStore, keys: &Keys, config: &Config) -> Result<Self, TokenError> {
        Ok(AuthService {
            store,
            tokens: TokenCodec::new(&keys.jwt)?,
            limiter: Limiter::new(config.signup_burst),
            signup: config.signup,
            secure_cookies: config.cookie_secure(),
            trust_proxy: config.trust_proxy,
        })
    }

    /// Signs `user` in: their profile and a fresh session cookie.
    pub(crate) fn sign_in(&self, user: &UserRecord) -> Result<SignedIn, AppError> {
        let (token, _) = self.tokens.issue(user, now()).map_err(internal)?;
        Ok(SignedIn {
            user: user.profile(),
            set_cookie: session_cookie(&token, self.secure_cookies),
        })
    }

    fn gate(&self, invite_code: Option<&str>) -> SignupGate {
        match self.signup {
            SignupMode::Open => SignupGate::Open,
            SignupMode::Closed => SignupGate::Closed,
            SignupMode::Invite => SignupGate::Invite {
                code_hash: hash_code(invite_code.unwrap_or_default().trim()),
                now: now(),
            },
        }
    }

    /// The valid claims and user behind a request, if any.
    async fn authenticate(
        &self,
        request: &Parts,
    ) -> Result<Option<(Claims, UserRecord)>, AppError> {
        let Some(claims) = token(request).and_then(|token| self.tokens.verify(&token)) else {
            return Ok(None);
        };
        if self.store.is_revoked(&claims.jti).await.map_err(internal)? {
            return Ok(None);
        }
        let user = self.store.user_by_id(&claims.sub).await.map_err(internal)?;
        Ok(user
            .filter(|user| user.token_generation == claims.r#gen)
            .map(|user| (claims, user)))
    }
}

#[async_trait]
impl AccountService for AuthService {
    async fn register(&self, request: &Parts, form: Registration) -> Result<SignedIn, AppError> {
        self.limiter
            .signup(client_ip(request, self.trust_proxy))
            .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
        let email = normalise_email(&form.email)?;
        let name = check_name(&form.name)?;
        password::check_policy(&form.password)?;
        let gate = self.gate(form.invite_code.as_deref());
        let password_hash = password::hash(form.password).await?;
        let new = NewUser {
            id: uuid::Uuid::now_v7().to_string(),
            email,
            name,
            password_hash: Some(password_hash),
            created_at: now(),
        };
        let user = self
            .store
            .create_user(new, gate)
            .await
            .map_err(|e| match e {
                StoreError::EmailTaken => AppError::Conflict(
                    "An account with this email already exists. Log in instead.".into(),
                ),
                StoreError::SignupClosed => AppError::Forbidden(
                    "Sign-up is closed on this server. Ask an administrator for an account.".into(),
                ),
                StoreError::InviteInvalid => AppError::Forbidden(
                    "Sign-up needs a valid invitation code (codes work once and expire).".into(),
                ),
                other => internal(other),
            })?;
        tracing::info!(user = %user.id, role = user.role.as_str(), "account created");
        self.sign_in(&user)
    }

    async fn login(
        &self,
        request: &Parts,
        email: String,
        password: String,
    ) -> Result<SignedIn, AppError> {
        let email = email.trim().to_lowercase();
        self.limiter
            .login(client_ip(request, self.trust_proxy), &email)
            .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
        let user = self.store.user_by_email(&email).await.map_err(internal)?;
        let hash = user.as_ref().and_then(|user| user.password_hash.clone());
        match user {
            Some(user) if password::verify(password, hash).await => self.sign_in(&user),
            _ => Err(AppError::Unauthorized(BAD_LOGIN.into())),
        }
    }

    async fn logout(&self, request: &Parts) -> Result<String, AppError> {
        if let Some(claims) = token(request).and_then(|token| self.tokens.verify(&token)) {
            let revocation = Revocation {
                expires_at: claims.expires_at(),
                jti: claims.jti,
                user_id: claims.sub,
            };
            self.store.revoke(revocation).await.map_err(internal)?;
        }
        Ok(clear_cookie(self.secure_cookies))
    }

    async fn session(&self, request: &Parts) -> Result<Option<Session>, AppError> {
        let found = self.authenticate(request).await?;
        Ok(found.map(|(_, user)| Session {
            user: user.profile(),
        }))
    }

    async fn change_password(
        &self,
        request: &Parts,
        session: &Session,
        current: String,
        new: String,
    ) -> Result<SignedIn, AppError> {
        password::check_policy(&new)?;
        self.limiter
            .login(client_ip(request, self.trust_proxy), &session.user.email)
            .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
        let user = self
            .store
            .user_by_id(&session.user.id)
            .await
            .map_err(internal)?;
        let hash = user.and_then(|user| user.password_hash);
        if !password::verify(current, hash).await {
            return Err(AppError::Invalid(
                "The current password is not correct.".into(),
            ));
        }
        let new_hash = password::hash(new).await?;
        let user = self
            .store
            .set_password(&session.user.id, &new_hash, now())
            .await
            .map_err(internal)?
            .ok_or_else(AppError::signed_out)?;
        self.sign_in(&user)
    }

    async fn create_invite(&self, session: &Session) -> Result<String, AppError> {
        if session.user.role != Role::Admin {
            return Err(AppError::Forbidden(
                "Only administrators can create invitations.".into(),
            ));
        }
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let code = B64.encode(bytes);
        let created_at = now();
        let invite = InviteRecord {
            code_hash: hash_code(&code),
            created_by: session.user.id.clone(),
            created_at,
            expires_at: created_at + INVITE_LIFETIME,
        };
        self.store.create_invite(invite).await.map_err(internal)?;
        Ok(code)
    }
}

/// SHA-256 of an invitation code, hex.
fn hash_code(code: &str) -> String {
    Sha256::digest(code.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Trims and lower-cases an email and checks it looks like one.
pub(crate) fn normalise_email(email: &str) -> Result<String, AppError> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    if valid {
        Ok(email)
    } else {
        Err(AppError::Invalid(
            "Enter a valid email address, like name@example.com.".into(),
        ))
    }
}

/// Trims a display name and checks its length.
fn check_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    match name.chars().count() {
        1..=100 => Ok(name.to_string()),
        _ => Err(AppError::Invalid(
            "Enter your name (1–100 characters).".into(),
        )),
    }
}

fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!("auth: {error}");
    AppError::internal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            normalise_email(" Ada@Example.COM ").ok().as_deref(),
            Some("ada@example.com")
        );
        for bad in ["", "ada", "@example.com", "ada@example", "a da@example.com"] {
            assert!(normalise_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn invitation_codes_are_stored_hashed() {
        let hashed = hash_code("abc");
        assert_eq!(hashed.len(), 64);
        assert_ne!(hashed, "abc");
        assert_eq!(hashed, hash_code("abc"));
    }
}
