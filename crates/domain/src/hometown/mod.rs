//! Hometown (Wuchuan's three programmes, 回乡工程 / 关爱工程 / 先锋工程): investment drives and the
//! leads they bring home, and the care fund.

pub mod care;
pub mod investment;
