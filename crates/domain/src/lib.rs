//! Domain types and rules of Honglian: plain Rust, no I/O.
//!
//! Everything that validates input lives in constructors here (`IdNumber::parse`,
//! `Phone::parse`, …) so that the layers above only ever hold valid values.

pub mod communities;
pub mod goals;
pub mod hometown;
pub mod id_number;
pub mod mask;
pub mod members;
pub mod org_life;
pub mod organisations;
pub mod party_affairs;
pub mod platform;
pub mod portal;
pub mod range;
pub mod region;
pub mod services;
pub mod validation;

pub use id_number::IdNumber;
pub use range::{PageNo, PerPage, RecordId, Year};
pub use validation::FieldErrors;
