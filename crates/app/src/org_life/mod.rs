//! Organisational life: activities, attendance and check-in, the duty engine and its board.

pub mod activities;
pub mod duties;
pub mod record;
