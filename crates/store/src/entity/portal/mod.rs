//! Portal: bulletins and who has read them. Entities.

pub mod bulletin;
pub mod bulletin_read;
