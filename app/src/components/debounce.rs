//! Running something once input settles: each restart replaces the pending run.

use std::time::Duration;

use crate::components::var::Stored;
use leptos::prelude::*;

/// A pending delayed run, at most one at a time (cheap to copy). Whatever is pending when the
/// reactive owner that created it is disposed never runs.
#[derive(Clone, Copy)]
pub struct Debounce {
    timer: Stored<Option<TimeoutHandle>>,
}

impl Debounce {
    /// Nothing pending yet; cancelled on cleanup of the current owner.
    pub fn new() -> Self {
        let this = Self {
            timer: Stored::new(None),
        };
        on_cleanup(move || this.cancel());
        this
    }

    /// Runs `f` after `ms` milliseconds unless restarted or cancelled first.
    pub fn restart(&self, ms: u64, f: impl FnOnce() + 'static) {
        self.cancel();
        let handle = set_timeout_with_handle(f, Duration::from_millis(ms));
        self.timer.set_value(handle.ok());
    }

    /// Drops the pending run, if any.
    pub fn cancel(&self) {
        if let Some(handle) = self.timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }
}

impl Default for Debounce {
    fn default() -> Self {
        Self::new()
    }
}
