//! SeaORM entities, one module per table.

pub mod audit_event;
pub mod grant;
pub mod member;
pub mod org;
pub mod session;
pub mod setting;
pub mod user;
