//! The editor's live state: one signal per node position and settings (so moving a node re-renders
//! that node and its edges only), the edges, selection, viewport, undo history and clipboard.
//! Every edit goes through a method here, which records the state before it for undo.

use crate::components::var::{Stored, Var};
use leptos::{html, prelude::*};

use crate::domain::edges::judge_edge;
use crate::domain::editing::{self, Clipboard, PASTE_OFFSET};
use crate::domain::geometry::{
    bounds, fit, to_canvas, zoom_centred, Rect, NODE_HEIGHT, NODE_WIDTH,
};
use crate::domain::history::History;
use crate::domain::id_set::IdSet;
use crate::domain::import::merge::place_beside;
use crate::domain::layout::layered;
use crate::domain::validate::Report;
use crate::model::{Edge, Graph, Node, NodeData, NodeKind, Position, Viewport};

/// The canvas size assumed before the browser measures it (also what the server renders for).
pub const DEFAULT_SIZE: (f64, f64) = (1280.0, 720.0);
/// Zoom step of the zoom buttons and keys.
pub const ZOOM_STEP: f64 = 1.2;

/// How many edits can be undone.
pub const UNDO_LIMIT: usize = 200;

/// One node on the canvas with its own reactive position and settings.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeState {
    /// The node id (never changes).
    pub id: String,
    /// The node kind (never changes).
    pub kind: NodeKind,
    /// Where it is drawn.
    pub position: Var<Position>,
    /// Its settings.
    pub data: Var<NodeData>,
}

impl NodeState {
    fn new(node: &Node) -> Self {
        Self {
            id: node.id.clone(),
            kind: node.kind,
            position: Var::new(node.position),
            data: Var::new(node.data.clone()),
        }
    }

    fn snapshot(&self) -> Node {
        Node {
            id: self.id.clone(),
            kind: self.kind,
            position: self.position.get_untracked(),
            data: self.data.get_untracked(),
        }
    }
}

/// What the last recorded edit was, so that typing in one field is one undo step.
#[derive(Clone, Debug, PartialEq)]
enum LastEdit {
    Other,
    Setting { node: String, field: String },
}

/// The editor state, shared by the canvas, palette, settings panel and toolbar (cheap to copy).
#[derive(Clone, Copy)]
pub struct EditorStore {
    /// Nodes in drawing order (later ones on top).
    pub nodes: Var<Vec<NodeState>>,
    /// Edges.
    pub edges: Var<Vec<Edge>>,
    /// Selected node ids.
    pub selection: Var<IdSet>,
    /// The selected edge, if any (exclusive with node selection).
    pub selected_edge: Var<Option<String>>,
    /// Pan and zoom.
    pub viewport: Var<Viewport>,
    /// The canvas element's size in pixels (measured in the browser).
    pub size: Var<(f64, f64)>,
    /// Bumped by every committed edit (drives "unsaved changes" and autosave).
    pub revision: Var<u64>,
    /// Bumped when node positions settle (after a drag, undo, layout): culling re-runs on it.
    pub layout_epoch: Var<u64>,
    /// A short message for the user (e.g. why a connection was refused).
    pub hint: Var<Option<String>>,
    /// The latest validation of the design (node markers, status bar, problems list).
    pub report: Var<Report>,
    /// The canvas element (for focus and measuring).
    pub element: NodeRef<html::Div>,
    history: Stored<History<Graph>>,
    clipboard: Stored<Clipboard>,
    last_edit: Stored<LastEdit>,
    id_counter: Stored<u64>,
}

