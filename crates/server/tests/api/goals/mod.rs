//! Goals: key tasks, brand projects, evaluations and incentive grants.

mod grants;
mod tasks;
