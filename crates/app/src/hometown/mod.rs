//! Hometown: Wuchuan's programmes — 回乡工程's investment drives and project leads.

pub mod investment;