impl EditorStore {
    /// A store showing `graph` at `viewport`, with empty history.
    pub fn new(graph: &Graph, viewport: Viewport) -> Self {
        Self {
            nodes: Var::new(graph.nodes.iter().map(NodeState::new).collect()),
            edges: Var::new(graph.edges.clone()),
            selection: Var::new(IdSet::new()),
            selected_edge: Var::new(None),
            viewport: Var::new(viewport),
            size: Var::new(DEFAULT_SIZE),
            revision: Var::new(0),
            layout_epoch: Var::new(0),
            hint: Var::new(None),
            report: Var::new(Report::default()),
            element: NodeRef::new(),
            history: Stored::new(History::new(UNDO_LIMIT)),
            clipboard: Stored::new(Clipboard::default()),
            last_edit: Stored::new(LastEdit::Other),
            id_counter: Stored::new(0),
        }
    }

    /// The whole design as plain data (not tracked).
    pub fn snapshot(&self) -> Graph {
        Graph {
            nodes: self
                .nodes
                .with_untracked(|nodes| nodes.iter().map(NodeState::snapshot).collect()),
            edges: self.edges.get_untracked(),
        }
    }

    /// Replaces the design with `graph`, keeping the reactive state of nodes that stay.
    pub fn replace(&self, graph: &Graph) {
        let mut old = self.nodes.get_untracked();
        let next: Vec<NodeState> = graph
            .nodes
            .iter()
            .map(|node| {
                match old
                    .iter()
                    .position(|s| s.id == node.id && s.kind == node.kind)
                {
                    Some(i) => {
                        let state = old.swap_remove(i);
                        if state.position.get_untracked() != node.position {
                            state.position.set(node.position);
                        }
                        if state.data.with_untracked(|d| d != &node.data) {
                            state.data.set(node.data.clone());
                        }
                        state
                    }
                    None => NodeState::new(node),
                }
            })
            .collect();
        self.nodes.set(next);
        self.edges.set(graph.edges.clone());
        let ids: IdSet = graph.nodes.iter().map(|n| n.id.clone()).collect();
        self.selection.update(|s| s.retain(|id| ids.contains(id)));
        self.selected_edge.set(None);
        self.layout_epoch.update(|n| *n += 1);
    }

    /// Records `before` as an undo step and marks the design changed.
    pub fn commit(&self, before: Graph) {
        self.history.update_value(|h| h.record(before));
        self.last_edit.set_value(LastEdit::Other);
        self.changed();
    }

    fn changed(&self) {
        self.revision.update(|n| *n += 1);
    }

    /// Whether there is something to undo (tracked: every change of the history moves
    /// [`Self::revision`]).
    pub fn can_undo(&self) -> bool {
        self.revision.track();
        self.history.with_value(|h| h.can_undo())
    }

    /// Whether there is something to redo (tracked, as [`Self::can_undo`]).
    pub fn can_redo(&self) -> bool {
        self.revision.track();
        self.history.with_value(|h| h.can_redo())
    }

    /// Goes back one edit.
    pub fn undo(&self) {
        self.step(History::undo);
    }

    /// Goes forward one undone edit.
    pub fn redo(&self) {
        self.step(History::redo);
    }

    fn step(&self, go: impl FnOnce(&mut History<Graph>, Graph) -> Option<Graph>) {
        let current = self.snapshot();
        if let Some(graph) = self.history.try_update_value(|h| go(h, current)).flatten() {
            self.replace(&graph);
            self.last_edit.set_value(LastEdit::Other);
            self.changed();
        }
    }

    /// A node id not used in this workflow.
    pub fn fresh_id(&self) -> String {
        let taken: IdSet = self
            .nodes
            .with_untracked(|n| n.iter().map(|s| s.id.clone()).collect());
        loop {
            let n = self.id_counter.try_update_value(|c| {
                *c += 1;
                *c
            });
            let id = format!(
                "n{}{}",
                crate::clock::millis_base36(),
                n.unwrap_or_default()
            );
            if !taken.contains(&id) {
                return id;
            }
        }
    }

