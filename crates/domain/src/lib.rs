//! Domain types and rules of Honglian: plain Rust, no I/O.
//!
//! Everything that validates input lives in constructors here (`IdNumber::parse`,
//! `Phone::parse`, …) so that the layers above only ever hold valid values.

pub mod authz;
pub mod community;
pub mod coverage;
pub mod duty;
pub mod evaluation;
pub mod grant;
pub mod id_number;
pub mod import;
pub mod mask;
pub mod member;
pub mod mobility;
pub mod org;
pub mod password;
pub mod region;
pub mod task;
pub mod validation;

pub use id_number::IdNumber;
pub use validation::FieldErrors;
