//! Party affairs every county expects (issue 20): dues and recruitment; relationship transfers across
//! deployments are still to come.

pub mod dues;
pub mod recruitment;
