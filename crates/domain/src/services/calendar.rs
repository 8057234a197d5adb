//! Working days (工作日): Monday to Friday, except the public holidays the county admin enters for a
//! year, plus the weekend days that are worked instead (调休). Time limits of service requests are
//! counted in working days from the day after the request arrives (as 《行政许可法》第八十二条 counts
//! its limits: working days, without the statutory holidays).

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// A county's exceptions to the Monday–Friday week.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    /// Weekdays that are not worked (法定节假日 and the days moved to make the holiday).
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are worked (调休上班).
    pub workdays: BTreeSet<NaiveDate>,
}

impl WorkCalendar {
    pub fn is_working(&self, d: NaiveDate) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        if self.holidays.contains(&d) {
            return false;
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The `n`-th working day after `from` (`from` itself does not count); `from` when `n` is 0.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d += Duration::days(1);
            if self.is_working(d) {
                n += 1;
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// 2026's National Day: 1–8 October off (1–7 plus the moved Thursday 8th), Sunday 27 September and
    /// Saturday 10 October worked.
    fn national_day_2026() -> WorkCalendar {
        WorkCalendar {
            holidays: (1..=8).map(|day| NaiveDate::from_ymd_opt(2026, 10, day).unwrap()).collect(),
            workdays: [d("2026-09-27"), d("2026-10-10")].into_iter().collect(),
        }
    }

    #[test]
    fn weekends_do_not_count() {
        let c = WorkCalendar::default();
        // Friday 4 December 2026 + 1 working day = Monday 7 December.
        assert_eq!(c.add_working_days(d("2026-12-04"), 1), d("2026-12-07"));
        assert_eq!(c.add_working_days(d("2026-12-04"), 5), d("2026-12-11"));
        assert_eq!(c.add_working_days(d("2026-12-04"), 0), d("2026-12-04"));
        // Submitted on a Saturday: Monday is the first working day.
        assert_eq!(c.add_working_days(d("2026-12-05"), 1), d("2026-12-07"));
    }

    #[test]
    fn a_holiday_and_a_worked_saturday_inside_a_limit() {
        let c = national_day_2026();
        // Tuesday 29 September + 5 working days: 30 Sep, (1–8 Oct off, 3/4 a weekend anyway), Fri 9,
        // Sat 10 (调休), Mon 12, Tue 13.
        assert_eq!(c.add_working_days(d("2026-09-29"), 5), d("2026-10-13"));
        assert!(c.is_working(d("2026-09-27")), "a Sunday worked");
        assert!(!c.is_working(d("2026-10-08")), "a Thursday off");
        assert_eq!(c.working_days_between(d("2026-09-29"), d("2026-10-13")), 5);
        assert_eq!(c.working_days_between(d("2026-10-13"), d("2026-09-29")), 0);
    }

    #[test]
    fn counting_forward_and_back_agree() {
        let c = national_day_2026();
        let start = d("2026-09-20");
        for n in 0..40 {
            let due = c.add_working_days(start, n);
            assert_eq!(c.working_days_between(start, due), n);
        }
    }
}