    /// Adds a node of `kind` centred on `center` with `defaults`, selects it, returns its id.
    pub fn add_node(&self, kind: NodeKind, center: Position, defaults: NodeData) -> String {
        let before = self.snapshot();
        let position = Position {
            x: (center.x - NODE_WIDTH / 2.0).round(),
            y: (center.y - NODE_HEIGHT / 2.0).round(),
        };
        let node = editing::new_node(&before, self.fresh_id(), kind, position, defaults);
        let id = node.id.clone();
        self.nodes.update(|nodes| nodes.push(NodeState::new(&node)));
        self.select_only(&id);
        self.layout_epoch.update(|n| *n += 1);
        self.commit(before);
        id
    }

    /// The state of node `id`.
    pub fn node(&self, id: &str) -> Option<NodeState> {
        self.nodes
            .with_untracked(|nodes| nodes.iter().find(|n| n.id == id).cloned())
    }

    /// The position of node `id` (tracked: re-runs when that node moves or nodes change).
    pub fn position_of(&self, id: &str) -> Option<Position> {
        self.nodes
            .with(|nodes| nodes.iter().find(|n| n.id == id).map(|n| n.position.get()))
    }

    /// The topmost node whose box contains the canvas point.
    pub fn node_at(&self, point: Position) -> Option<String> {
        self.nodes.with_untracked(|nodes| {
            nodes
                .iter()
                .rev()
                .find(|n| Rect::node(n.position.get_untracked()).contains(point))
                .map(|n| n.id.clone())
        })
    }

    /// Ids of the nodes whose boxes intersect `area` (canvas coordinates).
    pub fn nodes_in(&self, area: Rect) -> IdSet {
        self.nodes.with_untracked(|nodes| {
            nodes
                .iter()
                .filter(|n| Rect::node(n.position.get_untracked()).intersects(&area))
                .map(|n| n.id.clone())
                .collect()
        })
    }

    /// Selects only node `id`.
    pub fn select_only(&self, id: &str) {
        self.selected_edge.set(None);
        self.selection.set(IdSet::from([id.to_string()]));
    }

    /// Adds or removes node `id` from the selection.
    pub fn toggle(&self, id: &str) {
        self.selected_edge.set(None);
        self.selection.update(|s| {
            if !s.remove(id) {
                s.insert(id.to_string());
            }
        });
    }

    /// Selects every node.
    pub fn select_all(&self) {
        self.selected_edge.set(None);
        self.selection.set(
            self.nodes
                .with_untracked(|n| n.iter().map(|s| s.id.clone()).collect()),
        );
    }

    /// Selects nothing.
    pub fn clear_selection(&self) {
        self.selected_edge.set(None);
        self.selection.set(IdSet::new());
    }

    /// Selects the edge `id` alone.
    pub fn select_edge(&self, id: &str) {
        self.selection.set(IdSet::new());
        self.selected_edge.set(Some(id.to_string()));
    }

    /// Moves the selection to the next (or previous) node in drawing order. Returns `false`
    /// (and selects nothing) when stepping past the last (or first) node, so focus can move on.
    pub fn cycle_selection(&self, backwards: bool) -> bool {
        let ids: Vec<String> = self
            .nodes
            .with_untracked(|n| n.iter().map(|s| s.id.clone()).collect());
        if ids.is_empty() {
            return false;
        }
        let current = self.selection.with_untracked(|s| {
            s.iter()
                .next()
                .and_then(|id| ids.iter().position(|i| i == id))
        });
        let next = match (current, backwards) {
            (None, false) => Some(0),
            (None, true) => Some(ids.len() - 1),
            (Some(i), false) => (i + 1 < ids.len()).then_some(i + 1),
            (Some(i), true) => i.checked_sub(1),
        };
        match next {
            Some(i) => {
                self.select_only(&ids[i]);
                true
            }
            None => {
                self.clear_selection();
                false
            }
        }
    }

