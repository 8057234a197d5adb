//! Organisational life: activities, attendance and check-in, the duty engine and its board. Repositories.

pub mod activities;
