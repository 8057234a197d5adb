//! Party affairs: dues; recruitment; relationship transfers.

pub mod dues;
pub mod recruitment;
pub mod transfers;
