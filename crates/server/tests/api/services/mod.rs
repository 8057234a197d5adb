//! Services: service places and the venue standard, the policy library and its search, 红链直通车,
//! outreach visits and needs.

mod needs;
mod outreach;
mod places;
mod policies;
mod reach;
mod requests;
