//! Window-wide shortcuts of the editor: save (Ctrl/Cmd+S) anywhere on the page, and undo / redo
//! (Ctrl/Cmd+Z, Shift+Z, Y) wherever the focus is not in a text field or a dialog (the canvas
//! handles them itself when it has the focus; text fields keep the browser's own undo).

use leptos::ev::KeyboardEvent;
use leptos::wasm_bindgen::JsCast;

use super::Saver;
use crate::components::canvas::keys::{command, Command, KeyPress};
use crate::components::canvas::EditorStore;

/// Handles a key press that reached the window; skips those already handled on the way.
pub fn on_window_key(ev: &KeyboardEvent, store: EditorStore, saver: Saver) {
    let modifier = ev.ctrl_key() || ev.meta_key();
    if !modifier || ev.default_prevented() {
        return;
    }
    let key = ev.key();
    if key.eq_ignore_ascii_case("s") {
        ev.prevent_default();
        saver.save(true, None);
        return;
    }
    if in_text_or_dialog(ev) {
        return;
    }
    let press = KeyPress {
        key: &key,
        modifier,
        shift: ev.shift_key(),
    };
    match command(press) {
        Some(Command::Undo) => store.undo(),
        Some(Command::Redo) => store.redo(),
        _ => return,
    }
    ev.prevent_default();
}

/// Whether the key press comes from a text field, a select, editable content or a dialog.
fn in_text_or_dialog(ev: &KeyboardEvent) -> bool {
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let editable = target
        .dyn_ref::<web_sys::HtmlElement>()
        .is_some_and(|e| e.is_content_editable());
    editable
        || matches!(target.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || target.closest("[role=dialog]").ok().flatten().is_some()
}
