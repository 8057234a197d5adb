//! SeaORM entities, one module per table.

pub mod activity;
pub mod activity_approval;
pub mod activity_org;
pub mod attachment;
pub mod attendance;
pub mod audit_event;
pub mod census_campaign;
pub mod census_entry;
pub mod contact;
pub mod grant;
pub mod job;
pub mod member;
pub mod mobility_record;
pub mod notification;
pub mod org;
pub mod session;
pub mod setting;
pub mod suspension_proposal;
pub mod user;
