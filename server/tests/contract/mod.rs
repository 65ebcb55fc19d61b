//! The contract cases (each gets a fresh, empty store).

mod users;
mod workflows;

pub use users::*;
pub use workflows::*;
