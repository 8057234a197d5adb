//! Party affairs: dues bases, payments and the months paid. Entities.

pub mod dues_base;
pub mod dues_month;
pub mod dues_payment;
