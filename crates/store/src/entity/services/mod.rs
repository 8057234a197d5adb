//! Services: departments, service places (with inspections and spend), policies. Entities.

pub mod department;
pub mod policy;
pub mod service_place;
pub mod service_place_inspection;
pub mod service_place_spend;
