//! The contract cases (each gets a fresh, empty store).

mod identities;
mod clusters;
mod users;
mod versions;
mod workflows;

pub use identities::*;
pub use clusters::*;
pub use users::*;
pub use versions::*;
pub use workflows::*;
