//! Reusable UI components.

pub mod auth;
pub mod builds;
pub mod canvas;
pub mod change_password;
pub mod clusters;
pub mod computed;
pub mod debounce;
pub mod derived;
pub mod dialog;
pub mod dynamic;
pub mod editor;
pub mod form;
pub mod format;
pub mod handler;
pub mod heartbeat;
pub mod import;
pub mod inspector;
pub mod layout;
pub mod on_demand;
pub mod palette;
pub mod run;
pub mod sso;
pub mod user_menu;
pub mod var;
pub mod versions;
