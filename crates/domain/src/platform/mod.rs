//! Platform: actor, sessions and login, keys and crypto, audit, files, jobs, notifications, settings, users and grants.

pub mod authz;
pub mod password;
