//! Object storage: JSON objects per resource, one global resourceVersion counter, and a bounded
//! per-resource event log that feeds watches and consistent paged lists.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::watch;

use crate::discovery::{ResId, RESOURCES};

/// (namespace, name); namespace is empty for cluster-scoped objects.
pub type Key = (String, String);

/// Watch event type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    /// Object created.
    Added,
    /// Object changed.
    Modified,
    /// Object removed (the event carries its last state with a new resourceVersion).
    Deleted,
}

impl EventType {
    /// The wire name (`ADDED`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

/// One logged change.
#[derive(Debug)]
pub struct Event {
    /// resourceVersion of the change.
    pub rv: u64,
    /// What happened.
    pub kind: EventType,
    /// The object after the change (for DELETED: its last state, with the new rv).
    pub object: Arc<Value>,
    /// The object before the change (None for ADDED).
    pub prev: Option<Arc<Value>>,
    /// Which object.
    pub key: Key,
    /// `object` serialised once, on first use, for all watchers.
    json: std::sync::OnceLock<Vec<u8>>,
}

impl Event {
    /// The object as JSON (serialised once and shared by every watcher).
    pub fn object_json(&self) -> &[u8] {
        self.json
            .get_or_init(|| serde_json::to_vec(&*self.object).unwrap_or_else(|_| b"{}".to_vec()))
    }
}

/// Objects and history of one resource.
pub struct Bucket {
    /// Current objects.
    pub objects: BTreeMap<Key, Arc<Value>>,
    /// Recent events, oldest first.
    pub log: VecDeque<Arc<Event>>,
    /// The highest rv dropped from the log (history before it is gone).
    pub evicted: u64,
    /// Signalled with the latest rv after every change.
    pub notify: watch::Sender<u64>,
}

/// All objects of the sandbox.
pub struct Store {
    rv: u64,
    log_capacity: usize,
    buckets: Vec<Bucket>,
}

/// Extracts the object's store key.
pub fn key_of(obj: &Value) -> Key {
    let s = |p: &str| {
        obj.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    (s("/metadata/namespace"), s("/metadata/name"))
}

fn with_rv(obj: &Value, rv: u64) -> Value {
    let mut obj = obj.clone();
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("resourceVersion".into(), Value::String(rv.to_string()));
    }
    obj
}

impl Store {
    /// An empty store keeping at most `log_capacity` events per resource.
    pub fn new(log_capacity: usize) -> Self {
        Self::starting_at(log_capacity, 1)
    }

    /// An empty store whose resourceVersion starts at `first` (at least 1); when above 1, every
    /// version up to it counts as evicted history.
    pub fn starting_at(log_capacity: usize, first: u64) -> Self {
        let first = first.max(1);
        let buckets = RESOURCES
            .iter()
            .map(|_| Bucket {
                objects: BTreeMap::new(),
                log: VecDeque::new(),
                evicted: if first > 1 { first } else { 0 },
                notify: watch::Sender::new(0),
            })
            .collect();
        Self {
            rv: first,
            log_capacity: log_capacity.max(1),
            buckets,
        }
    }

    /// The latest resourceVersion.
    pub fn rv(&self) -> u64 {
        self.rv
    }

    /// A resource's bucket.
    pub fn bucket(&self, res: ResId) -> &Bucket {
        &self.buckets[res]
    }

    /// One object.
    pub fn get(&self, res: ResId, key: &Key) -> Option<Arc<Value>> {
        self.buckets[res].objects.get(key).cloned()
    }

    fn record(
        &mut self,
        res: ResId,
        kind: EventType,
        key: Key,
        object: Arc<Value>,
        prev: Option<Arc<Value>>,
    ) {
        let rv = self.rv;
        let cap = self.log_capacity;
        let b = &mut self.buckets[res];
        b.log.push_back(Arc::new(Event {
            rv,
            kind,
            object,
            prev,
            key,
            json: Default::default(),
        }));
        while b.log.len() > cap {
            if let Some(old) = b.log.pop_front() {
                b.evicted = old.rv;
            }
        }
        b.notify.send_replace(rv);
    }