    /// Deletes the selected nodes (with their edges) or the selected edge.
    pub fn delete_selection(&self) {
        let nodes = self.selection.get_untracked();
        let edge = self.selected_edge.get_untracked();
        if nodes.is_empty() && edge.is_none() {
            return;
        }
        let before = self.snapshot();
        let mut gone_edges = editing::edges_touching(&before.edges, &nodes);
        gone_edges.extend(edge);
        self.nodes
            .update(|all| all.retain(|n| !nodes.contains(&n.id)));
        self.edges
            .update(|all| all.retain(|e| !gone_edges.contains(&e.id)));
        self.clear_selection();
        self.layout_epoch.update(|n| *n += 1);
        self.commit(before);
    }

    /// Moves the selected nodes by (dx, dy) as one edit.
    pub fn nudge_selection(&self, dx: f64, dy: f64) {
        let selected = self.selection.get_untracked();
        if selected.is_empty() {
            return;
        }
        let before = self.snapshot();
        self.nodes.with_untracked(|nodes| {
            for node in nodes.iter().filter(|n| selected.contains(&n.id)) {
                node.position.update(|p| {
                    p.x += dx;
                    p.y += dy;
                });
            }
        });
        self.layout_epoch.update(|n| *n += 1);
        self.commit(before);
    }

    /// Connects `source` → `target` if the kinds allow it; otherwise shows why not.
    pub fn connect(&self, source: &str, target: &str) -> Result<(), String> {
        let (Some(from), Some(to)) = (self.node(source), self.node(target)) else {
            return Err("that node no longer exists".into());
        };
        let outcome = judge_edge((source, from.kind), (target, to.kind), || {
            self.edges
                .with_untracked(|e| e.iter().any(|e| e.source == source && e.target == target))
        });
        match outcome {
            Ok(_) => {
                let before = self.snapshot();
                self.edges.update(|edges| {
                    edges.push(Edge {
                        id: editing::edge_id(source, target),
                        source: source.to_string(),
                        target: target.to_string(),
                    })
                });
                self.hint.set(None);
                self.commit(before);
                Ok(())
            }
            Err(why) => {
                self.hint.set(Some(capitalise(&why)));
                Err(why)
            }
        }
    }

    /// Copies the selected nodes (and the edges between them).
    pub fn copy_selection(&self) {
        let selected = self.selection.get_untracked();
        if !selected.is_empty() {
            let clip = editing::copy(&self.snapshot(), &selected);
            self.clipboard.set_value(clip);
        }
    }

    /// Pastes the clipboard beside the originals, selecting the copies.
    pub fn paste(&self) {
        let clipboard = self.clipboard.get_value();
        if clipboard.is_empty() {
            return;
        }
        let before = self.snapshot();
        let offset = Position {
            x: PASTE_OFFSET,
            y: PASTE_OFFSET,
        };
        let (nodes, edges) = editing::paste(&before, &clipboard, offset, || self.fresh_id());
        let ids: IdSet = nodes.iter().map(|n| n.id.clone()).collect();
        self.nodes
            .update(|all| all.extend(nodes.iter().map(NodeState::new)));
        self.edges.update(|all| all.extend(edges));
        self.selected_edge.set(None);
        self.selection.set(ids);
        self.clipboard.update_value(|c| {
            for node in &mut c.nodes {
                node.position.x += PASTE_OFFSET;
                node.position.y += PASTE_OFFSET;
            }
        });
        self.layout_epoch.update(|n| *n += 1);
        self.commit(before);
    }

    /// Sets one setting of node `id`. Consecutive changes to the same field are one undo step.
    pub fn set_field(&self, id: &str, field: &str, value: serde_json::Value) {
        let Some(node) = self.node(id) else { return };
        if node.data.with_untracked(|d| d.get(field) == Some(&value)) {
            return;
        }
        let key = LastEdit::Setting {
            node: id.to_string(),
            field: field.to_string(),
        };
        let same_field = self.last_edit.with_value(|last| *last == key);
        if !same_field {
            let before = self.snapshot();
            self.history.update_value(|h| h.record(before));
        }
        node.data.update(|d| {
            d.insert(field.to_string(), value);
        });
        self.last_edit.set_value(key);
        self.changed();
    }

