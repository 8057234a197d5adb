//! Party affairs every county expects (issue 20): dues so far.

pub mod dues;
