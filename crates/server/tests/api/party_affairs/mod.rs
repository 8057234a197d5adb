//! Party affairs: dues; recruitment.

mod dues;
mod recruitment;
