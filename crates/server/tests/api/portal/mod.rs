//! The member portal (指尖党建): what a member sees of themselves, and the bulletins that reach them.

mod bulletins;
mod greetings;
mod invitations;
mod learning;
mod me;
