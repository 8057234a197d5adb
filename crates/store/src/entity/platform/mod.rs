//! Platform: actor, sessions and login, keys and crypto, audit, files, jobs, notifications (the outbox, preferences, group robots), settings, users and grants. Entities.

pub mod audit_event;
pub mod grant;
pub mod job;
pub mod job_lease;
pub mod notification;
pub mod notify_pref;
pub mod outbox;
pub mod robot;
pub mod session;
pub mod setting;
pub mod user;
