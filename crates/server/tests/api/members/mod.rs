//! Members: the registry, import, mobility, privacy of personal data.

mod import_mapping;
mod imports;
mod mobility;
mod pdf;
mod privacy;
mod registry;
mod reports;
mod retention;
mod sealed_text;
mod suspension;
