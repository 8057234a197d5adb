//! Party affairs: dues bases, payments and the months paid; recruits and their steps; relationship transfers.
//! Entities.

pub mod dues_base;
pub mod dues_month;
pub mod dues_payment;
pub mod recruit;
pub mod recruit_step;
pub mod transfer;
