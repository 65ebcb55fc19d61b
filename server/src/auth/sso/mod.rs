//! Single sign-on (spec §9): log in with GitHub or any OpenID Connect provider.
//!
//! Flow (authorization code, RFC 6749 + the OAuth 2.0 Security BCP):
//! 1. `start`: fresh `state`, OIDC `nonce` and PKCE verifier (S256 challenge sent); the pending
//!    request is stored (only the hash of `state`) for ten minutes, bound to the browser by an
//!    HttpOnly cookie ([`secrets`]).
//! 2. `callback`: the pending request is taken (single use) and must belong to this provider and
//!    this browser; the `iss` parameter, when sent, must be the provider's; the code is redeemed
//!    with the PKCE verifier; for OIDC the id_token's signature (provider JWKS, asymmetric
//!    algorithms only), `iss`, `aud`, `exp`, `nonce` (and `at_hash`) are verified.
//! 3. The account is resolved ([`accounts`]): by `(provider, subject)`; a new user only from a
//!    verified email no account uses (no silent linking of an existing account).
//! 4. The callback ends with a one-time code (single use, short-lived, bound to the same
//!    browser) that the app exchanges for the session cookie with a same-site POST.
//!
//! Crates: `openidconnect` for OIDC — it is built on the `oauth2` crate (whose PKCE, state and
//! token request it uses) and adds discovery, JWKS and a complete id_token validation (OIDC
//! Core §3.1.3.7), which is easy to get subtly wrong by hand with a bare JWT library. GitHub is
//! plain OAuth2, so it uses `oauth2` directly. Both use the same `reqwest` client, which never
//! follows redirects (SSRF guard, as the crates advise).

mod accounts;
pub mod config;
mod github;
mod oidc;
mod provider;
mod routes;
pub mod secrets;
mod service;

pub use provider::{ExternalAccount, Failure};
pub use routes::routes;
pub use service::{CallbackParams, Purpose, SsoService, SsoSetupError, Started};
