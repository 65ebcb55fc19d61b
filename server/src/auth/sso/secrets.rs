//! Random values of a sign-in (state, nonce, one-time code, browser binding), their stored
//! hashes, and the browser-binding cookie.
//!
//! The binding cookie ties a sign-in to the browser that started it: the pending request and
//! the one-time code store the hash of its value, and the callback and the code exchange must
//! come with the same cookie. A `state` or code copied into another browser is useless.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The browser-binding cookie's name.
pub const BINDING_COOKIE: &str = "kubeorch_sso";
/// The paths the cookie is sent to (the callback and the code exchange).
const BINDING_PATH: &str = "/api/auth/sso";
/// How long the cookie lives (the longest a pending sign-in lives).
pub const BINDING_SECS: i64 = 600;

/// 32 random bytes, base64url (43 characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    B64.encode(bytes)
}

/// SHA-256 of a value, hex: what the store keeps instead of the value.
pub fn hash(value: &str) -> String {
    Sha256::digest(value.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// True for a value [`random_token`] could have made.
pub fn is_token(value: &str) -> bool {
    value.len() == 43
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The `Set-Cookie` value that stores the binding `value`.
pub fn binding_cookie(value: &str, secure: bool) -> String {
    format!(
        "{BINDING_COOKIE}={value}; Path={BINDING_PATH}; HttpOnly; SameSite=Lax; Max-Age={BINDING_SECS}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The binding value the request carries, if well-formed.
pub fn binding_of(headers: &http::HeaderMap) -> Option<String> {
    crate::auth::request::cookie(headers, BINDING_COOKIE).filter(|v| is_token(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_recognised() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert!(is_token(&a));
        assert!(!is_token("short"));
        assert!(!is_token(&format!("{}=", &a[..42])));
        assert_eq!(hash(&a).len(), 64);
    }

    #[test]
    fn the_binding_cookie_is_scoped_and_http_only() {
        let cookie = binding_cookie("v", true);
        assert!(cookie.contains("Path=/api/auth/sso;"));
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        assert!(cookie.ends_with("; Secure"));
        let mut headers = http::HeaderMap::new();
        let value = random_token();
        headers.insert(
            http::header::COOKIE,
            format!("a=1; {BINDING_COOKIE}={value}")
                .parse()
                .expect("header"),
        );
        assert_eq!(binding_of(&headers), Some(value));
    }
}
