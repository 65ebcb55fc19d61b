//! Git import sessions: owner, state, the files read from the checkout (the clone itself is
//! deleted as soon as it has been read) and an event hub for `progress`, `log`, `complete` and
//! `failed`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use app::api::import::{ImportSession, SessionState};
use app::model::import::progress::MAX_LOG;
use app::model::import::Analysis;

use crate::events::hub::Hub;

/// How long a session stays available after it started (far longer than a clone may run).
pub const SESSION_TTL: Duration = Duration::from_secs(30 * 60);

/// One compose file of a checkout with the files around it.
#[derive(Clone, Debug, Default)]
pub struct Project {
    /// The compose file's text.
    pub text: String,
    /// Its `.env`.
    pub dotenv: String,
    /// Other files of its folder, relative to it.
    pub files: BTreeMap<String, String>,
}

/// A session.
pub struct Entry {
    /// Who started it.
    pub owner: String,
    /// Namespace for conversions.
    pub namespace: String,
    /// When it started.
    pub started: Instant,
    /// What the owner sees.
    pub view: Mutex<ImportSession>,
    /// Compose files read from the checkout, by path.
    pub projects: Mutex<BTreeMap<String, Project>>,
    /// Its events.
    pub hub: Hub,
    /// An id just before its first event: a subscriber without `Last-Event-ID` gets every
    /// event from here (a session's whole history is short), not only a snapshot.
    pub start_id: u64,
}

impl Entry {
    /// A new session in state `cloning`.
    pub fn new(id: &str, owner: &str, namespace: &str) -> Arc<Self> {
        let hub = Hub::new(512, 512);
        let start_id = crate::events::hub::next_id();
        Arc::new(Self {
            owner: owner.to_string(),
            namespace: namespace.to_string(),
            started: Instant::now(),
            view: Mutex::new(ImportSession {
                id: id.to_string(),
                stage: "clone".into(),
                ..Default::default()
            }),
            projects: Mutex::new(BTreeMap::new()),
            hub,
            start_id,
        })
    }

    /// The owner's view.
    pub fn view(&self) -> ImportSession {
        self.view.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn update(&self, change: impl FnOnce(&mut ImportSession)) {
        change(&mut self.view.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// Publishes `progress`.
    pub fn progress(&self, percent: u8, stage: &str, message: &str) {
        self.update(|v| {
            v.progress = v.progress.max(percent.min(100));
            v.stage = stage.to_string();
            if stage != "clone" {
                v.state = SessionState::Analyzing;
            }
        });
        let data = json!({ "percent": percent, "stage": stage, "message": message });
        self.hub.publish("progress", &data.to_string());
    }

    /// Publishes `log`.
    pub fn log(&self, line: &str) {
        self.update(|v| {
            if v.log.len() == MAX_LOG {
                v.log.remove(0);
            }
            v.log.push(line.to_string());
        });
        self.hub
            .publish("log", &json!({ "line": line }).to_string());
    }

    /// Records the conversion and publishes `complete`.
    pub fn complete(&self, candidates: Vec<String>, chosen: String, analysis: Analysis) {
        self.converted(candidates, chosen, analysis);
        let view = self.view();
        let data = json!({ "candidates": view.candidates, "chosen": view.chosen, "nodes": view.analysis.as_ref().map_or(0, |a| a.nodes.len()), "edges": view.analysis.as_ref().map_or(0, |a| a.edges.len()), "warnings": view.analysis.as_ref().map_or(0, |a| a.warnings.len()) });
        self.hub.publish("complete", &data.to_string());
    }

    /// Records a finished conversion (the first, or another file or profiles chosen later)
    /// without publishing anything: whoever asked for a later one gets it in the answer.
    pub fn converted(&self, candidates: Vec<String>, chosen: String, analysis: Analysis) {
        self.update(|v| {
            v.state = SessionState::Completed;
            v.progress = 100;
            v.stage = "done".into();
            v.candidates = candidates;
            v.chosen = Some(chosen);
            v.analysis = Some(analysis);
            v.error = None;
        });
    }

    /// Publishes `failed`.
    pub fn fail(&self, stage: &str, message: &str) {
        self.update(|v| {
            v.state = SessionState::Failed;
            v.stage = stage.to_string();
            v.error = Some(message.to_string());
        });
        self.hub.publish(
            "failed",
            &json!({ "stage": stage, "message": message }).to_string(),
        );
    }

    /// True once started longer than [`SESSION_TTL`] ago.
    pub fn expired(&self) -> bool {
        self.started.elapsed() > SESSION_TTL
    }
}
