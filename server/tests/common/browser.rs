//! A browser stand-in for provider sign-ins: keeps cookies, never follows redirects by itself
//! (each hop is checked or driven by the test).

use reqwest::header::LOCATION;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

/// A cookie-keeping HTTP client pointed at the app.
pub struct Browser {
    pub app: String,
    pub http: reqwest::Client,
}

impl Browser {
    /// A fresh browser (no cookies) for the app at `app`.
    pub fn new(app: &str) -> anyhow::Result<Self> {
        Ok(Browser {
            app: app.to_string(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()?,
        })
    }

    /// An absolute URL for an app path (absolute URLs pass through).
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.app)
        }
    }

    /// GETs `path`, which must answer with a redirect; returns its `Location`.
    pub async fn redirect_from(&self, path: &str) -> anyhow::Result<String> {
        let response = self.http.get(self.url(path)).send().await?;
        location(response).await
    }

    /// POSTs a form to `path`, which must answer with a redirect; returns its `Location`.
    pub async fn post_redirect(&self, path: &str) -> anyhow::Result<String> {
        let response = self
            .http
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("")
            .send()
            .await?;
        location(response).await
    }

    /// POSTs JSON to an app path.
    pub async fn post_json(&self, path: &str, body: Value) -> anyhow::Result<Response> {
        Ok(self.http.post(self.url(path)).json(&body).send().await?)
    }

    /// GETs an app path.
    pub async fn get(&self, path: &str) -> anyhow::Result<Response> {
        Ok(self.http.get(self.url(path)).send().await?)
    }

    /// The signed-in user's email, if signed in.
    pub async fn whoami(&self) -> anyhow::Result<Option<String>> {
        let response = self.get("/api/auth/me").await?;
        if response.status() != StatusCode::OK {
            return Ok(None);
        }
        let user: Value = response.json().await?;
        Ok(user["email"].as_str().map(str::to_string))
    }

    /// Exchanges a one-time code (from `/auth/complete?code=…`).
    pub async fn exchange(&self, complete: &str) -> anyhow::Result<Response> {
        let code = query_value(complete, "code").unwrap_or_default();
        self.post_json("/api/auth/sso/exchange", json!({ "code": code }))
            .await
    }

    /// Registers a password account and stays signed in.
    pub async fn register(&self, email: &str, password: &str) -> anyhow::Result<Value> {
        let body = json!({"email": email, "name": "Password user", "password": password});
        let response = self.post_json("/api/auth/register", body).await?;
        anyhow::ensure!(
            response.status() == StatusCode::OK,
            "register: {}",
            response.status()
        );
        Ok(response.json().await?)
    }
}

/// The `Location` of a redirect response.
pub async fn location(response: Response) -> anyhow::Result<String> {
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    match location {
        Some(location) if status.is_redirection() => Ok(location),
        _ => anyhow::bail!(
            "expected a redirect, got {status}: {}",
            response.text().await?
        ),
    }
}

/// The value of `key` in the query of `url` (absolute or a local path).
pub fn query_value(url: &str, key: &str) -> Option<String> {
    let absolute = if url.starts_with('/') {
        format!("http://local{url}")
    } else {
        url.to_string()
    };
    let parsed = url::Url::parse(&absolute).ok()?;
    parsed
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}
