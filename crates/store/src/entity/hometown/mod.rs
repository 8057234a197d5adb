//! Hometown: 回乡工程's investment drives, their members, the project leads and their steps. Entities.

pub mod investment_drive;
pub mod investment_drive_member;
pub mod investment_lead;
pub mod investment_lead_step;
