//! The two coverages of 两新 organisations (两个覆盖): organisational coverage (有形覆盖: is there a party
//! organisation, or one that reaches it, for each host entity) and work coverage (有效覆盖: did that
//! organisation actually hold activities lately). The app layer counts hosts; this module says what counts
//! as covered, which window "lately" is, and how rates are written.

use chrono::{Months, NaiveDate};

use crate::org_life::duty::{Frequency, Period};
use crate::organisations::org::code_enum;

code_enum!(
    /// What a host entity of the census is (the 两新 and the new employment groups).
    HostEntityKind {
        Enterprise = "enterprise": "非公企业",
        SocialOrg = "social_org": "社会组织",
        Merchant = "merchant": "个体工商户",
        Building = "building": "商务楼宇",
        BusinessDistrict = "business_district": "商圈",
        Market = "market": "专业市场",
        NewEmployment = "new_employment": "新就业群体",
    }
);

code_enum!(
    /// How a host entity is reached by the party, best first.
    OrgCoverage {
        OwnOrg = "own_org": "单独建立党组织",
        JointBranch = "joint_branch": "联合党支部覆盖",
        Community = "community": "党建联盟/区域党组织覆盖",
        Instructor = "instructor": "选派党建指导员",
        None = "none": "未覆盖",
    }
);

impl OrgCoverage {
    /// Whether this counts for organisational coverage: a party organisation of its own, a joint branch or a
    /// community covering it. An instructor (党建指导员) works towards an organisation but is not one, so
    /// instructor-only hosts count as not yet covered.
    pub fn is_covered(self) -> bool {
        matches!(self, OrgCoverage::OwnOrg | OrgCoverage::JointBranch | OrgCoverage::Community)
    }
}

/// The window of work coverage, "activities held in the last quarter": the three calendar months ending
/// `today`, both ends inclusive, i.e. from the day after `today` minus three months. Calendar months clamp
/// at month end like [`NaiveDate::checked_sub_months`], so on 31 May the window opens on 1 March (28/29
/// February + 1 day), the same as on 28–30 May; on 29 February 2024 it opens on 30 November 2023.
pub fn work_window(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let start = today.checked_sub_months(Months::new(3)).and_then(|d| d.succ_opt()).unwrap_or(NaiveDate::MIN);
    (start, today)
}

/// `num / den` in hundredths of a percent, rounded half up: 1/3 → 3333 (33.33 %), 2/3 → 6667. None when
/// there is nothing to cover (`den == 0`), so that the caller shows "—" rather than 0 % or 100 %. A
/// numerator above the denominator (which a correct count never gives) reads as 100 %.
pub fn rate(num: u32, den: u32) -> Option<u32> {
    (den > 0).then(|| {
        let r = div_half_up(u128::from(num.min(den)) * 10_000, u128::from(den));
        u32::try_from(r).expect("at most 10000")
    })
}

/// The quarter a date lies in, e.g. `2026-Q4` (the [`Period`] label, so census rounds and the duty engine
/// name quarters alike).
pub fn quarter_of(date: NaiveDate) -> String {
    Period::containing(Frequency::Quarterly, date).label()
}

/// `n / d` rounded half up, for `d > 0`: the one rounding rule of the scoring modules (coverage rates,
/// task progress, evaluation totals, grant points), all of which stay in integers to remain exact.
pub(crate) fn div_half_up(n: u128, d: u128) -> u128 {
    n / d + u128::from(n % d >= d - n % d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn only_organisations_count_as_org_coverage() {
        let covered: Vec<&str> = OrgCoverage::ALL.iter().filter(|c| c.is_covered()).map(|c| c.code()).collect();
        assert_eq!(covered, ["own_org", "joint_branch", "community"]);
        assert_eq!(OrgCoverage::from_code("instructor"), Some(OrgCoverage::Instructor));
        assert_eq!(HostEntityKind::from_code("new_employment").map(HostEntityKind::label), Some("新就业群体"));
    }

    #[test]
    fn rates_in_hundredths_of_a_percent() {
        assert_eq!(rate(1, 3), Some(3333));
        assert_eq!(rate(2, 3), Some(6667));
        assert_eq!(rate(1, 32), Some(313)); // 312.5 rounds up
        assert_eq!(rate(1, 16), Some(625));
        assert_eq!(rate(0, 7), Some(0));
        assert_eq!(rate(7, 7), Some(10_000));
        assert_eq!(rate(u32::MAX, u32::MAX), Some(10_000));
        assert_eq!(rate(u32::MAX - 1, u32::MAX), Some(10_000)); // 99.99999998 %
        assert_eq!(rate(9, 7), Some(10_000));
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(3, 0), None);
    }

    #[test]
    fn half_up_division() {
        assert_eq!([div_half_up(4, 2), div_half_up(5, 2), div_half_up(4, 3), div_half_up(5, 3)], [2, 3, 1, 2]);
        assert_eq!(div_half_up(0, 9), 0);
        assert_eq!(div_half_up(u128::MAX, u128::MAX), 1);
        assert_eq!(div_half_up(u128::MAX, 2), u128::MAX / 2 + 1);
    }

    #[test]
    fn the_work_window_is_three_months_ending_today() {
        assert_eq!(work_window(d(2026, 6, 30)), (d(2026, 3, 31), d(2026, 6, 30)));
        assert_eq!(work_window(d(2026, 4, 1)), (d(2026, 1, 2), d(2026, 4, 1)));
        // Across the year boundary.
        assert_eq!(work_window(d(2026, 1, 15)), (d(2025, 10, 16), d(2026, 1, 15)));
        assert_eq!(work_window(d(2026, 3, 31)), (d(2026, 1, 1), d(2026, 3, 31)));
        assert_eq!(work_window(d(2026, 12, 31)), (d(2026, 10, 1), d(2026, 12, 31)));
        // Month-end clamping: 28 February (2026) or 29 February (2024) plus a day.
        for day in 28..=31 {
            assert_eq!(work_window(d(2026, 5, day)).0, d(2026, 3, 1));
        }
        assert_eq!(work_window(d(2026, 5, 27)).0, d(2026, 2, 28));
        assert_eq!(work_window(d(2024, 5, 28)).0, d(2024, 2, 29));
        assert_eq!(work_window(d(2024, 5, 29)).0, d(2024, 3, 1));
        // Today is 29 February.
        assert_eq!(work_window(d(2024, 2, 29)), (d(2023, 11, 30), d(2024, 2, 29)));
        assert_eq!(work_window(NaiveDate::MIN).0, NaiveDate::MIN);
    }

    #[test]
    fn quarter_labels() {
        assert_eq!(quarter_of(d(2026, 12, 31)), "2026-Q4");
        assert_eq!(quarter_of(d(2026, 1, 1)), "2026-Q1");
        assert_eq!(quarter_of(d(2024, 2, 29)), "2024-Q1");
        assert_eq!(quarter_of(d(2026, 4, 1)), "2026-Q2");
        assert_eq!(quarter_of(d(2026, 9, 30)), "2026-Q3");
    }
}
