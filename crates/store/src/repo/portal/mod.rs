//! Portal: bulletins, who they reach and who has read them. Repositories.

pub mod bulletins;
