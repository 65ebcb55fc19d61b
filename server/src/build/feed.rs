//! The event stream of each build (`progress`, `log`, `complete`, `failed`): numbered 1, 2, 3, …
//! per build, which is also the SSE `id:`. While a build runs, its [`Feed`] keeps every event in
//! memory (bounded) for new and reconnecting viewers and hands them to the store in batches; when
//! it ends, everything is stored before the feed goes away, so a late viewer reads the whole log
//! from the store. `Last-Event-ID` resumes after that event either way.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use app::model::build::{Build, BuildState};

use crate::events::hub::{encode, Frame, Subscription};
use crate::store::{BuildEventRecord, DynStore, StoreResult};

/// Most events kept per build; later log lines are dropped (one note says so).
pub const MAX_EVENTS: usize = 20_000;
/// How many live events a viewer may lag behind before its stream ends (it then resumes).
const QUEUE: usize = 1024;

#[derive(Default)]
struct Inner {
    frames: Vec<Frame>,
    unsaved: Vec<BuildEventRecord>,
    truncated: bool,
}

/// The live events of one running build.
pub struct Feed {
    inner: Mutex<Inner>,
    sender: broadcast::Sender<Frame>,
}

impl Feed {
    fn new() -> Self {
        Feed {
            inner: Mutex::new(Inner::default()),
            sender: broadcast::channel(QUEUE).0,
        }
    }

    /// Appends an event and sends it to the viewers. Log lines beyond [`MAX_EVENTS`] are
    /// dropped; other events always go through.
    pub fn publish(&self, event: &str, data: &str) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.frames.len() >= MAX_EVENTS && event == "log" {
            if inner.truncated {
                return;
            }
            inner.truncated = true;
            let note = r#"{"stage":"building","stream":"kubeorch","line":"(log truncated: too many lines)"}"#;
            push(&mut inner, &self.sender, "log", note);
            return;
        }
        push(&mut inner, &self.sender, event, data);
    }

    /// Subscribes: the events after `last` first, then live ones.
    pub fn subscribe(&self, last: Option<u64>) -> Subscription {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let after = last.unwrap_or(0);
        Subscription {
            initial: inner
                .frames
                .iter()
                .filter(|f| f.id > after)
                .cloned()
                .collect(),
            receiver: self.sender.subscribe(),
        }
    }

    fn take_unsaved(&self) -> Vec<BuildEventRecord> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut inner.unsaved)
    }
}

fn push(inner: &mut Inner, sender: &broadcast::Sender<Frame>, event: &str, data: &str) {
    let seq = inner.frames.len() as u64 + 1;
    let frame = Frame {
        id: seq,
        bytes: encode(seq, event, data),
    };
    inner.frames.push(frame.clone());
    inner.unsaved.push(BuildEventRecord {
        seq,
        event: event.to_string(),
        data: data.to_string(),
    });
    let _ = sender.send(frame);
}

/// The feeds of the running builds.
pub struct Feeds {
    store: DynStore,
    running: Mutex<HashMap<String, Arc<Feed>>>,
}

impl Feeds {
    /// No running builds yet.
    pub fn new(store: DynStore) -> Self {
        Feeds {
            store,
            running: Mutex::new(HashMap::new()),
        }
    }

    /// Opens the feed of a build that starts now.
    pub fn open(&self, build_id: &str) -> Arc<Feed> {
        let feed = Arc::new(Feed::new());
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(build_id.to_string(), feed.clone());
        feed
    }

    /// Stores the events not stored yet.
    pub async fn flush(&self, build_id: &str, feed: &Feed) -> StoreResult<()> {
        let events = feed.take_unsaved();
        if events.is_empty() {
            return Ok(());
        }
        self.store.append_build_events(build_id, &events).await
    }

    /// Stores the rest and closes the feed: viewers' streams end, later ones read the store.
    pub async fn close(&self, build_id: &str, feed: &Feed) -> StoreResult<()> {
        let stored = self.flush(build_id, feed).await;
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(build_id);
        stored
    }

    /// A viewer's subscription to `build` (its ownership is checked by the caller).
    ///
    /// A finished build whose stored stream has no final event (a server restart interrupted
    /// it: the record was marked failed, but the stream was never closed) gets one made from its
    /// record, with id [`FINAL_FROM_RECORD_ID`], so viewers see how it ended and stop reconnecting.
    pub async fn subscribe(&self, build: &Build, last: Option<u64>) -> StoreResult<Subscription> {
        let live = self
            .running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&build.id)
            .cloned();
        if let Some(feed) = live {
            return Ok(feed.subscribe(last));
        }
        let after = last.unwrap_or(0);
        let mut stored = self.store.build_events(&build.id, after).await?;
        if build.state.is_finished()
            && after < FINAL_FROM_RECORD_ID
            && !self.has_final_event(&build.id, after, &stored).await?
        {
            stored.push(BuildEventRecord {
                seq: FINAL_FROM_RECORD_ID,
                event: final_event(build.state).into(),
                data: serde_json::to_string(build).unwrap_or_default(),
            });
        }
        let (sender, receiver) = broadcast::channel(1);
        drop(sender);
        Ok(Subscription {
            initial: stored
                .into_iter()
                .map(|e| Frame {
                    id: e.seq,
                    bytes: encode(e.seq, &e.event, &e.data),
                })
                .collect(),
            receiver,
        })
    }
}

