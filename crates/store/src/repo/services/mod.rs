//! Services: departments, service places (with inspections and spend), the policy library. Repositories.

pub mod departments;
pub mod files;
pub mod places;
pub mod policies;
pub mod requests;
