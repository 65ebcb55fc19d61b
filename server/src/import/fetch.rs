//! Fetching a compose file or Kubernetes YAML from a URL: `https://` only (plain `http://` on the
//! loopback interface when local sources are allowed), no redirects, a time limit and the
//! import size cap read as a stream.

use std::time::Duration;

use futures::StreamExt;

use app::domain::import::error::MAX_BYTES;
use app::error::AppError;

/// The text at `url`.
pub async fn fetch(url: &str, allow_local: bool) -> Result<String, AppError> {
    let parsed = url::Url::parse(url.trim())
        .map_err(|e| AppError::Invalid(format!("url: cannot be read ({e})")))?;
    let host = parsed.host_str().unwrap_or_default();
    let allowed = match parsed.scheme() {
        "https" => !host.is_empty(),
        "http" => allow_local && matches!(host, "127.0.0.1" | "localhost" | "[::1]"),
        _ => false,
    };
    if !allowed {
        return Err(AppError::Invalid(
            "url: use an https:// URL to the raw file".into(),
        ));
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .map_err(|_| AppError::internal())?;
    let response = client.get(parsed.clone()).send().await.map_err(|e| {
        AppError::Invalid(format!(
            "url: the file cannot be fetched ({})",
            e.without_url()
        ))
    })?;
    if !response.status().is_success() {
        return Err(AppError::Invalid(format!(
            "url: the server answered {} (give the URL of the raw file; redirects are not followed)",
            response.status()
        )));
    }
    let mut body = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            AppError::Invalid(format!("url: download failed ({})", e.without_url()))
        })?;
        if body.len() + chunk.len() > MAX_BYTES {
            return Err(AppError::PayloadTooLarge(format!(
                "url: the file is larger than {MAX_BYTES} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    String::from_utf8(body).map_err(|_| AppError::Invalid("url: the file is not UTF-8 text".into()))
}
