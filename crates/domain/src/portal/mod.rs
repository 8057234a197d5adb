//! Portal: what members do and meet on their phones. Rules: invitations, bulletins and whom they reach.

pub mod bulletin;
pub mod invitation;
pub mod learning;
