//! Goals: key task lists and tasks, evaluations and reviews, brand projects, incentive grants.

pub mod brands;
pub mod evaluations;
pub mod grants;
pub mod tasks;
