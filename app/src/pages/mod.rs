//! One module per route.

pub mod editor;
pub mod home;
pub mod login;
pub mod not_found;
pub mod signup;
pub mod workflows;
