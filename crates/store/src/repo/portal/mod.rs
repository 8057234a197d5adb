//! Portal: invitations to the member portal. Repositories.

pub mod invitations;
