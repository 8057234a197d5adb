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
    /// Where a member's own outflow report (外出报备) stands.
    ReportStatus {
        Proposed = "proposed": "待确认",
        Confirmed = "confirmed": "已登记",
        Declined = "declined": "未通过",
    }
);

code_enum!(
    /// What a member's own report says: they leave, or they are back.
    ReportKind {
        Leave = "leave": "外出报备",
        Return = "return": "返回报备",
    }
);

/// How far ahead a member may report leaving (外出报备), in days.
pub const REPORT_AHEAD_DAYS: i64 = 90;

code_enum!(
    /// How a member was reached (`return`: registering their return, the home organisation is in touch).
    ContactKind {
        Call = "call": "电话",
        Visit = "visit": "走访",
        Wechat = "wechat": "微信",
        Greeting = "greeting": "节日问候",
        Census = "census": "摸排",
        Return = "return": "回归登记",
        SelfReport = "self_report": "本人报平安",
    }
);

code_enum!(
    MobilityDirection {
        Outflow = "outflow": "外出",
        Inflow = "inflow": "流入",
    }
);

/// What is known about reaching a member, for the lost-contact rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    /// The newest contact in which the member was reached.
    pub last_contact: Option<NaiveDate>,
    /// The start of the member's open outflow, if they are away.
    pub outflow_start: Option<NaiveDate>,
    /// The first failed attempt to reach them since `last_contact` (the member is marked unreachable).
    pub unreachable_since: Option<NaiveDate>,
}

/// The day from which a member has been out of touch, or None when nothing says so.
///
/// Away (an open outflow): the last contact, or the start of the outflow if that is later or there
/// was none. At home: the last contact; never reached, the first failed attempt. A member at home
/// whom nobody tried to reach is not out of touch: their branch sees them in its organisational life.
pub fn quiet_since(r: Reach) -> Option<NaiveDate> {
    match r.outflow_start {
        Some(start) => Some(r.last_contact.map_or(start, |l| l.max(start))),
        None => r.last_contact.or(r.unreachable_since),
    }
}

/// The lost-contact rule (失去联系): a member out of touch (see [`quiet_since`]) for `months` months is
/// 失联, whether away or at home. Calendar months, so "6 months" from 31 August ends on 28/29 February.
pub fn is_lost(r: Reach, today: NaiveDate, months: u32) -> bool {
    match quiet_since(r).and_then(|since| since.checked_add_months(Months::new(months))) {
        Some(deadline) => today >= deadline,
        None => false,
    }
}

/// Months after the suspension of membership (停止党籍) after which a member still out of touch is
/// removed as having left the party of their own accord (按自行脱党予以除名).
pub const REMOVAL_AFTER_SUSPENSION_MONTHS: u32 = 24;

code_enum!(
    /// Where a lost member stands in the handling the regulations prescribe: lost for the limit →
    /// suspension may be proposed; suspended → after two years still out of touch, removal is due.
    LostStage {
        Approaching = "approaching": "即将失联，请尽快联系",
        Lost = "lost": "失联，可建议停止党籍",
        Suspended = "suspended": "已停止党籍",
        RemovalDue = "removal_due": "停止党籍满两年，应按自行脱党除名",
    }
);

/// The day removal becomes due for a member suspended on `suspended_on`.
pub fn removal_due_on(suspended_on: NaiveDate) -> NaiveDate {
    suspended_on.checked_add_months(Months::new(REMOVAL_AFTER_SUSPENSION_MONTHS)).unwrap_or(NaiveDate::MAX)
}

