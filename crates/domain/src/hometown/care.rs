//! 关爱工程: the care fund the chambers raise for students from poor families. Donations come in;
//! a student's application is reviewed by the branch that proposes it, decided by the fund's
//! committee (the county), shown in public (公示) for the county's number of working days, where
//! objections are recorded and handled, and paid once the notice has passed with no objection
//! upheld. The fund never pays out more than it holds.

use chrono::NaiveDate;

use super::check_date;
use crate::goals::grant::Fen;
use crate::organisations::org::code_enum;
use crate::services::calendar::WorkCalendar;

code_enum!(
    /// Who gave.
    DonorKind {
        Person = "person": "个人",
        Company = "company": "企业",
        Chamber = "chamber": "商会",
    }
);

code_enum!(
    /// Where a student's application stands.
    AidStatus {
        Applied = "applied": "待支部审核",
        Reviewed = "reviewed": "待基金会决定",
        Notice = "notice": "公示中",
        Disbursed = "disbursed": "已发放",
        Rejected = "rejected": "未通过",
    }
);

code_enum!(
    /// How the aid was paid.
    PayMethod {
        Bank = "bank": "银行转账",
        Cash = "cash": "现金",
        Other = "other": "其他",
    }
);

code_enum!(
    /// What is done to an application.
    AidStep {
        Review = "review": "支部审核",
        Decide = "decide": "基金会决定",
        Disburse = "disburse": "发放",
    }
);

/// The largest single donation or aid: 10 million yuan.
pub const MAX_AMOUNT: Fen = Fen(1_000_000_000);
/// Default working days of the public notice (a county may set its own).
pub const DEFAULT_NOTICE_DAYS: u32 = 5;
pub const NOTICE_DAYS_RANGE: std::ops::RangeInclusive<u32> = 1..=30;

/// Checks an amount (more than 0, at most [`MAX_AMOUNT`]).
pub fn check_amount(amount: Fen, what: &str) -> Result<(), String> {
    if amount.0 <= 0 {
        Err(format!("{what}须大于 0"))
    } else if amount > MAX_AMOUNT {
        Err(format!("{what}不能超过 1000 万元"))
    } else {
        Ok(())
    }
}

/// The last day of a notice published on `published_on` (the day the decision is recorded, whatever
/// day the committee met: a notice cannot have run before anyone could see it): it runs for `days`
/// working days from the next working day.
pub fn notice_until(cal: &WorkCalendar, published_on: NaiveDate, days: u32) -> NaiveDate {
    cal.add_working_days(published_on, days)
}

/// The committee grants at most what was asked.
pub fn check_granted(granted: Fen, asked: Fen) -> Result<(), String> {
    if granted > asked {
        Err(format!("资助金额不能超过申请金额 {} 元", asked.yuan_string()))
    } else {
        Ok(())
    }
}

