//! The contract cases (each gets a fresh, empty store).

mod builds;
mod clusters;
mod identities;
mod users;
mod versions;
mod workflows;

pub use builds::*;
pub use clusters::*;
pub use identities::*;
pub use users::*;
pub use versions::*;
pub use workflows::*;
