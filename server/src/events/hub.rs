//! A stream of events with ids, a bounded replay buffer and fan-out to any number of
//! subscribers. Each event is serialised once into a ready SSE frame (`Bytes`) shared by every
//! subscriber. Publishing never waits for subscribers: each has a bounded queue (a `broadcast`
//! receiver), and one that falls behind loses its stream and reconnects with `Last-Event-ID`.
//!
//! Ids come from one process-wide counter that starts at the start-up time in microseconds, so
//! they increase across hubs and restarts: an id this hub did not issue (or no longer buffers)
//! never replays wrong events, it gets a fresh snapshot.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use bytes::Bytes;
use tokio::sync::broadcast;

/// One encoded event.
#[derive(Clone, Debug)]
pub struct Frame {
    /// The event id.
    pub id: u64,
    /// The encoded `id:`/`event:`/`data:` block.
    pub bytes: Bytes,
}

/// The next event id (process-wide).
pub fn next_id() -> u64 {
    static COUNTER: OnceLock<AtomicU64> = OnceLock::new();
    COUNTER
        .get_or_init(|| {
            let start = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_micros() as u64);
            AtomicU64::new(start)
        })
        .fetch_add(1, Ordering::Relaxed)
}

/// Encodes an SSE event. `data` must be one line (JSON from serde_json is).
pub fn encode(id: u64, event: &str, data: &str) -> Bytes {
    let mut out = String::with_capacity(data.len() + event.len() + 32);
    out.push_str("id: ");
    out.push_str(&id.to_string());
    out.push_str("\nevent: ");
    out.push_str(event);
    for line in data.split('\n') {
        out.push_str("\ndata: ");
        out.push_str(line);
    }
    out.push_str("\n\n");
    Bytes::from(out)
}

struct Buffer {
    frames: VecDeque<Frame>,
    /// Ids up to and including this one are not replayable from here.
    floor: u64,
    /// The last id this hub issued.
    last: u64,
}

/// The events of one topic (one workflow).
pub struct Hub {
    buffer: Mutex<Buffer>,
    capacity: usize,
    sender: broadcast::Sender<Frame>,
}

/// What a new subscriber gets: the frames to send first and the live receiver.
pub struct Subscription {
    /// Replayed frames, or the snapshot frame.
    pub initial: Vec<Frame>,
    /// Everything published afterwards.
    pub receiver: broadcast::Receiver<Frame>,
}

impl Hub {
    /// A hub replaying up to `buffer` events; each subscriber may lag `queue` events.
    pub fn new(buffer: usize, queue: usize) -> Self {
        let floor = next_id();
        Hub {
            buffer: Mutex::new(Buffer {
                frames: VecDeque::with_capacity(buffer.min(1024)),
                floor,
                last: floor,
            }),
            capacity: buffer.max(1),
            sender: broadcast::channel(queue.max(1)).0,
        }
    }

    /// Publishes an event and returns its id (ids and delivery order are decided under one lock,
    /// so they always agree).
    pub fn publish(&self, event: &str, data: &str) -> u64 {
        let mut buffer = self.buffer.lock().unwrap_or_else(|e| e.into_inner());
        let id = next_id();
        let frame = Frame {
            id,
            bytes: encode(id, event, data),
        };
        if buffer.frames.len() == self.capacity {
            if let Some(old) = buffer.frames.pop_front() {
                buffer.floor = old.id;
            }
        }
        buffer.frames.push_back(frame.clone());
        buffer.last = id;
        let _ = self.sender.send(frame);
        id
    }

    /// Subscribes. With `last_event_id` still replayable, the missed frames come first; else
    /// `snapshot` is called (under the lock, so nothing published in between is lost or doubled)
    /// and its `(event, data)` is sent first with the latest id.
    pub fn subscribe(
        &self,
        last_event_id: Option<u64>,
        snapshot: impl FnOnce() -> (String, String),
    ) -> Subscription {
        let buffer = self.buffer.lock().unwrap_or_else(|e| e.into_inner());
        let receiver = self.sender.subscribe();
        let initial = match last_event_id {
            Some(last) if last >= buffer.floor && last <= buffer.last => buffer
                .frames
                .iter()
                .filter(|f| f.id > last)
                .cloned()
                .collect(),
            _ => {
                let (event, data) = snapshot();
                vec![Frame {
                    id: buffer.last,
                    bytes: encode(buffer.last, &event, &data),
                }]
            }
        };
        Subscription { initial, receiver }
    }

    /// How many subscribers are connected.
    pub fn subscribers(&self) -> usize {
        self.sender.receiver_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(frames: &[Frame]) -> Vec<String> {
        frames
            .iter()
            .map(|f| String::from_utf8_lossy(&f.bytes).to_string())
            .collect()
    }

    #[test]
    fn frames_are_sse_blocks_with_ids() {
        let frame = encode(7, "node_update", "{\"a\":1}");
        assert_eq!(
            &frame[..],
            b"id: 7\nevent: node_update\ndata: {\"a\":1}\n\n"
        );
        assert_eq!(
            &encode(1, "x", "a\nb")[..],
            b"id: 1\nevent: x\ndata: a\ndata: b\n\n"
        );
    }

    #[test]
    fn replay_from_the_buffer_else_a_snapshot() {
        let hub = Hub::new(3, 16);
        let first = hub.subscribe(None, || ("snapshot".into(), "{}".into()));
        assert!(text(&first.initial)[0].contains("event: snapshot"));
        let ids: Vec<u64> = (0..5)
            .map(|i| hub.publish("node_update", &i.to_string()))
            .collect();
        let replay = hub.subscribe(Some(ids[2]), || unreachable!("replayable"));
        assert_eq!(
            replay.initial.iter().map(|f| f.id).collect::<Vec<_>>(),
            ids[3..]
        );
        let caught_up = hub.subscribe(Some(ids[4]), || unreachable!("replayable"));
        assert!(caught_up.initial.is_empty());
        let evicted = hub.subscribe(Some(ids[0]), || ("snapshot".into(), "{\"n\":5}".into()));
        assert_eq!(evicted.initial.len(), 1);
        assert_eq!(
            evicted.initial[0].id, ids[4],
            "snapshot carries the latest id"
        );
        let foreign = hub.subscribe(Some(1), || ("snapshot".into(), "{}".into()));
        assert!(text(&foreign.initial)[0].contains("snapshot"));
        let future = hub.subscribe(Some(u64::MAX), || ("snapshot".into(), "{}".into()));
        assert!(text(&future.initial)[0].contains("snapshot"));
    }

    #[tokio::test]
    async fn slow_subscribers_lag_without_blocking_the_publisher() {
        let hub = Hub::new(8, 4);
        let mut slow = hub
            .subscribe(None, || ("snapshot".into(), "{}".into()))
            .receiver;
        for i in 0..10 {
            hub.publish("e", &i.to_string());
        }
        assert!(matches!(
            slow.recv().await,
            Err(broadcast::error::RecvError::Lagged(6))
        ));
        assert_eq!(hub.subscribers(), 1);
    }
}