/// Why `step` may not be taken now on an application in `status`, with the field to blame: the step
/// that is due, dated no earlier than the step before (`previous_on`) and no later than today; a
/// payment after the notice (`notice_until`) with every objection handled.
pub fn check_step(
    status: AidStatus,
    step: AidStep,
    previous_on: NaiveDate,
    notice_until: Option<NaiveDate>,
    open_objections: usize,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<(), (&'static str, String)> {
    let expected = match step {
        AidStep::Review => AidStatus::Applied,
        AidStep::Decide => AidStatus::Reviewed,
        AidStep::Disburse => AidStatus::Notice,
    };
    if status != expected {
        return Err(("step", format!("申请{}，不能{}", status.label(), step.label())));
    }
    check_date(on, today).map_err(|m| ("on", m))?;
    if on < previous_on {
        return Err(("on", format!("日期不能早于上一步（{previous_on}）")));
    }
    if step == AidStep::Disburse {
        let until = notice_until.unwrap_or(today);
        if on <= until {
            return Err(("on", format!("公示期至 {until}，期满后才能发放")));
        }
        if open_objections > 0 {
            return Err(("step", format!("公示期内有 {open_objections} 条异议尚未处理，处理后才能发放")));
        }
    }
    Ok(())
}

/// Whether an objection may still be lodged on `on`: only while the notice runs.
pub fn check_objection(status: AidStatus, notice_until: Option<NaiveDate>, on: NaiveDate) -> Result<(), String> {
    match (status, notice_until) {
        (AidStatus::Notice, Some(until)) if on <= until => Ok(()),
        (AidStatus::Notice, Some(until)) => Err(format!("公示期已于 {until} 结束")),
        _ => Err(format!("申请{}，不在公示期", status.label())),
    }
}

/// Whether the fund holding `balance` may pay `amount`: it never goes below zero.
pub fn check_balance(balance: Fen, amount: Fen) -> Result<(), String> {
    if amount > balance {
        Err(format!("基金余额 {} 元，不足以发放 {} 元", balance.yuan_string(), amount.yuan_string()))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hometown::FIRST_DAY;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_application_goes_review_decide_notice_then_payment() {
        use AidStatus::*;
        let today = d("2026-12-07");
        let before = d("2026-12-01");
        assert!(check_step(Applied, AidStep::Review, before, None, 0, today, today).is_ok());
        assert!(
            check_step(Applied, AidStep::Decide, before, None, 0, today, today).is_err(),
            "the branch reviews first"
        );
        assert!(check_step(Reviewed, AidStep::Decide, before, None, 0, today, today).is_ok());
        assert!(check_step(Rejected, AidStep::Review, before, None, 0, today, today).is_err());
        let paid = check_step(Disbursed, AidStep::Disburse, before, Some(d("2026-11-01")), 0, today, today);
        assert!(paid.is_err(), "paid once");
        // Dates run in order, from 2000 to today.
        assert_eq!(check_step(Reviewed, AidStep::Decide, before, None, 0, d("2026-11-30"), today).unwrap_err().0, "on");
        assert_eq!(
            check_step(Applied, AidStep::Review, FIRST_DAY, None, 0, d("1999-12-31"), today).unwrap_err().0,
            "on"
        );
        assert!(check_granted(Fen(300_000), Fen(300_000)).is_ok());
        assert!(check_granted(Fen(300_001), Fen(300_000)).is_err());
    }

    #[test]
    fn payment_waits_for_the_notice_and_its_objections() {
        use AidStatus::*;
        let today = d("2026-12-07");
        let until = Some(d("2026-12-04"));
        let decided = d("2026-11-27");
        assert_eq!(
            check_step(Notice, AidStep::Disburse, decided, until, 0, d("2026-12-04"), today).unwrap_err().0,
            "on"
        );
        assert!(check_step(Notice, AidStep::Disburse, decided, until, 0, d("2026-12-05"), today).is_ok());
        assert_eq!(check_step(Notice, AidStep::Disburse, decided, until, 1, today, today).unwrap_err().0, "step");
        assert_eq!(
            check_step(Notice, AidStep::Disburse, decided, until, 0, d("2026-12-08"), today).unwrap_err().0,
            "on"
        );
        assert!(check_objection(Notice, until, d("2026-12-04")).is_ok());
        assert!(check_objection(Notice, until, d("2026-12-05")).is_err());
        assert!(check_objection(Reviewed, None, today).is_err());
    }

    #[test]
    fn the_notice_counts_working_days() {
        let mut cal = WorkCalendar::default();
        // Decided on Friday 2026-09-25; National Day holidays 1–7 October, Saturday 10 October worked.
        for day in 1..=7 {
            cal.holidays.insert(NaiveDate::from_ymd_opt(2026, 10, day).unwrap());
        }
        cal.workdays.insert(d("2026-10-10"));
        // Mon 28, Tue 29, Wed 30 September, then Thu 8, Fri 9 October.
        assert_eq!(notice_until(&cal, d("2026-09-25"), 5), d("2026-10-09"));
        assert_eq!(notice_until(&cal, d("2026-09-25"), 6), d("2026-10-10"), "the worked Saturday counts");
        assert_eq!(notice_until(&WorkCalendar::default(), d("2026-12-04"), 5), d("2026-12-11"));
    }

    #[test]
    fn the_fund_never_goes_below_zero() {
        assert!(check_balance(Fen(100_000), Fen(100_000)).is_ok());
        let e = check_balance(Fen(99_999), Fen(100_000)).unwrap_err();
        assert!(e.contains("999.99") && e.contains("1,000.00"), "{e}");
        assert!(check_amount(Fen(0), "金额").is_err());
        assert!(check_amount(MAX_AMOUNT, "金额").is_ok());
    }
}
