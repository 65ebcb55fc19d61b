//! `GET /api/events/health`: a heartbeat stream. Each event carries an increasing `id:`; a client
//! that reconnects with `Last-Event-ID: N` continues at N + 1.

use std::{convert::Infallible, time::Duration};

use super::last_event_id::last_event_id;
use crate::state::AppState;
use axum::{
    extract::State,
    http::HeaderMap,
    response::sse::{Event, KeepAlive, Sse},
};
use futures::{stream, Stream, StreamExt};

/// Streams a `heartbeat` event (data `{"seq":N,"uptime_secs":S}`, id N) at once and then every
/// configured interval, until the client goes away or the server shuts down.
pub async fn stream(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let first = last_event_id(&headers).map_or(1, |id| id.saturating_add(1));
    let started = state.info.started;
    let events = heartbeats(first, state.config.heartbeat()).map(move |seq| {
        let uptime_secs = started.elapsed().as_secs();
        Ok(Event::default()
            .event("heartbeat")
            .id(seq.to_string())
            .data(format!(r#"{{"seq":{seq},"uptime_secs":{uptime_secs}}}"#)))
    });
    Sse::new(events.take_until(state.shutdown.cancelled_owned()))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Sequence numbers from `first`, the first at once and then one per `every`.
fn heartbeats(first: u64, every: Duration) -> impl Stream<Item = u64> {
    stream::unfold(first, move |seq| async move {
        if seq != first {
            tokio::time::sleep(every).await;
        }
        Some((seq, seq.saturating_add(1)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn first_beat_is_immediate_then_one_per_interval() {
        let started = tokio::time::Instant::now();
        let beats: Vec<(u64, Duration)> = heartbeats(5, Duration::from_secs(3))
            .take(3)
            .map(|seq| (seq, started.elapsed()))
            .collect()
            .await;
        assert_eq!(
            beats,
            vec![
                (5, Duration::ZERO),
                (6, Duration::from_secs(3)),
                (7, Duration::from_secs(6)),
            ]
        );
    }
}
