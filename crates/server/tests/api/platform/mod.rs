//! Platform: login and sessions, the audit chain, the command line.

mod audit;
mod auth;
mod cli;
mod input_ranges;
mod workbench;
