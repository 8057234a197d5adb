//! Party affairs every county expects (issue 20): dues so far; recruitment and relationship transfers
//! are still to come.

pub mod dues;
