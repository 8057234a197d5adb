//! Party dues (党费), as 《关于中国共产党党费收缴、使用和管理的规定》 (中组发〔2008〕3号) sets them: a
//! member's monthly dues from the monthly after-tax salary (the base) by bracket, fixed amounts for
//! those without a salary, from the month of admission, a new base from the month it applies; payment
//! month by month (by the quarter with the branch's consent), at most six months made up at once;
//! arrears warned at three months, and six months unpaid flagged for the branch (党章 Art. 38:
//! 连续六个月不交纳党费 is regarded as leaving the party, a matter the branch must handle); a voluntary
//! extra of 1,000 yuan or more in one payment is remitted in full to the Central Committee. Money in
//! exact fen.

use chrono::{Datelike, NaiveDate};

use crate::goals::grant::Fen;
use crate::organisations::org::code_enum;

code_enum!(
    /// What a member's dues are reckoned from.
    DuesCategory {
        Employed = "employed": "在职（按工资收入）",
        Retired = "retired": "离退休（按离退休费）",
        Farmer = "farmer": "农民",
        Student = "student": "学生",
        Unemployed = "unemployed": "下岗失业",
        Relief = "relief": "依靠抚恤或救济生活",
    }
);

/// A month, `YYYY-MM` (months are what dues are due for).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    pub fn of(d: NaiveDate) -> Self {
        Month { year: d.year(), month: d.month() }
    }

    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || format!("月份“{s}”无效，应为 YYYY-MM");
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let (year, month): (i32, u32) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if !(1..=12).contains(&month) || !(1921..=9999).contains(&year) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    pub fn prev(self) -> Self {
        if self.month == 1 { Month { year: self.year - 1, month: 12 } } else { Month { month: self.month - 1, ..self } }
    }

    pub fn next(self) -> Self {
        if self.month == 12 { Month { year: self.year + 1, month: 1 } } else { Month { month: self.month + 1, ..self } }
    }

    /// Months from `self` to `later` (0 for the same month; negative when `later` is earlier).
    pub fn months_to(self, later: Month) -> i64 {
        i64::from(later.year - self.year) * 12 + i64::from(later.month) - i64::from(self.month)
    }

    /// The quarter's first month.
    pub fn quarter_start(self) -> Self {
        Month { month: (self.month - 1) / 3 * 3 + 1, ..self }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The lowest and highest monthly amount a farmer member chooses: 0.2 to 1 yuan.
pub const FARMER_RANGE: std::ops::RangeInclusive<i64> = 20..=100;
/// Students, the unemployed and members on relief: 0.2 yuan a month.
pub const FLAT_FEN: i64 = 20;
/// A voluntary extra from this amount on, in one payment, is remitted in full to the Central Committee.
pub const REMIT_TO_CENTRE_FEN: i64 = 100_000;
/// At most this many past months are made up in one payment.
pub const MAX_BACK_MONTHS: i64 = 6;
/// Unpaid months at which the member is warned, and at which the branch must act.
pub const WARN_MONTHS: usize = 3;
pub const ACT_MONTHS: usize = 6;

/// `base` × `basis_points` / 10,000, rounded half up to the fen.
fn share(base: Fen, basis_points: i64) -> Fen {
    Fen((base.0 * basis_points + 5_000) / 10_000)
}

/// The rate in basis points for a monthly base, upper bounds inclusive: employed ≤ 3,000 yuan 0.5 %,
/// ≤ 5,000 1 %, ≤ 10,000 1.5 %, above 2 %; retired ≤ 5,000 0.5 %, above 1 %.
pub fn rate(category: DuesCategory, base: Fen) -> Option<i64> {
    let y = |yuan: i64| yuan * 100;
    match category {
        DuesCategory::Employed => Some(match base.0 {
            b if b <= y(3_000) => 50,
            b if b <= y(5_000) => 100,
            b if b <= y(10_000) => 150,
            _ => 200,
        }),
        DuesCategory::Retired => Some(if base.0 <= y(5_000) { 50 } else { 100 }),
        _ => None,
    }
}

/// A member's monthly dues: by the base for the salaried and retired, the chosen amount (0.2–1 yuan)
/// for farmers, 0.2 yuan for the others.
pub fn monthly(category: DuesCategory, base: Option<Fen>, farmer_fen: Option<i64>) -> Result<Fen, String> {
    match category {
        DuesCategory::Employed | DuesCategory::Retired => {
            let base = base.ok_or("请填写月工资收入（税后）")?;
            if base.0 < 0 {
                return Err("月工资收入不能为负数".into());
            }
            Ok(share(base, rate(category, base).unwrap_or(0)))
        }
        DuesCategory::Farmer => match farmer_fen {
            Some(f) if FARMER_RANGE.contains(&f) => Ok(Fen(f)),
            Some(_) => Err("农民党员每月交纳 0.2 元至 1 元".into()),
            None => Err("请填写农民党员每月交纳的金额（0.2 元至 1 元）".into()),
        },
        DuesCategory::Student | DuesCategory::Unemployed | DuesCategory::Relief => Ok(Fen(FLAT_FEN)),
    }
}

/// One base of a member: what applies from `from` on (a new salary applies from the month it is paid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    pub from: Month,
    pub category: DuesCategory,
    pub base: Option<Fen>,
    pub farmer_fen: Option<i64>,
}

