//! `?watch=true`: a chunked stream of JSON lines (ADDED/MODIFIED/DELETED/BOOKMARK/ERROR),
//! replayed from a resourceVersion out of the bounded event log, with 410 Expired when that
//! history is gone, BOOKMARKs (incl. the initial-events-end one of streaming lists) and
//! `timeoutSeconds`.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use serde_json::{json, Value};
use tokio::sync::watch;
use tokio::time::{sleep_until, Instant};

use crate::core::Core;
use crate::discovery::{ResId, ResourceDef, RESOURCES};
use crate::reads::parse_rv;
use crate::selectors::Filter;
use crate::status::{ApiError, ApiResult};
use crate::store::{Event, EventType};

/// The watch query parameters.
#[derive(Clone, Debug, Default)]
pub struct WatchParams {
    /// `resourceVersion` to resume after (None or "0": start with the current objects).
    pub resource_version: Option<String>,
    /// `sendInitialEvents=true` (streaming lists).
    pub send_initial_events: bool,
    /// `allowWatchBookmarks=true`.
    pub bookmarks: bool,
    /// `timeoutSeconds`.
    pub timeout: Option<Duration>,
}

struct Session {
    core: Arc<Core>,
    def: &'static ResourceDef,
    res: ResId,
    filter: Filter,
    cursor: u64,
    initial: Option<Vec<Arc<Value>>>,
    initial_end: bool,
    bookmarks: bool,
    deadline: Instant,
    next_bookmark: Instant,
    rx: watch::Receiver<u64>,
    shutdown: watch::Receiver<bool>,
    outage: watch::Receiver<bool>,
    done: bool,
}

fn push_raw(buf: &mut Vec<u8>, kind: &str, obj: &[u8]) {
    buf.extend_from_slice(b"{\"type\":\"");
    buf.extend_from_slice(kind.as_bytes());
    buf.extend_from_slice(b"\",\"object\":");
    buf.extend_from_slice(obj);
    buf.extend_from_slice(b"}\n");
}

fn push_line(buf: &mut Vec<u8>, kind: &str, obj: &Value) {
    push_raw(
        buf,
        kind,
        &serde_json::to_vec(obj).unwrap_or_else(|_| b"{}".to_vec()),
    );
}

/// The event a filtered watcher sees for a logged change, if any.
fn translate(filter: &Filter, e: &Event) -> Option<&'static str> {
    let now = filter.matches(&e.object);
    let before = e.prev.as_deref().is_some_and(|p| filter.matches(p));
    let kind = match (e.kind, before, now) {
        (EventType::Added, _, true) | (EventType::Modified, false, true) => EventType::Added,
        (EventType::Modified, true, true) => EventType::Modified,
        (EventType::Modified, true, false) | (EventType::Deleted, _, true) => EventType::Deleted,
        _ => return None,
    };
    Some(kind.as_str())
}

impl Session {
    fn bookmark(&self, buf: &mut Vec<u8>, initial_end: bool) {
        let mut meta = json!({"resourceVersion": self.cursor.to_string()});
        if initial_end {
            meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
        }
        let obj =
            json!({"apiVersion": self.def.api_version(), "kind": self.def.kind, "metadata": meta});
        push_line(buf, "BOOKMARK", &obj);
    }

    /// Lines for everything logged since the cursor (an ERROR 410 line once that history is gone).
    fn drain(&mut self) -> Vec<u8> {
        self.rx.borrow_and_update();
        let mut buf = Vec::new();
        let store = self.core.store();
        let Some(events) = store.events_after(self.res, self.cursor) else {
            let status = ApiError::expired(format!(
                "too old resource version: {} ({})",
                self.cursor,
                store.bucket(self.res).evicted + 1
            ));
            push_line(&mut buf, "ERROR", &status.to_status());
            self.done = true;
            return buf;
        };
        let latest = store.rv();
        drop(store);
        for e in &events {
            if let Some(kind) = translate(&self.filter, e) {
                push_raw(&mut buf, kind, e.object_json());
            }
        }
        self.cursor = self.cursor.max(latest);
        buf
    }

    async fn next_chunk(&mut self) -> Option<Vec<u8>> {
        if self.done {
            return None;
        }
        if let Some(initial) = self.initial.take() {
            let mut buf = Vec::new();
            for obj in &initial {
                push_line(&mut buf, "ADDED", obj);
            }
            if self.initial_end {
                self.bookmark(&mut buf, true);
            }
            if !buf.is_empty() {
                return Some(buf);
            }
        }
        loop {
            let buf = self.drain();
            if !buf.is_empty() {
                return Some(buf);
            }
            let woke = tokio::select! {
                changed = self.rx.changed() => if changed.is_ok() { Wake::Changed } else { Wake::End },
                _ = sleep_until(self.deadline) => Wake::End,
                _ = sleep_until(self.next_bookmark), if self.bookmarks => Wake::Bookmark,
                _ = self.shutdown.wait_for(|down| *down) => Wake::End,
                _ = self.outage.wait_for(|down| *down) => Wake::End,
            };
            match woke {
                Wake::Changed => {}
                Wake::End => {
                    self.done = true;
                    return None;
                }
                Wake::Bookmark => {
                    self.next_bookmark = Instant::now() + self.core.config.bookmark_interval;
                    let mut buf = Vec::new();
                    self.bookmark(&mut buf, false);
                    return Some(buf);
                }
            }
        }
    }
}

enum Wake {
    Changed,
    Bookmark,
    End,
}

/// Starts a watch of `res` for objects matching `filter`.
pub fn start(core: Arc<Core>, res: ResId, filter: Filter, p: WatchParams) -> ApiResult<Response> {
    let rv = match p.resource_version.as_deref() {
        None | Some("") => None,
        Some(s) => Some(parse_rv(s)?),
    };
    let store = core.store();
    let from_snapshot = matches!(rv, None | Some(0)) || p.send_initial_events;
    let (cursor, initial) = if from_snapshot {
        let objects: Vec<Arc<Value>> = store
            .bucket(res)
            .objects
            .values()
            .filter(|o| filter.matches(o))
            .cloned()
            .collect();
        (store.rv(), Some(objects))
    } else {
        (rv.unwrap_or_default(), None)
    };
    let rx = store.bucket(res).notify.subscribe();
    drop(store);
    let now = Instant::now();
    let session = Session {
        def: &RESOURCES[res],
        res,
        filter,
        cursor,
        initial,
        initial_end: p.send_initial_events && p.bookmarks,
        bookmarks: p.bookmarks,
        deadline: now + p.timeout.unwrap_or(core.config.default_watch_timeout),
        next_bookmark: now + core.config.bookmark_interval,
        rx,
        shutdown: core.shutdown.subscribe(),
        outage: core.faults.outage_changes(),
        core,
        done: false,
    };
    let stream = futures::stream::unfold(session, |mut s| async move {
        s.next_chunk()
            .await
            .map(|chunk| (Ok::<_, Infallible>(Bytes::from(chunk)), s))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CACHE_CONTROL, "no-cache, private")
        .body(Body::from_stream(stream))
        .map_err(|e| ApiError::internal(format!("could not start the watch: {e}")))
}
