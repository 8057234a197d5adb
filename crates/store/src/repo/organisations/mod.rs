//! Organisations: the tree (with party groups), host entities and the two coverages. Repositories.

pub mod committee;
pub mod hosts;
pub mod orgs;
