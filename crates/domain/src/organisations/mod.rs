//! Organisations: the tree (with party groups), host entities and the two coverages.

pub mod committee;
pub mod coverage;
pub mod org;
