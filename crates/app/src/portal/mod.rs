//! Portal: what members do on their phones (指尖党建). The member's own views, composed from the
//! areas' use cases so that every answer is permission-checked as it is there.

pub mod invitations;
pub mod me;
