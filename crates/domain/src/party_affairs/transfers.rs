//! 组织关系转接: moving a member's organisational relationship.
//!
//! Inside the deployment the sending organisation asks and the receiving one accepts; until it does, the
//! member stays with the sender, who remains responsible (《中国共产党党员教育管理工作条例》第二十五条:
//! 党员组织关系转接……转出党组织在接收党组织接收前仍负有管理责任). To or from an organisation outside
//! the deployment, the paper introduction letter (党员组织关系介绍信) is used: three parts — the stub
//! (存根) kept by the sender, the letter carried by the member, the receipt slip (回执) sent back by the
//! receiver, which is expected within one month (中组部《关于党员组织关系转接工作有关问题的通知》:
//! 回执应在一个月内寄回). The letter's validity and dates are written in Chinese numerals as on the
//! printed form.

use chrono::{Datelike, Months, NaiveDate};

use crate::organisations::org::code_enum;

code_enum!(
    /// How the relationship moves.
    TransferKind {
        Within = "within": "系统内转接",
        LetterOut = "letter_out": "介绍信转出",
        LetterIn = "letter_in": "介绍信转入",
    }
);

code_enum!(
    /// Where a transfer stands.
    TransferStatus {
        Requested = "requested": "待接收",
        Accepted = "accepted": "已接收",
        Refused = "refused": "已退回",
        Cancelled = "cancelled": "已撤销",
        Issued = "issued": "待回执",
        Returned = "returned": "已回执",
        Registered = "registered": "已登记转入",
    }
);

impl TransferStatus {
    /// Still in flight: the member is waiting to move.
    pub fn open(self) -> bool {
        matches!(self, TransferStatus::Requested | TransferStatus::Issued)
    }
}

/// Days a letter is valid (有效期): at least a week, at most three months; 30 unless the sender says otherwise.
pub const VALID_DAYS_RANGE: std::ops::RangeInclusive<u32> = 7..=90;
pub const DEFAULT_VALID_DAYS: u32 = 30;
/// The receipt is expected back within this many months of the letter.
pub const RECEIPT_MONTHS: u32 = 1;
/// A letter may be dated at most this many days back (one registered late), never ahead.
pub const MAX_BACKDATE_DAYS: i64 = 366;

/// The day the receipt of a letter issued on `issued_on` is due (calendar month, clamped at month ends).
pub fn receipt_due_on(issued_on: NaiveDate) -> NaiveDate {
    issued_on.checked_add_months(Months::new(RECEIPT_MONTHS)).unwrap_or(NaiveDate::MAX)
}

/// The last day a letter issued on `issued_on` with `valid_days` is valid (the issue day counts as the first).
pub fn valid_until(issued_on: NaiveDate, valid_days: u32) -> NaiveDate {
    // A typed day at the end of the calendar is refused by `check_day`, never a panic here.
    issued_on.checked_add_days(chrono::Days::new(u64::from(valid_days.max(1)) - 1)).unwrap_or(NaiveDate::MAX)
}

/// A letter waiting for its receipt past the due day.
pub fn receipt_overdue(status: TransferStatus, issued_on: NaiveDate, today: NaiveDate) -> bool {
    status == TransferStatus::Issued && today > receipt_due_on(issued_on)
}

/// The first issue day whose receipt is not yet overdue on `today`: letters issued before it are overdue
/// (an index-friendly bound for the overdue list).
pub fn overdue_before(today: NaiveDate) -> NaiveDate {
    let mut c = today.checked_sub_months(Months::new(RECEIPT_MONTHS)).unwrap_or(today);
    while receipt_due_on(c) < today && c < today {
        c = c.succ_opt().unwrap_or(today);
    }
    c
}

/// Why a letter's or a decision's day is not acceptable: never after today, at most a year back, and not
/// before `not_before` (the request or the letter it answers).
pub fn check_day(on: NaiveDate, not_before: Option<NaiveDate>, today: NaiveDate) -> Result<(), String> {
    if on > today {
        return Err("日期不能晚于今天".into());
    }
    if (today - on).num_days() > MAX_BACKDATE_DAYS {
        return Err("日期不能早于一年前".into());
    }
    match not_before {
        Some(b) if on < b => Err(format!("日期不能早于 {b}")),
        _ => Ok(()),
    }
}