/// The dues of each month through `until`, by the base that applies in each: (month, amount). Due
/// from the month of admission (a probationary member pays from the day of admission), but not before
/// the first base: the months before a county registered its members' bases were kept elsewhere.
pub fn schedule(admitted: NaiveDate, bases: &[Base], until: Month) -> Result<Vec<(Month, Fen)>, String> {
    let mut sorted: Vec<&Base> = bases.iter().collect();
    sorted.sort_by_key(|b| b.from);
    let first = sorted.first().ok_or("尚未登记党费基数")?;
    let mut out = Vec::new();
    let mut m = Month::of(admitted).max(first.from);
    while m <= until {
        let b = sorted.iter().rev().find(|b| b.from <= m).unwrap_or(first);
        out.push((m, monthly(b.category, b.base, b.farmer_fen)?));
        m = m.next();
    }
    Ok(out)
}

/// Whether a payment made on `paid_on` may cover `months` (ascending, no repeats): no month before the
/// admission, at most [`MAX_BACK_MONTHS`] before the month of payment, none after it unless the branch
/// allowed paying by the quarter — then up to the end of the payment's quarter.
pub fn check_cover(months: &[Month], admitted: NaiveDate, paid_on: NaiveDate, quarterly: bool) -> Result<(), String> {
    let now = Month::of(paid_on);
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Err("请选择所交的月份".into());
    };
    if months.windows(2).any(|w| w[0] >= w[1]) {
        return Err("月份须从早到晚且不重复".into());
    }
    if *first < Month::of(admitted) {
        return Err(format!("{first} 早于入党的月份，不需交纳"));
    }
    if first.months_to(now) > MAX_BACK_MONTHS {
        return Err(format!("补交党费最多补交 {MAX_BACK_MONTHS} 个月（{first} 已超过）"));
    }
    let quarter_end = Month { month: now.quarter_start().month + 2, ..now };
    match (quarterly, *last > now) {
        (_, false) => Ok(()),
        (true, true) if *last <= quarter_end => Ok(()),
        (true, true) => Err(format!("按季交纳最多交到本季度末（{quarter_end}）")),
        (false, true) => Err("经党支部同意按季交纳的，才能预交以后月份的党费".into()),
    }
}

