//! Keyboard shortcuts of the canvas, as a pure mapping from a key press to a command.

/// What a key press asks the editor to do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Command {
    /// Delete the selection.
    Delete,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Copy the selection.
    Copy,
    /// Paste the clipboard.
    Paste,
    /// Duplicate the selection (copy + paste).
    Duplicate,
    /// Select every node.
    SelectAll,
    /// Clear the selection / cancel the current gesture.
    Escape,
    /// Move the selection by this many canvas units.
    Nudge(f64, f64),
    /// Select the next (false) or previous (true) node.
    Cycle(bool),
    /// Zoom in.
    ZoomIn,
    /// Zoom out.
    ZoomOut,
    /// Show everything.
    FitView,
    /// Arrange automatically.
    Layout,
}

/// A key press: `key` as the browser names it (`"z"`, `"Delete"`, `"ArrowLeft"`), and modifiers
/// (`mod` is Ctrl, or Cmd on a Mac).
#[derive(Clone, Copy, Debug)]
pub struct KeyPress<'a> {
    /// `KeyboardEvent.key`.
    pub key: &'a str,
    /// Ctrl or Cmd held.
    pub modifier: bool,
    /// Shift held.
    pub shift: bool,
}

/// Grid step of arrow-key moves (Shift: five times as far).
pub const NUDGE: f64 = 10.0;

/// The command for a key press, if it is a canvas shortcut.
pub fn command(press: KeyPress<'_>) -> Option<Command> {
    let KeyPress {
        key,
        modifier,
        shift,
    } = press;
    let step = if shift { NUDGE * 5.0 } else { NUDGE };
    let lower = key.to_ascii_lowercase();
    Some(match (lower.as_str(), modifier) {
        ("delete" | "backspace", false) => Command::Delete,
        ("z", true) if shift => Command::Redo,
        ("z", true) => Command::Undo,
        ("y", true) => Command::Redo,
        ("c", true) => Command::Copy,
        ("v", true) => Command::Paste,
        ("d", true) => Command::Duplicate,
        ("a", true) => Command::SelectAll,
        ("escape", _) => Command::Escape,
        ("arrowleft", false) => Command::Nudge(-step, 0.0),
        ("arrowright", false) => Command::Nudge(step, 0.0),
        ("arrowup", false) => Command::Nudge(0.0, -step),
        ("arrowdown", false) => Command::Nudge(0.0, step),
        ("tab", false) => Command::Cycle(shift),
        ("+" | "=", false) => Command::ZoomIn,
        ("-" | "_", false) => Command::ZoomOut,
        ("f", false) if !shift => Command::FitView,
        ("l", false) if shift => Command::Layout,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(key: &str, modifier: bool, shift: bool) -> Option<Command> {
        command(KeyPress {
            key,
            modifier,
            shift,
        })
    }

    #[test]
    fn editing_shortcuts() {
        assert_eq!(press("Delete", false, false), Some(Command::Delete));
        assert_eq!(press("Backspace", false, false), Some(Command::Delete));
        assert_eq!(press("z", true, false), Some(Command::Undo));
        assert_eq!(press("Z", true, true), Some(Command::Redo));
        assert_eq!(press("y", true, false), Some(Command::Redo));
        assert_eq!(press("c", true, false), Some(Command::Copy));
        assert_eq!(press("v", true, false), Some(Command::Paste));
        assert_eq!(press("a", true, false), Some(Command::SelectAll));
    }

    #[test]
    fn movement_and_view_shortcuts() {
        assert_eq!(
            press("ArrowLeft", false, false),
            Some(Command::Nudge(-10.0, 0.0))
        );
        assert_eq!(
            press("ArrowDown", false, true),
            Some(Command::Nudge(0.0, 50.0))
        );
        assert_eq!(press("Tab", false, true), Some(Command::Cycle(true)));
        assert_eq!(press("f", false, false), Some(Command::FitView));
        assert_eq!(press("L", false, true), Some(Command::Layout));
    }

    #[test]
    fn plain_letters_and_modified_deletes_are_left_alone() {
        assert_eq!(press("z", false, false), None);
        assert_eq!(press("Delete", true, false), None);
        assert_eq!(press("s", true, false), None, "save is handled by the page");
    }
}
