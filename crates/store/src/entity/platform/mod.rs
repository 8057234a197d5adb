//! Platform: actor, sessions and login, keys and crypto, audit, files, jobs, notifications, settings, users and grants. Entities.

pub mod audit_event;
pub mod grant;
pub mod job;
pub mod notification;
pub mod session;
pub mod setting;
pub mod user;
