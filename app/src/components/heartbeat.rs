//! A live view of the server's heartbeat stream (`GET /api/events/health`), proving the
//! server → browser event path end to end.

use crate::components::dynamic::dynamic;
use crate::components::var::Var;
use leptos::prelude::*;

/// The URL of the heartbeat stream.
pub const HEALTH_EVENTS_URL: &str = "/api/events/health";

/// Connection state shown to the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    /// Not yet connected (also what the server renders before the WASM runs).
    Connecting,
    /// Events are arriving.
    Live,
    /// Lost; the browser is retrying.
    Reconnecting,
    /// The browser gave up.
    Offline,
}

#[cfg(feature = "hydrate")]
impl From<crate::client::sse::SseState> for LinkState {
    fn from(state: crate::client::sse::SseState) -> Self {
        use crate::client::sse::SseState;
        match state {
            SseState::Connecting => LinkState::Connecting,
            SseState::Open => LinkState::Live,
            SseState::Reconnecting => LinkState::Reconnecting,
            SseState::Closed => LinkState::Offline,
        }
    }
}

impl LinkState {
    /// The label shown next to the indicator.
    pub fn label(self) -> &'static str {
        match self {
            LinkState::Connecting => "Connecting…",
            LinkState::Live => "Live",
            LinkState::Reconnecting => "Reconnecting…",
            LinkState::Offline => "Offline",
        }
    }

    /// The CSS modifier for the indicator dot.
    pub fn class(self) -> &'static str {
        match self {
            LinkState::Connecting => "dot dot-pending",
            LinkState::Live => "dot dot-ok",
            LinkState::Reconnecting => "dot dot-warn",
            LinkState::Offline => "dot dot-bad",
        }
    }
}

/// Subscribes to the heartbeat stream after hydration and shows the connection state, the number
/// of heartbeats received and the id of the last one.
#[component]
pub fn LiveHeartbeat() -> impl IntoView {
    let state = Var::new(LinkState::Connecting);
    let beats = Var::new(0u64);
    let last_id = Var::new(None::<u64>);

    #[cfg(feature = "hydrate")]
    crate::client::sse::follow(
        HEALTH_EVENTS_URL.to_string(),
        &["heartbeat"],
        move |message| {
            beats.update(|n| *n += 1);
            last_id.set(message.id.and_then(|id| id.parse().ok()));
        },
        move |link| state.set(link.into()),
        || false,
    );

    view! {
        <dl class="facts" id="heartbeat" data-last-id=dynamic(move || last_id.get().map(|id| id.to_string()))>
            <dt>"Event stream"</dt>
            <dd>
                <span class=dynamic(move || state.get().class()) aria-hidden="true"></span>
                <span id="heartbeat-state">{dynamic(move || state.get().label())}</span>
            </dd>
            <dt>"Heartbeats received"</dt>
            <dd id="heartbeat-count">{dynamic(move || beats.get())}</dd>
            <dt>"Last event id"</dt>
            <dd id="heartbeat-last-id">
                {dynamic(move || last_id.get().map_or_else(|| "—".to_string(), |id| format!("#{id}")))}
            </dd>
        </dl>
    }
}
