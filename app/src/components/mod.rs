//! Reusable UI components.

pub mod auth;
pub mod builds;
pub mod change_password;
pub mod clusters;
pub mod dialog;
pub mod form;
pub mod heartbeat;
pub mod import;
pub mod layout;
pub mod run;
pub mod sso;
pub mod user_menu;
