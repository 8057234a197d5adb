//! Portal: invitations to the member portal; bulletins, who they reach and who has read them. Repositories.

pub mod bulletins;
pub mod greetings;
pub mod invitations;
pub mod learning;
