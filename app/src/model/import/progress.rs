//! What a Git import's event stream has said so far (`GET /api/import/{id}/events`: `snapshot`,
//! `progress`, `log`, `complete`, `failed`), read without IO so the dialog only shows it.

/// Most log lines a session keeps (the server) and the progress view shows (the browser).
pub const MAX_LOG: usize = 200;

/// The progress of one import as its events describe it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProgress {
    /// 0–100.
    pub percent: u8,
    /// What is happening now.
    pub message: String,
    /// The clone's and the analysis's log, oldest first, at most [`MAX_LOG`] lines.
    pub log: Vec<String>,
    /// Why the import failed or could not be followed.
    pub error: Option<String>,
    /// True once the import completed, failed or the stream was lost: nothing more will come.
    pub over: bool,
}

impl Default for ImportProgress {
    fn default() -> Self {
        Self {
            percent: 0,
            message: "Starting…".into(),
            log: Vec::new(),
            error: None,
            over: false,
        }
    }
}

/// What the caller does after an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Keep following.
    Follow,
    /// The import completed: load the session's analysis.
    Load,
}

impl ImportProgress {
    /// Applies event `event` with JSON `data`. An unknown event or unreadable data changes
    /// nothing; events after the import is over are ignored.
    pub fn apply(&mut self, event: &str, data: &str) -> Next {
        if self.over {
            return Next::Follow;
        }
        let Ok(data) = serde_json::from_str::<serde_json::Value>(data) else {
            return Next::Follow;
        };
        let text = |key: &str| data[key].as_str().map(String::from);
        let percent = |key: &str| data[key].as_u64().map(|p| p.min(100) as u8);
        match event {
            "progress" => {
                if let Some(p) = percent("percent") {
                    self.percent = p;
                }
                if let Some(message) = text("message") {
                    self.message = message;
                }
            }
            "log" => {
                if let Some(line) = text("line") {
                    self.push_log(line);
                }
            }
            "snapshot" => {
                if let Some(p) = percent("progress") {
                    self.percent = p;
                }
                if let Some(lines) = data["log"].as_array() {
                    self.log.clear();
                    for line in lines.iter().filter_map(|l| l.as_str()) {
                        self.push_log(line.to_string());
                    }
                }
                match data["state"].as_str() {
                    Some("failed") => self.fail(text("error")),
                    Some("completed") => return self.complete(),
                    _ => {}
                }
            }
            "failed" => self.fail(text("message")),
            "complete" => return self.complete(),
            _ => {}
        }
        Next::Follow
    }

    /// The stream closed: unless the import is over, it can no longer be followed.
    pub fn disconnected(&mut self) {
        if !self.over {
            self.message = "Disconnected".into();
            self.error = Some(
                "Lost the connection to the import's progress. Start the import again.".into(),
            );
            self.over = true;
        }
    }

    fn push_log(&mut self, line: String) {
        if self.log.len() == MAX_LOG {
            self.log.remove(0);
        }
        self.log.push(line);
    }

    fn fail(&mut self, message: Option<String>) {
        self.message = "Failed".into();
        self.error = Some(message.unwrap_or_else(|| "The import failed.".into()));
        self.over = true;
    }

    fn complete(&mut self) -> Next {
        self.percent = 100;
        self.message = "Done".into();
        self.over = true;
        Next::Load
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(events: &[(&str, &str)]) -> (ImportProgress, Vec<Next>) {
        let mut progress = ImportProgress::default();
        let next = events
            .iter()
            .map(|(event, data)| progress.apply(event, data))
            .collect();
        (progress, next)
    }

    #[test]
    fn progress_and_log_lines_are_shown_as_they_come() {
        let (p, next) = after(&[
            (
                "progress",
                r#"{"percent":10,"stage":"clone","message":"Cloning"}"#,
            ),
            ("log", r#"{"line":"Cloning into 'repo'"}"#),
            (
                "progress",
                r#"{"percent":250,"stage":"analyze","message":"Reading compose files"}"#,
            ),
            ("log", r#"{"line":"found compose.yaml"}"#),
        ]);
        assert_eq!(p.percent, 100);
        assert_eq!(p.message, "Reading compose files");
        assert_eq!(p.log, ["Cloning into 'repo'", "found compose.yaml"]);
        assert_eq!((p.error, p.over), (None, false));
        assert!(next.iter().all(|n| *n == Next::Follow));
    }

    #[test]
    fn completion_asks_for_the_analysis_once() {
        let (p, next) = after(&[
            ("progress", r#"{"percent":40,"message":"Cloning"}"#),
            ("complete", r#"{"candidates":["compose.yaml"],"nodes":3}"#),
            ("complete", r#"{}"#),
            ("log", r#"{"line":"late"}"#),
        ]);
        assert_eq!(next, [Next::Follow, Next::Load, Next::Follow, Next::Follow]);
        assert_eq!((p.percent, p.message.as_str(), p.over), (100, "Done", true));
        assert!(p.log.is_empty());
    }

    #[test]
    fn failure_says_why_and_ends_the_import() {
        let (p, _) = after(&[(
            "failed",
            r#"{"stage":"clone","message":"repository not found"}"#,
        )]);
        assert_eq!(p.error.as_deref(), Some("repository not found"));
        assert_eq!((p.message.as_str(), p.over), ("Failed", true));
        let (p, _) = after(&[("failed", "{}")]);
        assert_eq!(p.error.as_deref(), Some("The import failed."));
    }

    #[test]
    fn a_snapshot_replaces_the_log_and_carries_the_outcome() {
        let (p, next) = after(&[
            ("log", r#"{"line":"old"}"#),
            (
                "snapshot",
                r#"{"progress":60,"log":["a","b"],"state":"analyzing"}"#,
            ),
        ]);
        assert_eq!(
            (p.percent, p.log.clone(), p.over),
            (60, vec!["a".into(), "b".into()], false)
        );
        assert_eq!(next[1], Next::Follow);

        let (p, next) = after(&[(
            "snapshot",
            r#"{"progress":100,"log":[],"state":"completed"}"#,
        )]);
        assert_eq!((next[0], p.over), (Next::Load, true));

        let (p, next) = after(&[(
            "snapshot",
            r#"{"state":"failed","error":"clone timed out"}"#,
        )]);
        assert_eq!(
            (next[0], p.error.as_deref()),
            (Next::Follow, Some("clone timed out"))
        );
    }

    #[test]
    fn the_log_keeps_the_latest_lines() {
        let mut p = ImportProgress::default();
        for i in 0..MAX_LOG + 5 {
            p.apply("log", &format!(r#"{{"line":"line {i}"}}"#));
        }
        assert_eq!(p.log.len(), MAX_LOG);
        assert_eq!(p.log[0], "line 5");
        assert_eq!(p.log[MAX_LOG - 1], format!("line {}", MAX_LOG + 4));
    }

    #[test]
    fn unknown_events_and_bad_data_change_nothing() {
        let (p, next) = after(&[
            ("heartbeat", "{}"),
            ("progress", "not json"),
            ("log", r#"{"line":42}"#),
        ]);
        assert_eq!(p, ImportProgress::default());
        assert!(next.iter().all(|n| *n == Next::Follow));
    }

    #[test]
    fn a_lost_stream_is_an_error_only_before_the_end() {
        let mut p = ImportProgress::default();
        p.disconnected();
        assert!(p.over && p.error.as_deref().unwrap().contains("Lost the connection"));

        let (mut p, _) = after(&[("complete", "{}")]);
        p.disconnected();
        assert_eq!((p.message.as_str(), p.error), ("Done", None));
    }
}
