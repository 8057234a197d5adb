//! The member portal's own tables.

pub mod invitation;
