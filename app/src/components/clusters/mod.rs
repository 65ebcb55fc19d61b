//! Cluster components: the add/edit dialog and the picker a workflow uses.

pub mod form;
pub mod picker;
