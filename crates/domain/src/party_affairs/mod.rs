//! Party affairs every county expects (issue 20): dues, recruitment and relationship transfers.

pub mod dues;
pub mod recruitment;
pub mod transfers;
