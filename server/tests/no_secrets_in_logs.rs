//! Passwords and session tokens never reach the log (at any level) or a response body.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{expect, start};
use reqwest::StatusCode;
use serde_json::json;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut log) = self.0.lock() {
            log.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn passwords_and_tokens_stay_out_of_logs_and_answers() -> anyhow::Result<()> {
    let log = Captured::default();
    let writer = log.clone();
    tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .try_init()
        .map_err(|e| anyhow::anyhow!("{e}"))?;

    let (first, second, wrong) = (
        "first-Secret-pw-1",
        "second-Secret-pw-2",
        "wrong-Secret-pw-3",
    );
    let fx = start().await?;
    let mut ada = fx.server.client();
    let mut bodies = vec![ada.register("ada@example.com", first).await?.to_string()];
    let wrong_login = ada.login("ada@example.com", wrong).await?;
    bodies.push(
        expect(wrong_login, StatusCode::UNAUTHORIZED)
            .await?
            .to_string(),
    );
    let changed = ada
        .post(
            "/api/auth/password",
            json!({"current_password": first, "new_password": second}),
        )
        .await?;
    bodies.push(expect(changed, StatusCode::OK).await?.to_string());
    let token = ada.token.clone().unwrap_or_default();
    bodies.push(
        expect(ada.get("/api/auth/me").await?, StatusCode::OK)
            .await?
            .to_string(),
    );
    bodies.push(
        expect(
            ada.post("/api/auth/logout", json!({})).await?,
            StatusCode::OK,
        )
        .await?
        .to_string(),
    );

    let log = String::from_utf8_lossy(&log.0.lock().map_err(|_| anyhow::anyhow!("poisoned"))?)
        .to_string();
    assert!(log.contains("account created"), "the log was captured");
    let jwt_key = std::fs::read_to_string(fx.dir.path().join("jwt.key"))?;
    for secret in [first, second, wrong, token.as_str(), jwt_key.trim()] {
        assert!(!secret.is_empty());
        assert!(!log.contains(secret), "a secret is in the log");
        assert!(
            bodies.iter().all(|body| !body.contains(secret)),
            "a secret is in an answer"
        );
    }
    assert!(!log.contains("$2b$"), "no password hash in the log");
    Ok(())
}
