//! One module per route.

pub mod auth_complete;
pub mod build;
pub mod builds;
pub mod clusters;
pub mod compare;
pub mod editor;
pub mod home;
pub mod lazy;
pub mod login;
pub mod not_found;
pub mod preload;
pub mod profile;
pub mod registries;
pub mod signup;
pub mod versions;
pub mod workflows;
