//! Services: service places and the venue standard, the policy library and its search.

mod places;
mod policies;
mod reach;
mod requests;
