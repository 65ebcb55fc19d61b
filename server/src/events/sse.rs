//! Writing a [`Subscription`] as a `text/event-stream` response: the initial frames, then live
//! frames as they come, a comment line as heartbeat, and the end of the stream when the client
//! falls behind (it reconnects with `Last-Event-ID`) or the server shuts down.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use futures::stream::{self, Stream};
use tokio::sync::broadcast::error::RecvError;
use tokio::time::{interval_at, Instant, Interval, MissedTickBehavior};
use tokio_util::sync::CancellationToken;

use super::hub::Subscription;

/// The heartbeat comment.
pub const HEARTBEAT: &[u8] = b": keep-alive\n\n";

struct State<G> {
    initial: std::vec::IntoIter<super::hub::Frame>,
    receiver: tokio::sync::broadcast::Receiver<super::hub::Frame>,
    beat: Interval,
    shutdown: CancellationToken,
    _guard: G,
}

/// The byte stream of a subscription. `guard` lives as long as the stream (subscriber
/// bookkeeping hangs on it).
pub fn frames<G: Send + 'static>(
    subscription: Subscription,
    heartbeat: Duration,
    shutdown: CancellationToken,
    guard: G,
) -> impl Stream<Item = Result<Bytes, Infallible>> + Send + 'static {
    let mut beat = interval_at(Instant::now() + heartbeat, heartbeat);
    beat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let state = State {
        initial: subscription.initial.into_iter(),
        receiver: subscription.receiver,
        beat,
        shutdown,
        _guard: guard,
    };
    stream::unfold(state, |mut state| async move {
        if let Some(frame) = state.initial.next() {
            return Some((Ok(frame.bytes), state));
        }
        let next = tokio::select! {
            _ = state.shutdown.cancelled() => None,
            _ = state.beat.tick() => Some(Bytes::from_static(HEARTBEAT)),
            received = state.receiver.recv() => match received {
                Ok(frame) => Some(frame.bytes),
                Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => None,
            },
        };
        next.map(|bytes| (Ok(bytes), state))
    })
}

/// A `text/event-stream` response over [`frames`].
pub fn response<G: Send + 'static>(
    subscription: Subscription,
    heartbeat: Duration,
    shutdown: CancellationToken,
    guard: G,
) -> Response {
    Response::builder()
        .header(http::header::CONTENT_TYPE, "text/event-stream")
        .header(http::header::CACHE_CONTROL, "no-cache")
        .header("x-accel-buffering", "no")
        .body(Body::from_stream(frames(
            subscription,
            heartbeat,
            shutdown,
            guard,
        )))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::hub::Hub;
    use futures::StreamExt;

    #[tokio::test(start_paused = true)]
    async fn initial_frames_then_live_then_heartbeats() {
        let hub = Hub::new(8, 8);
        let sub = hub.subscribe(None, || ("snapshot".into(), "{}".into()));
        let mut out = Box::pin(frames(
            sub,
            Duration::from_secs(15),
            CancellationToken::new(),
            (),
        ));
        let first = out.next().await.and_then(Result::ok).unwrap_or_default();
        assert!(first.starts_with(b"id: "));
        hub.publish("node_update", "{}");
        let live = out.next().await.and_then(Result::ok).unwrap_or_default();
        assert!(String::from_utf8_lossy(&live).contains("event: node_update"));
        let started = Instant::now();
        let beat = out.next().await.and_then(Result::ok).unwrap_or_default();
        assert_eq!(&beat[..], HEARTBEAT);
        assert_eq!(started.elapsed(), Duration::from_secs(15));
    }

    #[tokio::test]
    async fn a_lagging_client_is_ended() {
        let hub = Hub::new(8, 2);
        let sub = hub.subscribe(None, || ("snapshot".into(), "{}".into()));
        let mut out = Box::pin(frames(
            sub,
            Duration::from_secs(15),
            CancellationToken::new(),
            (),
        ));
        let _snapshot = out.next().await;
        for i in 0..5 {
            hub.publish("e", &i.to_string());
        }
        assert!(out.next().await.is_none(), "dropped, will reconnect");
    }
}
