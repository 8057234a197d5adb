//! Members: the registry, import and export, mobility (ledgers, contacts, lost contact, census) and statistics. Repositories.

pub mod census;
pub mod contacts;
pub mod import_mappings;
pub mod mobility;
pub mod registry;
pub mod reports;
pub mod retention;
