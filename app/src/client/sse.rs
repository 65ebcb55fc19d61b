//! Server-Sent Events in the browser: a typed wrapper over `web_sys::EventSource` that owns its
//! callbacks and closes the connection when dropped, and [`follow`], which ties a subscription to
//! the calling component and to the end of what it follows.

use std::rc::Rc;

use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Event, EventSource, MessageEvent};

/// One event received from the stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SseMessage {
    /// The event name (`message` when the server sent none).
    pub event: String,
    /// The `id:` the server gave the event, if any.
    pub id: Option<String>,
    /// The event's `data:` payload.
    pub data: String,
}

/// The connection state as the browser reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SseState {
    /// The first connection is being made.
    Connecting,
    /// Connected; events flow.
    Open,
    /// The connection dropped; the browser retries on its own.
    Reconnecting,
    /// The browser gave up (e.g. the server answered with an error status).
    Closed,
}

/// A live subscription. Dropping it closes the stream and frees the callbacks.
pub struct SseSubscription {
    source: EventSource,
    _listeners: Vec<Closure<dyn FnMut(Event)>>,
}

impl Drop for SseSubscription {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// Opens `url` and calls `on_message` for every event named in `events`, and `on_state` when the
/// connection state changes. Fails only if the browser refuses the URL.
pub fn subscribe(
    url: &str,
    events: &[&str],
    on_message: Rc<dyn Fn(SseMessage)>,
    on_state: Rc<dyn Fn(SseState)>,
) -> Result<SseSubscription, String> {
    let source = EventSource::new(url).map_err(|e| format!("cannot open {url}: {e:?}"))?;
    let mut listeners = Vec::with_capacity(events.len() + 2);

    for name in events {
        let on_message = on_message.clone();
        let event_name = (*name).to_string();
        let listener = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            if let Some(message) = event.dyn_ref::<MessageEvent>() {
                let last_id = message.last_event_id();
                on_message(SseMessage {
                    event: event_name.clone(),
                    id: (!last_id.is_empty()).then_some(last_id),
                    data: message.data().as_string().unwrap_or_default(),
                });
            }
        });
        add_listener(&source, name, &listener)?;
        listeners.push(listener);
    }

    let opened = on_state.clone();
    let open = Closure::<dyn FnMut(Event)>::new(move |_| opened(SseState::Open));
    add_listener(&source, "open", &open)?;
    listeners.push(open);

    let errored = on_state.clone();
    let target = source.clone();
    let error = Closure::<dyn FnMut(Event)>::new(move |_| {
        errored(if target.ready_state() == EventSource::CLOSED {
            SseState::Closed
        } else {
            SseState::Reconnecting
        })
    });
    add_listener(&source, "error", &error)?;
    listeners.push(error);

    on_state(SseState::Connecting);
    Ok(SseSubscription {
        source,
        _listeners: listeners,
    })
}

/// Subscribes to `url` from an effect (so only in the browser, after hydration) and keeps the
/// stream open while the calling owner lives and until `ended` (tracked) returns true; then it is
/// closed for good, so the browser does not reconnect to a stream that has nothing more to say.
/// A URL the browser refuses is logged and reported as [`SseState::Closed`].
pub fn follow(
    url: String,
    events: &'static [&'static str],
    on_message: impl Fn(SseMessage) + 'static,
    on_state: impl Fn(SseState) + 'static,
    ended: impl Fn() -> bool + 'static,
) {
    follow_erased(
        url,
        events,
        Rc::new(on_message),
        Rc::new(on_state),
        Box::new(ended),
    )
}

/// [`follow`] without type parameters: one copy of the code for every caller.
fn follow_erased(
    url: String,
    events: &'static [&'static str],
    on_message: Rc<dyn Fn(SseMessage)>,
    on_state: Rc<dyn Fn(SseState)>,
    ended: Box<dyn Fn() -> bool>,
) {
    use leptos::prelude::{on_cleanup, Effect};
    use std::cell::{Cell, RefCell};

    let held: Rc<RefCell<Option<SseSubscription>>> = Rc::default();
    let opened = Cell::new(false);
    let holder = held.clone();
    Effect::new(move |_| {
        if ended() {
            holder.borrow_mut().take();
            return;
        }
        if opened.replace(true) {
            return;
        }
        match subscribe(&url, events, on_message.clone(), on_state.clone()) {
            Ok(subscription) => *holder.borrow_mut() = Some(subscription),
            Err(error) => {
                leptos::logging::error!("{error}");
                on_state(SseState::Closed);
            }
        }
    });
    let held = send_wrapper::SendWrapper::new(held);
    on_cleanup(move || drop(held.borrow_mut().take()));
}

fn add_listener(
    source: &EventSource,
    name: &str,
    listener: &Closure<dyn FnMut(Event)>,
) -> Result<(), String> {
    source
        .add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
        .map_err(|e| format!("cannot listen for `{name}` events: {e:?}"))
}
