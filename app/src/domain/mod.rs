//! Pure domain logic: no IO, no Leptos. Unit-tested on fixtures.

pub mod diff;
pub mod geometry;
pub mod history;
pub mod layout;
