//! Hometown (Wuchuan's three programmes, 回乡工程 / 关爱工程 / 先锋工程): investment drives and the
//! leads they bring home, the care fund, and honours.

pub mod care;
pub mod honour;
pub mod investment;

use chrono::NaiveDate;

/// The earliest day a record of the programmes may carry.
pub const FIRST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// A day of a record: from [`FIRST_DAY`] to today.
pub fn check_date(on: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if on > today {
        Err("日期不能晚于今天".into())
    } else if on < FIRST_DAY {
        Err(format!("日期不能早于 {FIRST_DAY}"))
    } else {
        Ok(())
    }
}