impl Feeds {
    /// Whether the build's stored stream ends with its final event, given `stored`: its events
    /// after `after`. Only a viewer resuming after the last stored event needs another read.
    async fn has_final_event(
        &self,
        build_id: &str,
        after: u64,
        stored: &[BuildEventRecord],
    ) -> StoreResult<bool> {
        if stored.iter().any(is_final) {
            return Ok(true);
        }
        if !stored.is_empty() || after == 0 {
            return Ok(false);
        }
        let all = self.store.build_events(build_id, 0).await?;
        Ok(all.iter().any(is_final))
    }
}

/// The id of a final event made from the record of a build whose stream has none.
pub const FINAL_FROM_RECORD_ID: u64 = u64::MAX;

/// The event that ends the stream of a build that ended in `state`.
pub fn final_event(state: BuildState) -> &'static str {
    if state == BuildState::Completed {
        "complete"
    } else {
        "failed"
    }
}

fn is_final(event: &BuildEventRecord) -> bool {
    event.event == "complete" || event.event == "failed"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_numbered_and_replayed_after_the_last_seen() {
        let feed = Feed::new();
        for i in 0..5 {
            feed.publish("log", &format!("{{\"n\":{i}}}"));
        }
        let all = feed.subscribe(None);
        assert_eq!(
            all.initial.iter().map(|f| f.id).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        let rest = feed.subscribe(Some(3));
        assert_eq!(
            rest.initial.iter().map(|f| f.id).collect::<Vec<_>>(),
            [4, 5]
        );
        assert_eq!(feed.take_unsaved().len(), 5);
        assert!(feed.take_unsaved().is_empty());
    }

    #[test]
    fn logs_are_capped_but_final_events_are_not() {
        let feed = Feed::new();
        for _ in 0..MAX_EVENTS + 10 {
            feed.publish("log", "{}");
        }
        feed.publish("failed", "{}");
        let frames = feed.subscribe(None).initial;
        assert_eq!(frames.len(), MAX_EVENTS + 2);
        let last = String::from_utf8_lossy(&frames[frames.len() - 1].bytes).to_string();
        assert!(last.contains("event: failed"));
    }

    fn ids_and_events(subscription: &Subscription) -> Vec<(u64, String)> {
        subscription
            .initial
            .iter()
            .map(|f| {
                let text = String::from_utf8_lossy(&f.bytes).to_string();
                let event = text
                    .lines()
                    .find_map(|l| l.strip_prefix("event: "))
                    .unwrap_or_default()
                    .to_string();
                (f.id, event)
            })
            .collect()
    }

    #[tokio::test]
    async fn a_build_interrupted_by_a_restart_ends_its_stream_with_its_record() -> anyhow::Result<()>
    {
        use crate::store::sqlite::SqliteStore;
        use crate::store::BuildRecord;
        let dir = tempfile::tempdir()?;
        let store: DynStore = Arc::new(SqliteStore::open(&dir.path().join("db.sqlite")).await?);
        let build = |id: &str, state: &str| -> anyhow::Result<Build> {
            Ok(serde_json::from_value(serde_json::json!({
                "id": id, "repo_url": "https://example.com/r.git", "branch": "main",
                "context": ".", "image": "app", "tag": "1", "registry_id": "r",
                "registry_name": "local", "state": state, "created_at": "2026-11-30T00:00:00Z",
            }))?)
        };
        let event = |seq: u64, event: &str| BuildEventRecord {
            seq,
            event: event.into(),
            data: "{}".into(),
        };
        for (id, state, events) in [
            (
                "cut",
                "building",
                vec![event(1, "progress"), event(2, "log")],
            ),
            (
                "done",
                "completed",
                vec![event(1, "log"), event(2, "complete")],
            ),
        ] {
            let build = build(id, state)?;
            store
                .insert_build(&BuildRecord {
                    owner_id: "ann".into(),
                    build,
                })
                .await?;
            store.append_build_events(id, &events).await?;
        }
        store
            .interrupt_unfinished_builds(chrono::Utc::now(), "restarted")
            .await?;
        let feeds = Feeds::new(store.clone());
        let cut = store
            .build("ann", "cut")
            .await?
            .ok_or_else(|| anyhow::anyhow!("gone"))?;

        let all = feeds.subscribe(&cut, None).await?;
        let from_record = (FINAL_FROM_RECORD_ID, "failed".to_string());
        assert_eq!(
            ids_and_events(&all),
            [
                (1, "progress".into()),
                (2, "log".into()),
                from_record.clone()
            ]
        );
        let last = String::from_utf8_lossy(&all.initial[2].bytes).to_string();
        assert!(
            last.contains(r#""state":"failed""#) && last.contains("restarted"),
            "{last}"
        );
        assert_eq!(
            ids_and_events(&feeds.subscribe(&cut, Some(2)).await?),
            [from_record]
        );
        assert!(feeds
            .subscribe(&cut, Some(FINAL_FROM_RECORD_ID))
            .await?
            .initial
            .is_empty());

        let done = build("done", "completed")?;
        assert_eq!(
            ids_and_events(&feeds.subscribe(&done, None).await?),
            [(1, "log".into()), (2, "complete".into())]
        );
        assert!(feeds.subscribe(&done, Some(2)).await?.initial.is_empty());
        Ok(())
    }
}
