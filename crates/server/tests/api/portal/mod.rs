//! The member portal (指尖党建): what a member sees of themselves.

mod invitations;
mod me;
