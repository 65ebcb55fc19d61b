//! `make bench` figure for SSE fan-out (spec §14: 10k subscribers on 2 cores, p99 < 100 ms,
//! < 2 KiB each). The server side is the product's own event hub and SSE writer
//! (`server::events`) behind axum on 127.0.0.1; the subscribers run in a child process (so each
//! side has its own file descriptors and the server's memory is measured alone), each reading a
//! plain HTTP/1.1 event stream. The server publishes `node_update`-sized events stamped with the
//! wall clock; subscribers record the delay until they have read each one.
//!
//! `cargo run --release -p server --example sse_bench [subscribers] [events]`

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

use server::events::hub::Hub;
use server::events::sse;

/// Subscribers connecting at once.
const CONNECT_BATCH: usize = 250;

fn unix_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

async fn stream(State(hub): State<Arc<Hub>>) -> Response {
    let subscription = hub.subscribe(None, || ("snapshot".into(), "{\"nodes\":{}}".into()));
    sse::response(
        subscription,
        Duration::from_secs(15),
        CancellationToken::new(),
        (),
    )
}

async fn serve(subscribers: usize, events: usize) -> anyhow::Result<()> {
    let hub = Arc::new(Hub::new(1024, 512));
    let app = Router::new()
        .route("/events", get(stream))
        .with_state(hub.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    let before = rss_kib();
    let child = tokio::process::Command::new(std::env::current_exe()?)
        .args([
            "client",
            &addr.to_string(),
            &subscribers.to_string(),
            &events.to_string(),
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    while hub.subscribers() < subscribers {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let held = rss_kib().saturating_sub(before);
    for i in 0..events {
        let data = json!({"node_id": format!("web-{i}"), "status": {"state": "progressing",
            "message": "2 of 3 pods ready", "details": {"ready": "2", "desired": "3"}},
            "t": unix_micros()});
        hub.publish("node_update", &data.to_string());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let output = child.wait_with_output().await?;
    let report = String::from_utf8_lossy(&output.stdout);
    println!(
        "| {subscribers} | {events} | {report} | {:.2} |",
        held as f64 / subscribers as f64
    );
    Ok(())
}

/// Reads one stream until `events` stamped events arrived; returns their delays in µs.
async fn subscriber(addr: String, events: usize) -> anyhow::Result<Vec<u64>> {
    let mut socket = TcpStream::connect(&addr).await?;
    socket
        .write_all(
            format!("GET /events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n")
                .as_bytes(),
        )
        .await?;
    let mut delays = Vec::with_capacity(events);
    let mut buffer = vec![0u8; 4096];
    let mut pending = String::new();
    while delays.len() < events {
        let read = socket.read(&mut buffer).await?;
        anyhow::ensure!(read > 0, "stream closed after {} events", delays.len());
        let now = unix_micros();
        pending.push_str(&String::from_utf8_lossy(&buffer[..read]));
        while let Some(end) = pending.find('\n') {
            let line: String = pending.drain(..=end).collect();
            if let Some(t) = line.split("\"t\":").nth(1) {
                let stamp: u64 = t.trim_end_matches(|c: char| !c.is_ascii_digit()).parse()?;
                delays.push(now.saturating_sub(stamp));
            }
        }
    }
    Ok(delays)
}

async fn clients(addr: String, subscribers: usize, events: usize) -> anyhow::Result<()> {
    let mut tasks = Vec::with_capacity(subscribers);
    for batch in (0..subscribers).collect::<Vec<_>>().chunks(CONNECT_BATCH) {
        for _ in batch {
            tasks.push(tokio::spawn(subscriber(addr.clone(), events)));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut delays = Vec::with_capacity(subscribers * events);
    let mut failed = 0;
    for task in tasks {
        match task.await? {
            Ok(d) => delays.extend(d),
            Err(_) => failed += 1,
        }
    }
    delays.sort_unstable();
    let at = |q: f64| {
        delays
            .get(((delays.len() as f64 * q) as usize).min(delays.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0) as f64
            / 1000.0
    };
    print!(
        "{} | {failed} | {:.1} | {:.1} | {:.1}",
        delays.len(),
        at(0.5),
        at(0.99),
        delays.last().copied().unwrap_or(0) as f64 / 1000.0
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("client") {
        let number = |i: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(0);
        return clients(
            args.get(1).cloned().unwrap_or_default(),
            number(2),
            number(3),
        )
        .await;
    }
    let subscribers = args.first().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let events = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20);
    println!("| subscribers | events | deliveries | subscribers failed | p50 ms | p99 ms | max ms | server memory per subscriber, KiB |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    serve(subscribers, events).await
}
