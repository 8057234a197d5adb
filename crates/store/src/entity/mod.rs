//! SeaORM entities, one module per table.

pub mod communities;
pub mod goals;
pub mod hometown;
pub mod members;
pub mod org_life;
pub mod organisations;
pub mod party_affairs;
pub mod platform;
pub mod portal;
pub mod services;
