//! Server-Sent Event streams.

pub mod health;
pub mod last_event_id;
