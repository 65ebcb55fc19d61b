//! Server-Sent Event streams: the hub (ids, replay buffer, fan-out) and the SSE encoding.

pub mod health;
pub mod hub;
pub mod last_event_id;
pub mod sse;
