//! Reusable UI components.

pub mod heartbeat;
pub mod layout;
