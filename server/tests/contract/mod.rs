//! The contract cases (each gets a fresh, empty store).

mod identities;
mod users;
mod versions;
mod workflows;

pub use identities::*;
pub use users::*;
pub use versions::*;
pub use workflows::*;
