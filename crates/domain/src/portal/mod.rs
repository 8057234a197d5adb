//! Portal: what members do on their phones. Rules.

pub mod invitation;
