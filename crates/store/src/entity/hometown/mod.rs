//! Hometown: 回乡工程's investment drives, their members, the project leads and their steps; 关爱工程's
//! donations, applications and objections; 先锋工程's campaigns, quotas, nominations, their steps and
//! objections. Entities.

pub mod care_aid;
pub mod care_aid_objection;
pub mod care_donation;
pub mod honour_campaign;
pub mod honour_nomination;
pub mod honour_objection;
pub mod honour_quota;
pub mod honour_step;
pub mod investment_drive;
pub mod investment_drive_member;
pub mod investment_lead;
pub mod investment_lead_step;
