//! Hometown: 回乡工程's drives and leads, 关爱工程's fund, 先锋工程's honours.

mod care;
mod honours;
mod investment;
