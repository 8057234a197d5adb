//! Organisations: the tree (with party groups), host entities and the two coverages. Entities.

pub mod committee_post;
pub mod coverage_census;
pub mod coverage_census_entry;
pub mod host;
pub mod org;
