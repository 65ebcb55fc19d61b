//! The contract cases (each gets a fresh, empty store).

mod users;
mod versions;
mod workflows;

pub use users::*;
pub use versions::*;
pub use workflows::*;
