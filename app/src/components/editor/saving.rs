//! Save state of the editor: what the status bar says, and when autosave runs.

/// Pause after the last edit before the working copy is autosaved.
pub const AUTOSAVE_DELAY_MS: u64 = 1_500;
/// Wait before retrying a failed save.
pub const RETRY_DELAY_MS: u64 = 5_000;

/// Where the working copy stands relative to the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveStatus {
    /// Everything is on the server.
    Saved,
    /// Edits not yet sent.
    Unsaved,
    /// A save is in flight.
    Saving,
    /// Saved, and version N was created.
    Versioned(u64),
    /// An old version was restored as version N.
    Restored(u64),
    /// The last save failed (message for the user); a retry is scheduled.
    Failed(String),
}

impl SaveStatus {
    /// The status-bar text.
    pub fn text(&self) -> String {
        match self {
            SaveStatus::Saved => "All changes saved".into(),
            SaveStatus::Unsaved => "Unsaved changes".into(),
            SaveStatus::Saving => "Saving…".into(),
            SaveStatus::Versioned(n) => format!("Saved as version {n}"),
            SaveStatus::Restored(n) => format!("Restored as version {n}"),
            SaveStatus::Failed(why) => format!("Not saved: {why} — retrying"),
        }
    }

    /// The status-bar CSS class.
    pub fn class(&self) -> &'static str {
        match self {
            SaveStatus::Saved | SaveStatus::Versioned(_) | SaveStatus::Restored(_) => "saved",
            SaveStatus::Unsaved | SaveStatus::Saving => "dirty",
            SaveStatus::Failed(_) => "problem",
        }
    }
}

/// Whether the editor holds edits the server has not confirmed (leaving would lose them).
pub fn has_unsaved(revision: u64, saved_revision: u64) -> bool {
    revision > saved_revision
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_say_what_happened() {
        assert_eq!(SaveStatus::Versioned(4).text(), "Saved as version 4");
        assert_eq!(SaveStatus::Restored(5).text(), "Restored as version 5");
        assert!(SaveStatus::Failed("offline".into())
            .text()
            .contains("offline"));
        assert_eq!(SaveStatus::Failed(String::new()).class(), "problem");
        assert!(has_unsaved(3, 2));
        assert!(!has_unsaved(2, 2));
    }
}