/// Arrears: the months due before `this_month` and unpaid (the current month may still be paid), and the
/// run of consecutive unpaid months ending with the month before — what the warning and the branch's
/// duty count.
pub fn arrears(due: &[(Month, Fen)], paid: &[Month], this_month: Month) -> (Vec<Month>, usize) {
    let paid: std::collections::HashSet<Month> = paid.iter().copied().collect();
    let unpaid: Vec<Month> = due.iter().map(|d| d.0).filter(|m| *m < this_month && !paid.contains(m)).collect();
    let set: std::collections::HashSet<Month> = unpaid.iter().copied().collect();
    let mut run = 0;
    let mut m = this_month.prev();
    while set.contains(&m) {
        run += 1;
        m = m.prev();
    }
    (unpaid, run)
}

/// Whether a payment's voluntary extra is remitted in full to the Central Committee: 自愿一次多交 1,000
/// yuan or more (the dues themselves, however many months, stay with the party organisations).
pub fn remitted_to_centre(extra: Fen) -> bool {
    extra.0 >= REMIT_TO_CENTRE_FEN
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn mo(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    #[test]
    fn brackets_with_inclusive_upper_bounds() {
        let e = |yuan: i64| monthly(DuesCategory::Employed, Some(Fen(yuan * 100)), None).unwrap().0;
        assert_eq!(e(3_000), 1_500, "3,000 yuan: 0.5 % = 15 yuan");
        assert_eq!(monthly(DuesCategory::Employed, Some(Fen(300_001)), None).unwrap().0, 3_000, "a fen more: 1 %");
        assert_eq!(e(5_000), 5_000);
        assert_eq!(e(5_001), 7_502, "1.5 % of 5,001 = 75.015 → 75.02 (half up)");
        assert_eq!(e(10_000), 15_000);
        assert_eq!(e(10_001), 20_002);
        assert_eq!(e(0), 0);
        let r = |yuan: i64| monthly(DuesCategory::Retired, Some(Fen(yuan * 100)), None).unwrap().0;
        assert_eq!(r(5_000), 2_500);
        assert_eq!(r(5_001), 5_001);
        // 0.5 % of 1,234.57 yuan = 6.17285 → 6.17.
        assert_eq!(monthly(DuesCategory::Employed, Some(Fen(123_457)), None).unwrap().0, 617);
        // 0.5 % of 1,235.00 yuan = 6.175 → 6.18 (half up, never banker's rounding).
        assert_eq!(monthly(DuesCategory::Employed, Some(Fen(123_500)), None).unwrap().0, 618);
        assert!(monthly(DuesCategory::Employed, None, None).is_err());
    }

    #[test]
    fn fixed_amounts_without_a_salary() {
        assert_eq!(monthly(DuesCategory::Farmer, None, Some(50)).unwrap().0, 50);
        assert!(monthly(DuesCategory::Farmer, None, Some(19)).is_err());
        assert!(monthly(DuesCategory::Farmer, None, Some(101)).is_err());
        assert!(monthly(DuesCategory::Farmer, None, None).is_err());
        for c in [DuesCategory::Student, DuesCategory::Unemployed, DuesCategory::Relief] {
            assert_eq!(monthly(c, None, None).unwrap().0, 20);
        }
    }

    #[test]
    fn from_admission_and_a_new_salary_from_its_month() {
        let bases = [
            Base { from: mo("2026-01"), category: DuesCategory::Employed, base: Some(Fen(400_000)), farmer_fen: None },
            Base { from: mo("2026-07"), category: DuesCategory::Employed, base: Some(Fen(600_000)), farmer_fen: None },
        ];
        // Admitted on 31 March (probationary from that day): March is due.
        let s = schedule(d(2026, 3, 31), &bases, mo("2026-08")).unwrap();
        assert_eq!(s.first().unwrap().0, mo("2026-03"));
        assert_eq!(s.len(), 6);
        assert_eq!(s.iter().find(|x| x.0 == mo("2026-06")).unwrap().1, Fen(4_000));
        assert_eq!(s.iter().find(|x| x.0 == mo("2026-07")).unwrap().1, Fen(9_000), "1.5 % from July");
        // Nothing is due before the first base (the months before were kept elsewhere).
        let late = schedule(d(2025, 11, 1), &bases[1..], mo("2026-08")).unwrap();
        assert_eq!(late, vec![(mo("2026-07"), Fen(9_000)), (mo("2026-08"), Fen(9_000))]);
        assert!(schedule(d(2026, 1, 1), &[], mo("2026-02")).is_err());
    }

    #[test]
    fn months_a_payment_may_cover() {
        let admitted = d(2020, 1, 1);
        let on = d(2026, 12, 7);
        let ms = |v: &[&str]| v.iter().map(|s| mo(s)).collect::<Vec<_>>();
        assert!(check_cover(&ms(&["2026-06", "2026-07"]), admitted, on, false).is_ok(), "six months back");
        assert!(check_cover(&ms(&["2026-05"]), admitted, on, false).is_err(), "seven months back");
        assert!(check_cover(&ms(&["2027-01"]), admitted, on, false).is_err(), "ahead without consent");
        assert!(check_cover(&ms(&["2026-12"]), admitted, on, false).is_ok());
        // Quarterly: up to the quarter's end (October–December).
        assert!(check_cover(&ms(&["2026-11", "2026-12"]), admitted, d(2026, 11, 2), true).is_ok());
        assert!(check_cover(&ms(&["2026-12", "2027-01"]), admitted, on, true).is_err());
        assert!(check_cover(&ms(&["2026-02"]), d(2026, 3, 1), d(2026, 3, 5), false).is_err(), "before admission");
        assert!(check_cover(&ms(&["2026-10", "2026-09"]), admitted, on, false).is_err());
        assert!(check_cover(&[], admitted, on, false).is_err());
    }

    #[test]
    fn arrears_warned_at_three_and_flagged_at_six() {
        let due: Vec<(Month, Fen)> = (1..=12).map(|m| (Month { year: 2026, month: m }, Fen(1_500))).collect();
        let paid: Vec<Month> = (1..=6).map(|m| Month { year: 2026, month: m }).collect();
        // Paid through June: in December, July to November are behind (December may still be paid).
        let (unpaid, run) = arrears(&due, &paid, mo("2026-12"));
        assert_eq!(unpaid.len(), 5);
        assert_eq!(run, 5);
        assert!(run < ACT_MONTHS, "not yet six");
        let due13: Vec<(Month, Fen)> = due.iter().copied().chain([(mo("2027-01"), Fen(1_500))]).collect();
        assert_eq!(arrears(&due13, &paid, mo("2027-01")).1, ACT_MONTHS, "six in a row in January: the branch must act");
        let (_, run) = arrears(&due, &paid, mo("2026-10"));
        assert_eq!(run, 3);
        assert!((WARN_MONTHS..ACT_MONTHS).contains(&run));
        // Across a year end.
        let due2 = [(mo("2025-11"), Fen(20)), (mo("2025-12"), Fen(20)), (mo("2026-01"), Fen(20))];
        assert_eq!(arrears(&due2, &[], mo("2026-02")).1, 3);
        assert_eq!(arrears(&due2, &[mo("2025-12")], mo("2026-02")).1, 1);
        assert_eq!(arrears(&due2, &[], mo("2026-01")).1, 2, "January itself not yet behind");
    }

    #[test]
    fn months_and_the_centre() {
        assert_eq!(mo("2026-02").to_string(), "2026-02");
        assert!(Month::parse("2026-13").is_err() && Month::parse("2026/01").is_err());
        assert_eq!(mo("2025-12").next(), mo("2026-01"));
        assert_eq!(mo("2026-01").prev(), mo("2025-12"));
        assert_eq!(mo("2025-11").months_to(mo("2026-02")), 3);
        assert_eq!(mo("2026-08").quarter_start(), mo("2026-07"));
        assert!(remitted_to_centre(Fen(100_000)) && !remitted_to_centre(Fen(99_999)));
    }
}
