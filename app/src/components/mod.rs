//! Reusable UI components.

pub mod auth;
pub mod dialog;
pub mod form;
pub mod heartbeat;
pub mod layout;
pub mod user_menu;
