//! Reading a request for a session token and the client address, and writing the cookie.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use http::header::{AUTHORIZATION, COOKIE};
use http::request::Parts;

use super::token::LIFETIME;

/// The session cookie's name.
pub const COOKIE_NAME: &str = "kubeorch_session";

/// The `Set-Cookie` value that stores `token` (HttpOnly, SameSite=Lax, Secure when asked).
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        LIFETIME.num_seconds(),
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The token from `Authorization: Bearer …`, else from the session cookie.
pub fn token(parts: &Parts) -> Option<String> {
    let bearer = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty());
    if let Some(token) = bearer {
        return Some(token.to_string());
    }
    cookie(&parts.headers, COOKIE_NAME)
}

/// The value of the cookie `name`, if the request has a non-empty one.
pub fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, value)| *key == name && !value.is_empty())
        .map(|(_, value)| value.to_string())
}

/// The client's address: the connection's peer, or with `trust_proxy` the last address in
/// `X-Forwarded-For` (the one our own proxy appended).
pub fn client_ip(parts: &Parts, trust_proxy: bool) -> Option<IpAddr> {
    if trust_proxy {
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|part| part.trim().parse::<IpAddr>().ok())
            .next_back();
        if forwarded.is_some() {
            return forwarded;
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(headers: &[(&str, &str)]) -> Parts {
        let mut request = http::Request::builder();
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).expect("request").into_parts().0
    }

    #[test]
    fn bearer_wins_over_the_cookie() {
        let both = parts(&[
            ("authorization", "Bearer abc"),
            ("cookie", "x=1; kubeorch_session=def"),
        ]);
        assert_eq!(token(&both).as_deref(), Some("abc"));
        let cookie = parts(&[("cookie", "x=1; kubeorch_session=def; y=2")]);
        assert_eq!(token(&cookie).as_deref(), Some("def"));
        assert_eq!(token(&parts(&[("cookie", "kubeorch_session=")])), None);
        assert_eq!(token(&parts(&[])), None);
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let request = parts(&[("x-forwarded-for", "1.2.3.4, 10.0.0.7")]);
        assert_eq!(client_ip(&request, false), None);
        assert_eq!(client_ip(&request, true), Some(IpAddr::from([10, 0, 0, 7])));
    }

    #[test]
    fn cookies_are_http_only_and_lax() {
        let cookie = session_cookie("t", true);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        assert!(cookie.ends_with("; Secure"));
        assert!(!session_cookie("t", false).contains("Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }
}
