//! Browser-only helpers (compiled for the `hydrate` feature).

pub mod sse;
pub mod timing;
