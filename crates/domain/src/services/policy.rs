//! Enterprise-benefit policies (惠企政策): who may benefit and whether a policy is in force.

use chrono::NaiveDate;

use crate::organisations::org::code_enum;

code_enum!(
    /// Enterprise sizes (大中小微, 《统计上大中小微型企业划分办法》).
    EnterpriseSize {
        Large = "large": "大型企业",
        Medium = "medium": "中型企业",
        Small = "small": "小型企业",
        Micro = "micro": "微型企业",
        Individual = "individual": "个体工商户",
    }
);

/// Industries a policy may be limited to (the sections of GB/T 4754 a county's enterprises fall in).
/// A policy limited to none applies to every industry.
pub const INDUSTRIES: &[&str] = &[
    "农林牧渔业",
    "制造业",
    "建筑业",
    "批发和零售业",
    "交通运输、仓储和邮政业",
    "住宿和餐饮业",
    "信息传输、软件和信息技术服务业",
    "科学研究和技术服务业",
    "租赁和商务服务业",
    "文化、体育和娱乐业",
    "居民服务和其他服务业",
];

code_enum!(
    /// Which policies a search looks at: those in force today (the default), expired ones, or all.
    Validity {
        Current = "current": "现行有效",
        Expired = "expired": "已失效",
        All = "all": "全部",
    }
);

/// A policy is in force from its first day to its last (inclusive); without a last day it stays in
/// force. One not yet in force counts as current (it is announced and can be prepared for).
pub fn in_force(until: Option<NaiveDate>, today: NaiveDate) -> bool {
    until.is_none_or(|u| u >= today)
}

/// The dates a policy is in force, checked: the last day is not before the first.
pub fn check_dates(from: NaiveDate, until: Option<NaiveDate>) -> Result<(), String> {
    match until {
        Some(u) if u < from => Err("失效日期不能早于施行日期".into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_policy_is_in_force_through_its_last_day() {
        let today = d("2026-12-06");
        assert!(in_force(None, today));
        assert!(in_force(Some(d("2026-12-06")), today));
        assert!(!in_force(Some(d("2026-12-05")), today));
    }

    #[test]
    fn the_last_day_is_not_before_the_first() {
        assert!(check_dates(d("2026-01-01"), Some(d("2026-01-01"))).is_ok());
        assert!(check_dates(d("2026-01-02"), Some(d("2026-01-01"))).is_err());
        assert!(check_dates(d("2026-01-02"), None).is_ok());
    }
}
