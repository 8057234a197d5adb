//! Party affairs every county expects (issue 20): dues and recruitment.

pub mod dues;
pub mod recruitment;
