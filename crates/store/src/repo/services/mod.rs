//! Services: departments, service places (with inspections and spend), the policy library, 红链直通车
//! requests, outreach visits and needs. Repositories.

pub mod departments;
pub mod files;
pub mod needs;
pub mod outreach;
pub mod places;
pub mod policies;
pub mod requests;
