//! Members: the registry, import and export, mobility (ledgers, contacts, lost contact, census), the
//! procedure after lost contact (suspension, removal) and statistics.

pub mod census;
pub mod export;
pub mod import;
pub mod import_examples;
pub mod import_mapping;
pub mod labels;
pub mod mobility;
pub mod registry;
pub mod reports;
pub mod retention;
pub mod stats;
pub mod suspension;
