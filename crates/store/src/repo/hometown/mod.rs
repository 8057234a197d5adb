//! Hometown: 回乡工程's drives and leads.

pub mod investment;
