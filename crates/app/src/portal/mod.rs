//! Portal: what members do on their phones (指尖党建). The member's own views, composed from the
//! areas' use cases so that every answer is permission-checked as it is there; and bulletins
//! (通知公告), which the console writes and members read.

pub mod bulletins;
pub mod greetings;
pub mod invitations;
pub mod learning;
pub mod me;
