//! Party affairs: dues; recruitment.

pub mod dues;
pub mod recruitment;