/// The stage of a lost member: `suspended_on` is None for a member whose membership is not
/// suspended (or whose suspension date was not recorded, with `suspended` true).
/// `lost_on` is the day the member reaches (or reached) the limit.
pub fn lost_stage(suspended: bool, suspended_on: Option<NaiveDate>, lost_on: NaiveDate, today: NaiveDate) -> LostStage {
    match (suspended, suspended_on) {
        (false, _) if lost_on > today => LostStage::Approaching,
        (false, _) => LostStage::Lost,
        (true, Some(on)) if today >= removal_due_on(on) => LostStage::RemovalDue,
        (true, _) => LostStage::Suspended,
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

/// Months away at one place after which an outflow member's organisational relationship should move to
/// the organisation where they live and work (《关于加强和改进流动党员管理工作的意见》: 外出时间较长、地点
/// 相对固定的流动党员，应当及时转移组织关系; issue 20: "six months or more").
pub const TRANSFER_AFTER_MONTHS: u32 = 6;

/// The day an outflow begun on `start` becomes due for a transfer proposal (calendar months, clamped
/// at month ends as for lost contact).
pub fn transfer_due_on(start: NaiveDate) -> NaiveDate {
    start.checked_add_months(Months::new(TRANSFER_AFTER_MONTHS)).unwrap_or(NaiveDate::MAX)
}

/// Days ahead in which a member approaching the limit is shown (workbench, 即将失联), so that someone
/// gets in touch before the limit is reached.
pub const APPROACHING_DAYS: u64 = 30;

/// The day a member out of touch since `since` reaches the limit of `months` (the first day
/// `lost_cutoff` lets `since` through).
pub fn lost_on(since: NaiveDate, months: u32) -> NaiveDate {
    since.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// Whole days between two dates (0 when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days().max(0)
}

code_enum!(
    /// What a proposal about a lost member asks for (党章 and 条例 Art. 24: a member out of contact for six
    /// months or more is suspended; still unreachable two years after, removed).
    ProposalKind {
        Suspension = "suspension": "停止党籍",
        Removal = "removal": "除名",
    }
);

code_enum!(
    /// Where a proposal stands.
    ProposalStatus {
        Pending = "pending": "待上级党组织审批",
        Approved = "approved": "已批准",
        Rejected = "rejected": "未批准",
        Ended = "ended": "已恢复联系，程序终止",
    }
);

/// Why a proposal of `kind` may not be made for a member now: suspension for a member in good standing
/// who is lost; removal for a suspended member two years after the suspension.
pub fn check_proposal(
    kind: ProposalKind,
    status: &str,
    lost: bool,
    suspended_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), String> {
    match kind {
        ProposalKind::Suspension if status != "normal" => {
            Err("该党员不是正常状态（可能已停止党籍），不能再建议停止党籍".into())
        }
        ProposalKind::Suspension if !lost => Err("该党员未达到失联标准，不能建议停止党籍".into()),
        ProposalKind::Suspension => Ok(()),
        ProposalKind::Removal => match (status, suspended_on) {
            ("suspended", Some(on)) if today >= removal_due_on(on) => Ok(()),
            ("suspended", Some(on)) => {
                Err(format!("停止党籍满两年（{}）后仍无法取得联系的，才能建议除名", removal_due_on(on)))
            }
            _ => Err("只有已停止党籍的党员才能建议除名".into()),
        },
    }
}

/// The day a decision is dated: not before the proposal, not after today.
pub fn check_decision_day(on: NaiveDate, proposed_on: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if on > today {
        Err("审批日期不能晚于今天".into())
    } else if on < proposed_on {
        Err(format!("审批日期不能早于建议日期（{proposed_on}）"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn away(last_contact: Option<NaiveDate>, start: NaiveDate) -> Reach {
        Reach { last_contact, outflow_start: Some(start), unreachable_since: None }
    }

    fn home(last_contact: Option<NaiveDate>, unreachable_since: Option<NaiveDate>) -> Reach {
        Reach { last_contact, outflow_start: None, unreachable_since }
    }

    #[test]
    fn six_months_without_contact_is_lost() {
        let start = d(2025, 1, 10);
        assert!(!is_lost(away(Some(d(2026, 5, 28)), start), d(2026, 11, 27), 6));
        assert!(is_lost(away(Some(d(2026, 5, 27)), start), d(2026, 11, 27), 6), "exactly six months");
        assert!(is_lost(away(None, d(2026, 5, 1)), d(2026, 11, 27), 6), "never contacted: from the outflow start");
        assert!(!is_lost(away(None, d(2026, 6, 1)), d(2026, 11, 27), 6));
        assert!(
            !is_lost(away(Some(d(2020, 1, 1)), d(2026, 6, 1)), d(2026, 11, 27), 6),
            "a contact before the outflow counts from the outflow"
        );
        // Month-end: 31 Aug + 6 months = 28 Feb (2027 is not a leap year).
        assert!(!is_lost(away(Some(d(2026, 8, 31)), start), d(2027, 2, 27), 6));
        assert!(is_lost(away(Some(d(2026, 8, 31)), start), d(2027, 2, 28), 6));
    }

    #[test]
    fn a_member_at_home_is_lost_when_out_of_touch_too() {
        let today = d(2026, 11, 27);
        // Last reached six months ago, at home: lost on the day, not the day before.
        assert!(is_lost(home(Some(d(2026, 5, 27)), None), today, 6));
        assert!(!is_lost(home(Some(d(2026, 5, 28)), None), today, 6));
        // Never reached, marked unreachable by a failed attempt: counted from that attempt.
        assert!(is_lost(home(None, Some(d(2026, 5, 27))), today, 6));
        assert!(!is_lost(home(None, Some(d(2026, 5, 28))), today, 6));
        // A failed attempt after a contact does not restart the count: the contact does.
        assert!(is_lost(home(Some(d(2026, 5, 27)), Some(d(2026, 11, 1))), today, 6));
        // Nobody tried: nothing says they cannot be reached.
        assert!(!is_lost(home(None, None), today, 6));
        assert_eq!(quiet_since(home(None, None)), None);
        assert_eq!(quiet_since(home(Some(d(2026, 1, 1)), Some(d(2026, 2, 1)))), Some(d(2026, 1, 1)));
    }

    #[test]
    fn removal_is_due_two_years_after_suspension() {
        let on = d(2024, 2, 29);
        assert_eq!(removal_due_on(on), d(2026, 2, 28), "calendar months from a leap day");
        let lost = d(2023, 8, 1);
        assert_eq!(lost_stage(true, Some(on), lost, d(2026, 2, 27)), LostStage::Suspended);
        assert_eq!(lost_stage(true, Some(on), lost, d(2026, 2, 28)), LostStage::RemovalDue);
        assert_eq!(lost_stage(true, None, lost, d(2030, 1, 1)), LostStage::Suspended, "no date recorded: nothing due");
        assert_eq!(lost_stage(false, Some(on), lost, d(2030, 1, 1)), LostStage::Lost);
    }

    #[test]
    fn transfer_is_proposed_after_six_months_away() {
        assert_eq!(transfer_due_on(d(2026, 6, 7)), d(2026, 12, 7));
        assert_eq!(transfer_due_on(d(2026, 8, 31)), d(2027, 2, 28), "month-end clamping");
        // The ledger's filter "started on or before the cutoff" agrees with the day.
        let today = d(2027, 2, 28);
        let cutoff = lost_cutoff(today, TRANSFER_AFTER_MONTHS);
        assert!(transfer_due_on(cutoff) <= today);
        assert!(transfer_due_on(cutoff.succ_opt().unwrap()) > today);
    }

    #[test]
    fn suspension_then_removal_two_years_on() {
        let today = d(2026, 12, 6);
        let k = ProposalKind::Suspension;
        assert!(check_proposal(k, "normal", true, None, today).is_ok());
        assert!(check_proposal(k, "normal", false, None, today).is_err(), "not lost");
        assert!(check_proposal(k, "suspended", true, None, today).is_err(), "already suspended");
        let r = ProposalKind::Removal;
        assert!(check_proposal(r, "normal", true, None, today).is_err(), "not suspended");
        // Suspended on 29 Feb 2024: two years on is 28 Feb 2026 (month-end clamping).
        assert!(check_proposal(r, "suspended", true, Some(d(2024, 2, 29)), d(2026, 2, 27)).is_err());
        assert!(check_proposal(r, "suspended", true, Some(d(2024, 2, 29)), d(2026, 2, 28)).is_ok());
        assert!(check_decision_day(d(2026, 12, 6), d(2026, 12, 1), today).is_ok());
        assert!(check_decision_day(d(2026, 11, 30), d(2026, 12, 1), today).is_err());
        assert!(check_decision_day(d(2026, 12, 7), d(2026, 12, 1), today).is_err());
    }

    #[test]
    fn approaching_until_the_day_the_limit_is_reached() {
        let today = d(2026, 12, 6);
        assert_eq!(lost_stage(false, None, d(2026, 12, 7), today), LostStage::Approaching);
        assert_eq!(lost_stage(false, None, today, today), LostStage::Lost, "the day itself counts as lost");
        assert_eq!(lost_on(d(2026, 8, 31), 6), d(2027, 2, 28), "month-end clamping as in lost_cutoff");
    }

    #[test]
    fn cutoff_agrees_with_the_rule() {
        for today in [d(2026, 11, 27), d(2027, 2, 28), d(2028, 2, 29), d(2026, 3, 31), d(2026, 8, 31)] {
            let c = lost_cutoff(today, 6);
            assert!(is_lost(away(Some(c), d(2000, 1, 1)), today, 6), "{today}: cutoff {c} must be lost");
            assert!(!is_lost(away(c.succ_opt(), d(2000, 1, 1)), today, 6), "{today}: the day after {c} must not be");
            assert!(is_lost(home(Some(c), None), today, 6), "{today}: at home too");
            assert!(!is_lost(home(None, c.succ_opt()), today, 6));
            assert!(lost_on(c, 6) <= today, "{today}: {c} reaches the limit by today");
            assert!(lost_on(c.succ_opt().unwrap(), 6) > today, "{today}: the day after {c} does not");
        }
    }
}
