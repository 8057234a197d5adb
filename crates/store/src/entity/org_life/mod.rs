//! Organisational life: activities, attendance and check-in, the duty engine and its board. Entities.

pub mod activity;
pub mod activity_approval;
pub mod activity_org;
pub mod attachment;
pub mod attendance;
