//! Members: the registry, import and export, mobility (ledgers, contacts, lost contact, census) and statistics. Entities.

pub mod census_campaign;
pub mod census_entry;
pub mod contact;
pub mod import_mapping;
pub mod member;
pub mod mobility_record;
pub mod outflow_report;
pub mod suspension_proposal;
