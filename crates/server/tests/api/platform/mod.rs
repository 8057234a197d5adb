//! Platform: login and sessions, the audit chain, the command line, backups and key rotation, upkeep after a crash,
//! several instances on one database.

mod audit;
mod auth;
mod backup;
mod cli;
mod concurrency;
mod crash;
mod guard;
mod input_ranges;
mod instances;
mod keys_rotation;
mod upkeep;
mod workbench;
