//! Hometown: 回乡工程's drives and leads, 关爱工程's fund.

pub mod care;
pub mod investment;
