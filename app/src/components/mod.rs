//! Reusable UI components.

pub mod auth;
pub mod form;
pub mod heartbeat;
pub mod layout;
