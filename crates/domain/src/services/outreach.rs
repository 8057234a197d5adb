//! 送政策、送服务、送温暖上门 (outreach visits): an organisation's visit to an enterprise, what it
//! delivered, and the figures by month and kind.

use chrono::NaiveDate;

use crate::organisations::org::code_enum;

code_enum!(
    /// What a visit delivered (one visit may deliver several).
    OutreachKind {
        Policy = "policy": "送政策",
        Service = "service": "送服务",
        Warmth = "warmth": "送温暖",
    }
);

/// The kinds of a visit: at least one, each once, in the fixed order 政策、服务、温暖.
pub fn check_kinds(kinds: &[OutreachKind]) -> Result<Vec<OutreachKind>, String> {
    let out: Vec<OutreachKind> = OutreachKind::ALL.iter().copied().filter(|k| kinds.contains(k)).collect();
    if out.is_empty() {
        return Err("请至少选择一项：送政策、送服务或送温暖".into());
    }
    Ok(out)
}

/// A visit happened on a day not after today and not before 2000.
pub fn check_date(on: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if on > today {
        return Err("走访日期不能晚于今天".into());
    }
    if on < NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date") {
        return Err("走访日期无效".into());
    }
    Ok(())
}

/// How many visits delivered each kind in each month (index 0 = January); a visit delivering two
/// kinds counts once under each, and once in `visits`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthCounts {
    pub visits: [u64; 12],
    pub by_kind: [[u64; 12]; 3],
}

impl MonthCounts {
    pub fn add(&mut self, month: u32, kinds: &[OutreachKind]) {
        let m = (month.clamp(1, 12) - 1) as usize;
        self.visits[m] += 1;
        for k in kinds {
            let i = OutreachKind::ALL.iter().position(|x| x == k).expect("a known kind");
            self.by_kind[i][m] += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visit_delivers_at_least_one_kind_each_once() {
        use OutreachKind::*;
        assert!(check_kinds(&[]).is_err());
        assert_eq!(check_kinds(&[Warmth, Policy, Warmth]).unwrap(), vec![Policy, Warmth]);
    }

    #[test]
    fn a_visit_is_not_dated_in_the_future() {
        let today: NaiveDate = "2026-12-06".parse().unwrap();
        assert!(check_date(today, today).is_ok());
        assert!(check_date(today.succ_opt().unwrap(), today).is_err());
        assert!(check_date("1999-12-31".parse().unwrap(), today).is_err());
    }

    #[test]
    fn months_count_visits_once_and_each_kind() {
        let mut c = MonthCounts::default();
        c.add(3, &[OutreachKind::Policy, OutreachKind::Warmth]);
        c.add(3, &[OutreachKind::Service]);
        assert_eq!(c.visits[2], 2);
        assert_eq!(c.by_kind[0][2], 1);
        assert_eq!(c.by_kind[1][2], 1);
        assert_eq!(c.by_kind[2][2], 1);
        assert_eq!(c.visits.iter().sum::<u64>(), 2);
    }
}
