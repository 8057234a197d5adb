//! Party affairs: dues; recruitment; relationship transfers.

mod dues;
mod recruitment;
mod transfers;
