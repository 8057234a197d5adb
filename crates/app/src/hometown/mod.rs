//! Hometown: Wuchuan's programmes — 回乡工程's investment drives and project leads, 关爱工程's care fund.

pub mod care;
pub mod investment;
