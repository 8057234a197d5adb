//! The member portal's own tables: invitations, bulletins and who has read them. Entities.

pub mod bulletin;
pub mod bulletin_read;
pub mod greeting;
pub mod invitation;
pub mod learning_visit;
