//! Members: the registry, import and export, mobility (ledgers, contacts, lost contact, census) and statistics.

pub mod import;
pub mod member;
pub mod mobility;
pub mod retention;
