//! Party affairs: dues.

pub mod dues;