    /// Moves every node to `positions` (e.g. auto-layout) as one edit.
    pub fn set_positions(&self, positions: &std::collections::BTreeMap<String, Position>) {
        let before = self.snapshot();
        self.nodes.with_untracked(|nodes| {
            for node in nodes {
                if let Some(&p) = positions.get(&node.id) {
                    node.position.set(p);
                }
            }
        });
        self.layout_epoch.update(|n| *n += 1);
        self.commit(before);
    }
}

impl EditorStore {
    /// The canvas point at the centre of the view.
    pub fn view_center(&self) -> Position {
        let (w, h) = self.size.get_untracked();
        to_canvas(
            self.viewport.get_untracked(),
            Position {
                x: w / 2.0,
                y: h / 2.0,
            },
        )
    }

    /// Moves keyboard focus to the canvas (after adding a node from the palette, say).
    pub fn focus(&self) {
        if let Some(el) = self.element.get_untracked() {
            let _ = el.focus();
        }
    }

    /// Zooms by `factor` around the centre of the view.
    pub fn zoom_by(&self, factor: f64) {
        let (w, h) = self.size.get_untracked();
        self.viewport
            .update(|vp| *vp = zoom_centred(*vp, factor, w, h));
    }

    /// Pans and zooms so that every node is visible.
    pub fn fit_view(&self) {
        let content = self
            .nodes
            .with_untracked(|n| bounds(n.iter().map(|s| s.position.get_untracked())));
        let (w, h) = self.size.get_untracked();
        self.viewport.set(match content {
            Some(content) => fit(content, w, h, FIT_PADDING),
            None => Viewport::default(),
        });
    }

    /// Adds an imported graph to the right of the design (fresh ids, clashing names numbered) as
    /// one undo step, selects it and fits the view. Returns how many nodes were added. The
    /// placement's code is fetched the first time (see [`place`]).
    pub async fn add_graph(&self, nodes: Vec<Node>, edges: Vec<Edge>) -> usize {
        let (nodes, edges) = place(self.snapshot(), nodes, edges).await;
        let before = self.snapshot();
        let added: IdSet = nodes.iter().map(|n| n.id.clone()).collect();
        let mut graph = before.clone();
        graph.nodes.extend(nodes);
        graph.edges.extend(edges);
        self.replace(&graph);
        self.selected_edge.set(None);
        self.selection.set(added.clone());
        self.commit(before);
        self.fit_view();
        added.len()
    }

    /// Arranges all nodes with the layered layout (one undo step) and fits the view. The layout's
    /// code is fetched the first time (see [`arrange`]), so the positions land a moment later.
    pub fn auto_layout(&self) {
        let store = *self;
        let graph = self.snapshot();
        leptos::task::spawn_local(async move {
            let positions = arrange(graph).await;
            store.set_positions(&positions);
            store.fit_view();
        });
    }
}

/// The layered layout of `graph`, in a part fetched when Auto-layout is first used. In the
/// browser the computation is recorded as the User Timing measure `kubeorch:layout`.
#[leptos::lazy]
fn arrange(graph: Graph) -> std::collections::BTreeMap<String, Position> {
    let layout = || layered(&graph.nodes, &graph.edges, Position { x: 0.0, y: 0.0 });
    #[cfg(feature = "hydrate")]
    return crate::client::timing::measured("kubeorch:layout", layout);
    #[cfg(not(feature = "hydrate"))]
    layout()
}

/// `nodes` and `edges` placed beside `design`, in a part fetched when something is first imported.
#[leptos::lazy]
fn place(design: Graph, nodes: Vec<Node>, edges: Vec<Edge>) -> (Vec<Node>, Vec<Edge>) {
    place_beside(&design.nodes, &design.edges, nodes, edges)
}

/// Space kept around the content by "fit view", in pixels.
pub const FIT_PADDING: f64 = 48.0;

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
