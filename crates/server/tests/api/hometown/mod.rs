//! Hometown: 回乡工程's drives and leads.

mod care;
mod investment;
