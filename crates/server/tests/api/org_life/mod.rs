//! Organisational life: activities, attendance, check-in and the duty engine.

mod activities;
mod attendees;
mod duties;
mod leave;
mod record;
