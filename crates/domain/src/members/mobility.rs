//! Mobile members (流动党员): outflow reasons, contact kinds and the lost-contact rule.

use chrono::{Months, NaiveDate};

use crate::organisations::org::code_enum;

code_enum!(
    /// Why a member left (外出原因).
    OutflowReason {
        WorkBusiness = "work_business": "务工经商",
        Study = "study": "学习",
        FollowFamily = "follow_family": "随迁",
        Other = "other": "其他",
    }
);

code_enum!(
    /// How a member was reached.
    ContactKind {
        Call = "call": "电话",
        Visit = "visit": "走访",
        Wechat = "wechat": "微信",
        Greeting = "greeting": "节日问候",
        Census = "census": "摸排",
    }
);

code_enum!(
    MobilityDirection {
        Outflow = "outflow": "外出",
        Inflow = "inflow": "流入",
    }
);

/// The lost-contact rule: a mobile member not contacted for `months` months
/// (counted from the last contact, or from the start of the outflow if that is
/// later or there was none)
/// is 失联. Calendar months, so "6 months" from 31 August ends on 28/29 February.
pub fn is_lost(last_contact: Option<NaiveDate>, outflow_start: NaiveDate, today: NaiveDate, months: u32) -> bool {
    let since = last_contact.map_or(outflow_start, |l| l.max(outflow_start));
    match since.checked_add_months(Months::new(months)) {
        Some(deadline) => today >= deadline,
        None => false,
    }
}

/// The newest date on which a member last contacted counts as lost today:
/// members whose last contact is on or before this day are lost.
pub fn lost_cutoff(today: NaiveDate, months: u32) -> NaiveDate {
    // The last `since` with since + months <= today.
    let mut cutoff = today.checked_sub_months(Months::new(months)).unwrap_or(today);
    // Month-end clamping: 31 Aug + 6 months = 28 Feb, so 31 Aug counts as lost on 28 Feb.
    while cutoff.succ_opt().and_then(|d| d.checked_add_months(Months::new(months))).is_some_and(|d| d <= today) {
        cutoff = cutoff.succ_opt().expect("not the last date");
    }
    cutoff
}

/// Whole days between two dates (0 when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days().max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn six_months_without_contact_is_lost() {
        let start = d(2025, 1, 10);
        assert!(!is_lost(Some(d(2026, 5, 28)), start, d(2026, 11, 27), 6));
        assert!(is_lost(Some(d(2026, 5, 27)), start, d(2026, 11, 27), 6), "exactly six months");
        assert!(is_lost(None, d(2026, 5, 1), d(2026, 11, 27), 6), "never contacted: counted from the outflow start");
        assert!(!is_lost(None, d(2026, 6, 1), d(2026, 11, 27), 6));
        // Month-end: 31 Aug + 6 months = 28 Feb (2027 is not a leap year).
        assert!(!is_lost(Some(d(2026, 8, 31)), start, d(2027, 2, 27), 6));
        assert!(is_lost(Some(d(2026, 8, 31)), start, d(2027, 2, 28), 6));
    }

    #[test]
    fn cutoff_agrees_with_the_rule() {
        for today in [d(2026, 11, 27), d(2027, 2, 28), d(2028, 2, 29), d(2026, 3, 31), d(2026, 8, 31)] {
            let c = lost_cutoff(today, 6);
            assert!(is_lost(Some(c), d(2000, 1, 1), today, 6), "{today}: cutoff {c} must be lost");
            assert!(!is_lost(c.succ_opt(), d(2000, 1, 1), today, 6), "{today}: the day after {c} must not be");
        }
    }
}
