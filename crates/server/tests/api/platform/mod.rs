//! Platform: login and sessions, the second factor and the periodic password change, the audit chain,
//! the command line, backups and key rotation, upkeep after a crash, several instances on one database,
//! uploaded files in an S3-compatible store.

mod audit;
mod auth;
mod backup;
mod cli;
mod concurrency;
mod crash;
mod file_store;
mod guard;
mod input_ranges;
mod instances;
mod integrity;
mod keys_rotation;
mod labels;
mod privacy_notice;
mod replica;
mod second_factor;
mod upkeep;
mod workbench;