const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// A number as written on a form: 7 → 七, 10 → 十, 15 → 十五, 30 → 三十, 90 → 九十, 105 → 一百零五,
/// 110 → 一百一十, 2026 → 二千零二十六 (up to 9,999).
pub fn chinese_number(n: u32) -> String {
    if n == 0 {
        return "零".into();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let parts = [(n / 1000, '千'), (n / 100 % 10, '百'), (n / 10 % 10, '十'), (n % 10, ' ')];
    let mut out = String::new();
    let mut zero_pending = false;
    for (i, (d, unit)) in parts.iter().enumerate() {
        if *d == 0 {
            if !out.is_empty() {
                zero_pending = true;
            }
            continue;
        }
        if zero_pending {
            out.push('零');
            zero_pending = false;
        }
        // 十五, not 一十五, when the tens lead.
        if !(i == 2 && *d == 1 && out.is_empty()) {
            out.push(DIGITS[*d as usize]);
        }
        if *unit != ' ' {
            out.push(*unit);
        }
    }
    out
}

/// A date as written on a form: 二〇二六年十二月七日 (the year digit by digit, month and day as numbers).
pub fn chinese_date(d: NaiveDate) -> String {
    let year: String =
        d.year().to_string().chars().map(|c| c.to_digit(10).map(|v| DIGITS[v as usize]).unwrap_or(c)).collect();
    format!("{year}年{}月{}日", chinese_number(d.month()), chinese_number(d.day()))
}

/// Age in whole years on `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    on.years_since(birth).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn numbers_read_as_on_the_form() {
        let cases = [
            (1, "一"),
            (7, "七"),
            (10, "十"),
            (15, "十五"),
            (20, "二十"),
            (30, "三十"),
            (31, "三十一"),
            (90, "九十"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1001, "一千零一"),
            (2026, "二千零二十六"),
        ];
        for (n, want) in cases {
            assert_eq!(chinese_number(n), want, "{n}");
        }
    }

    #[test]
    fn dates_read_as_on_the_form() {
        assert_eq!(chinese_date(d(2026, 12, 7)), "二〇二六年十二月七日");
        assert_eq!(chinese_date(d(2030, 1, 10)), "二〇三〇年一月十日");
        assert_eq!(chinese_date(d(2028, 2, 29)), "二〇二八年二月二十九日");
    }

    #[test]
    fn the_receipt_is_due_a_calendar_month_later() {
        assert_eq!(receipt_due_on(d(2026, 11, 6)), d(2026, 12, 6));
        // Month ends clamp: 31 January → 28 February, or 29 in a leap year.
        assert_eq!(receipt_due_on(d(2027, 1, 31)), d(2027, 2, 28));
        assert_eq!(receipt_due_on(d(2028, 1, 31)), d(2028, 2, 29));
        assert!(!receipt_overdue(TransferStatus::Issued, d(2026, 11, 6), d(2026, 12, 6)), "due day itself");
        assert!(receipt_overdue(TransferStatus::Issued, d(2026, 11, 6), d(2026, 12, 7)));
        assert!(!receipt_overdue(TransferStatus::Returned, d(2026, 1, 6), d(2026, 12, 7)), "returned");
    }

    #[test]
    fn the_overdue_bound_agrees_with_the_rule_every_day() {
        let mut today = d(2027, 1, 1);
        while today < d(2029, 1, 1) {
            let cut = overdue_before(today);
            for back in 0..80 {
                let issued = today - chrono::Days::new(back);
                assert_eq!(
                    issued < cut,
                    receipt_overdue(TransferStatus::Issued, issued, today),
                    "issued {issued}, today {today}, bound {cut}"
                );
            }
            today = today.succ_opt().unwrap();
        }
    }

    #[test]
    fn validity_counts_the_issue_day() {
        assert_eq!(valid_until(d(2026, 12, 1), 30), d(2026, 12, 30));
        assert_eq!(valid_until(d(2028, 2, 1), 29), d(2028, 2, 29));
        assert_eq!(valid_until(NaiveDate::MAX, 90), NaiveDate::MAX, "the calendar's end: no overflow");
    }

    #[test]
    fn days_are_bounded() {
        let today = d(2026, 12, 7);
        assert!(check_day(today, None, today).is_ok());
        assert!(check_day(d(2026, 12, 8), None, today).unwrap_err().contains("晚于今天"));
        assert!(check_day(d(2025, 12, 6), None, today).is_ok(), "366 days back");
        assert!(check_day(d(2025, 12, 5), None, today).unwrap_err().contains("一年前"));
        assert!(check_day(d(2026, 12, 1), Some(d(2026, 12, 2)), today).unwrap_err().contains("2026-12-02"));
    }

    #[test]
    fn age_in_whole_years() {
        assert_eq!(age_on(d(1990, 12, 8), d(2026, 12, 7)), 35);
        assert_eq!(age_on(d(1990, 12, 7), d(2026, 12, 7)), 36);
        assert_eq!(age_on(d(2000, 2, 29), d(2027, 2, 28)), 26);
    }
}
