//! Undo and redo for the editor: a bounded stack of earlier states.

/// Earlier and later states of something edited (the editor keeps whole graph snapshots: cheap
/// to clone at hundreds of nodes, and exact).
#[derive(Clone, Debug)]
pub struct History<T> {
    undo: Vec<T>,
    redo: Vec<T>,
    limit: usize,
}

impl<T: PartialEq> History<T> {
    /// An empty history keeping at most `limit` undo steps (at least one).
    pub fn new(limit: usize) -> Self {
        Self {
            undo: Vec::new(),
            redo: Vec::new(),
            limit: limit.max(1),
        }
    }

    /// Records `before`, the state just before an edit. A new edit forgets what could be redone.
    /// Recording the same state twice in a row is a no-op.
    pub fn record(&mut self, before: T) {
        if self.undo.last() == Some(&before) {
            return;
        }
        if self.undo.len() == self.limit {
            self.undo.remove(0);
        }
        self.undo.push(before);
        self.redo.clear();
    }

    /// Steps back: returns the state to show instead of `current`, which becomes redoable.
    pub fn undo(&mut self, current: T) -> Option<T> {
        let previous = self.undo.pop()?;
        self.redo.push(current);
        Some(previous)
    }

    /// Steps forward again: returns the state to show instead of `current`.
    pub fn redo(&mut self, current: T) -> Option<T> {
        let next = self.redo.pop()?;
        self.undo.push(current);
        Some(next)
    }

    /// Whether [`History::undo`] would do something.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether [`History::redo`] would do something.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Forgets everything (e.g. after loading another workflow).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_and_redo_walk_back_and_forth_exactly() {
        let mut history = History::new(10);
        let mut state = 0;
        for next in 1..=3 {
            history.record(state);
            state = next;
        }
        state = history.undo(state).expect("undo to 2");
        assert_eq!(state, 2);
        state = history.undo(state).expect("undo to 1");
        assert_eq!(state, 1);
        state = history.redo(state).expect("redo to 2");
        assert_eq!(state, 2);
        state = history.redo(state).expect("redo to 3");
        assert_eq!(state, 3);
        assert!(history.redo(state).is_none());
    }

    #[test]
    fn a_new_edit_drops_the_redo_branch() {
        let mut history = History::new(10);
        history.record(0);
        let state = history.undo(1).expect("undo");
        assert!(history.can_redo());
        history.record(state);
        assert!(!history.can_redo());
    }

    #[test]
    fn keeps_only_the_newest_steps_and_skips_repeats() {
        let mut history = History::new(2);
        history.record(0);
        history.record(0);
        history.record(1);
        history.record(2);
        assert_eq!(history.undo(3), Some(2));
        assert_eq!(history.undo(2), Some(1));
        assert_eq!(history.undo(1), None);
    }
}
