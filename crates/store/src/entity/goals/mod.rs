//! Goals: key task lists and tasks, evaluations and reviews, brand projects, incentive grants. Entities.

pub mod brand_project;
pub mod evaluation;
pub mod evaluation_score;
pub mod evaluation_target;
pub mod incentive_grant;
pub mod review;
pub mod task;
pub mod task_evidence;
pub mod task_list;
pub mod task_meeting;
pub mod task_org;
pub mod task_report;
