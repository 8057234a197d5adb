//! Platform: actor, sessions and login, keys and crypto, audit, files, jobs and leases, notifications, the read replica's position, settings, users and grants. Repositories.

pub mod audit;
pub mod backup;
pub mod integrity;
pub mod jobs;
pub mod labels;
pub mod leases;
pub mod notifications;
pub mod outbox;
pub mod replica;
pub mod sealed;
pub mod sessions;
pub mod settings;
pub mod users;
