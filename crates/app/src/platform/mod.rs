//! Platform: actor, sessions and login, keys and crypto, audit, files, jobs, notifications, settings, users and grants.

pub mod actor;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod crypto;
pub mod files;
pub mod integrity;
pub mod keys;
pub mod labels;
pub mod notifications;
pub mod outbox;
pub mod pdf;
pub mod replica;
pub mod report;
pub mod rotation;
pub mod sealing;
pub mod second_factor;
pub mod settings;
pub mod signing;
pub mod upkeep;
pub mod users;
pub mod workbench;
