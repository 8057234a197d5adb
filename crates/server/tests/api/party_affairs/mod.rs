//! Party affairs: dues.

mod dues;