    /// Stores a new or changed object under a fresh resourceVersion and logs the event.
    pub fn put(&mut self, res: ResId, obj: Value) -> Arc<Value> {
        self.rv += 1;
        let obj = Arc::new(with_rv(&obj, self.rv));
        let key = key_of(&obj);
        let prev = self.buckets[res].objects.insert(key.clone(), obj.clone());
        let kind = if prev.is_some() {
            EventType::Modified
        } else {
            EventType::Added
        };
        self.record(res, kind, key, obj.clone(), prev);
        obj
    }

    /// Removes an object; returns its last state (with the deletion's resourceVersion).
    pub fn remove(&mut self, res: ResId, key: &Key) -> Option<Arc<Value>> {
        let prev = self.buckets[res].objects.remove(key)?;
        self.rv += 1;
        let last = Arc::new(with_rv(&prev, self.rv));
        self.record(
            res,
            EventType::Deleted,
            key.clone(),
            last.clone(),
            Some(prev),
        );
        Some(last)
    }

    /// Events of `res` with rv > `after`, or None if some of them were already evicted — or if
    /// `after` lies ahead of this store (a client that watched an earlier run of the sandbox,
    /// whose history is gone: it must re-list, as after a 410).
    pub fn events_after(&self, res: ResId, after: u64) -> Option<Vec<Arc<Event>>> {
        let b = &self.buckets[res];
        if b.evicted > after || after > self.rv {
            return None;
        }
        let start = b.log.partition_point(|e| e.rv <= after);
        Some(b.log.range(start..).cloned().collect())
    }

    /// The objects of `res` as they were at resourceVersion `at`, rebuilt by undoing later
    /// events; None if that history was evicted.
    pub fn objects_at(&self, res: ResId, at: u64) -> Option<BTreeMap<Key, Arc<Value>>> {
        let b = &self.buckets[res];
        if at >= self.rv {
            return Some(b.objects.clone());
        }
        let later = self.events_after(res, at)?;
        let mut objects = b.objects.clone();
        for e in later.iter().rev() {
            match &e.prev {
                Some(prev) => objects.insert(e.key.clone(), prev.clone()),
                None => objects.remove(&e.key),
            };
        }
        Some(objects)
    }

    /// Keys of every object in a namespace, per resource.
    pub fn keys_in_namespace(&self, ns: &str) -> Vec<(ResId, Key)> {
        let mut out = Vec::new();
        for (res, b) in self.buckets.iter().enumerate() {
            out.extend(
                b.objects
                    .keys()
                    .filter(|(n, _)| n == ns)
                    .map(|k| (res, k.clone())),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cm(name: &str, v: u32) -> Value {
        json!({"metadata": {"namespace": "default", "name": name}, "data": {"v": v.to_string()}})
    }

    #[test]
    fn history_rebuilds_past_states_and_expires() {
        let mut s = Store::new(3);
        let res = 2;
        s.put(res, cm("a", 1));
        let at = s.rv();
        s.put(res, cm("a", 2));
        s.put(res, cm("b", 1));
        let past = s.objects_at(res, at).unwrap_or_default();
        assert_eq!(past.len(), 1);
        assert_eq!(
            past.values().next().map(|o| o["data"]["v"].clone()),
            Some(json!("1"))
        );
        s.remove(res, &("default".into(), "a".into()));
        assert_eq!(s.events_after(res, at).map(|e| e.len()), Some(3));
        s.put(res, cm("c", 1));
        assert!(s.events_after(res, at).is_none());
        assert!(s.objects_at(res, at).is_none());
    }

    #[test]
    fn a_store_started_after_an_earlier_one_expires_its_versions() {
        let mut s = Store::starting_at(10, 500);
        let res = 2;
        assert!(
            s.events_after(res, 120).is_none(),
            "a cursor from the earlier store"
        );
        assert!(s.events_after(res, 499).is_none());
        s.put(res, cm("a", 1));
        assert_eq!(s.events_after(res, 500).map(|e| e.len()), Some(1));
        assert!(s.rv() > 500);
    }
}
