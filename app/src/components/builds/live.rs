//! A build followed live: one SSE subscription to `/api/builds/{id}/events` after hydration;
//! `progress` updates the stages, `log` appends lines, `complete`/`failed` replace the record
//! and end the subscription (a finished build's whole log is replayed first). Events carry ids, so a reconnect resumes without repeats.

use crate::components::var::Var;
use leptos::prelude::*;

use crate::model::build::{Build, BuildLogLine, BuildProgress};

/// Lines per block of the live log: a new line re-renders only the last block, so a long log
/// costs the same per line as a short one.
pub const LOG_BLOCK: usize = 200;

/// The live state of one build.
#[derive(Clone, Copy)]
pub struct BuildFeed {
    /// The record (state and stages follow `progress`; the final events replace it).
    pub build: Var<Build>,
    /// The log so far, in blocks of at most [`LOG_BLOCK`] lines (only the last one grows).
    pub lines: Var<Vec<ArcRwSignal<Vec<BuildLogLine>>>>,
    /// The latest progress note.
    pub message: Var<String>,
    /// True once the final event (`complete` or `failed`) arrived.
    pub ended: Var<bool>,
    /// The id of the last event applied.
    last_id: Var<u64>,
}

impl BuildFeed {
    /// Applies one event (ignoring ones already applied).
    pub fn apply(&self, id: Option<u64>, event: &str, data: &str) {
        if let Some(id) = id {
            if id <= self.last_id.get_untracked() {
                return;
            }
            self.last_id.set(id);
        }
        match event {
            "progress" => {
                if let Ok(progress) = serde_json::from_str::<BuildProgress>(data) {
                    self.message.set(progress.message);
                    // A finished build's replayed history never moves its state back.
                    if self.build.with_untracked(|b| b.state.is_finished()) {
                        return;
                    }
                    self.build.update(|b| {
                        b.state = progress.state;
                        b.stages = progress.stages;
                    });
                }
            }
            "log" => {
                if let Ok(line) = serde_json::from_str::<BuildLogLine>(data) {
                    self.push_line(line);
                }
            }
            "complete" | "failed" => {
                if let Ok(build) = serde_json::from_str::<Build>(data) {
                    self.build.set(build);
                }
                self.ended.set(true);
            }
            _ => {}
        }
    }
}

impl BuildFeed {
    fn push_line(&self, line: BuildLogLine) {
        let open = self.lines.with_untracked(|blocks| {
            blocks
                .last()
                .filter(|block| block.with_untracked(|lines| lines.len() < LOG_BLOCK))
                .cloned()
        });
        match open {
            Some(block) => block.update(|lines| lines.push(line)),
            None => self
                .lines
                .update(|blocks| blocks.push(ArcRwSignal::new(vec![line]))),
        }
    }
}

/// The events URL of a build.
pub fn events_url(build_id: &str) -> String {
    let id: String = build_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("/api/builds/{id}/events")
}

/// Follows `build` live (the subscription closes when it ends or the caller is disposed).
pub fn follow_build(build: Build) -> BuildFeed {
    let id = build.id.clone();
    let feed = BuildFeed {
        build: Var::new(build),
        lines: Var::new(Vec::new()),
        message: Var::new(String::new()),
        ended: Var::new(false),
        last_id: Var::new(0),
    };
    #[cfg(feature = "hydrate")]
    {
        crate::client::sse::follow(
            events_url(&id),
            &["progress", "log", "complete", "failed"],
            move |message| {
                let seq = message.id.as_deref().and_then(|i| i.parse().ok());
                feed.apply(seq, &message.event, &message.data);
            },
            |_| {},
            move || feed.ended.get(),
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
    feed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build::BuildState;

    fn log(n: usize) -> String {
        serde_json::to_string(&BuildLogLine {
            stage: BuildState::Building,
            stream: "stdout".into(),
            line: format!("line {n}"),
        })
        .unwrap()
    }

    #[test]
    fn log_lines_fill_blocks_in_order_and_repeats_are_ignored() {
        let owner = Owner::new();
        owner.with(|| {
            let build: Build = serde_json::from_value(serde_json::json!({
                "id": "b1", "repo_url": "https://example.com/r.git", "branch": "main",
                "context": ".", "image": "app", "tag": "1", "registry_id": "r",
                "registry_name": "local", "state": "building",
                "created_at": "2026-11-30T00:00:00Z",
            }))
            .unwrap();
            let feed = follow_build(build);
            for n in 1..=2 * LOG_BLOCK + 50 {
                feed.apply(Some(n as u64), "log", &log(n));
            }
            feed.apply(Some(3), "log", &log(3));
            let blocks: Vec<Vec<String>> = feed.lines.with_untracked(|blocks| {
                blocks
                    .iter()
                    .map(|b| b.with_untracked(|l| l.iter().map(|l| l.line.clone()).collect()))
                    .collect()
            });
            assert_eq!(
                blocks.iter().map(Vec::len).collect::<Vec<_>>(),
                [LOG_BLOCK, LOG_BLOCK, 50]
            );
            let all: Vec<String> = blocks.concat();
            let expected: Vec<String> = (1..=2 * LOG_BLOCK + 50)
                .map(|n| format!("line {n}"))
                .collect();
            assert_eq!(all, expected);
        });
    }
}
