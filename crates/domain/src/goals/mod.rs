//! Goals: key task lists and tasks, evaluations and reviews, brand projects, incentive grants.

pub mod evaluation;
pub mod grant;
pub mod task;
