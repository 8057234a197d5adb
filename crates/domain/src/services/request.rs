//! 红链直通车 service requests: the states a request passes through, who may move it, and its light
//! against the time limit in working days.

use chrono::NaiveDate;

use super::calendar::WorkCalendar;
use crate::org_life::duty::Light;
use crate::organisations::org::code_enum;

code_enum!(
    /// Where a request stands: submitted (waiting for the department to take it), accepted, waiting for
    /// the requester's information (the clock stops), answered, closed.
    RequestStatus {
        Submitted = "submitted": "待受理",
        Accepted = "accepted": "办理中",
        InfoNeeded = "info_needed": "待补充材料",
        Answered = "answered": "已答复",
        Closed = "closed": "已办结",
    }
);

code_enum!(
    /// What the requester thought of the answer.
    Rating {
        Satisfied = "satisfied": "满意",
        Basic = "basic": "基本满意",
        Unsatisfied = "unsatisfied": "不满意",
    }
);

code_enum!(
    /// Who asks: an enterprise's contact, a member, or a branch on an enterprise's behalf.
    RequesterKind {
        Enterprise = "enterprise": "企业",
        Member = "member": "党员",
        Branch = "branch": "党组织代办",
    }
);

code_enum!(
    /// What a handler or requester does to a request.
    RequestAction {
        Accept = "accept": "受理",
        AskInfo = "ask_info": "要求补充材料",
        Supply = "supply": "补充材料",
        HandOver = "hand_over": "转办",
        Reply = "reply": "答复",
        Rate = "rate": "评价",
        Reopen = "reopen": "重新办理",
    }
);

/// Whether `action` may be taken on a request in `status` (`reopened`: it was reopened once already).
pub fn allowed(
    status: RequestStatus,
    action: RequestAction,
    rating: Option<Rating>,
    reopened: bool,
) -> Result<(), String> {
    use RequestAction::*;
    use RequestStatus::*;
    let ok = match action {
        Accept => status == Submitted,
        AskInfo => matches!(status, Submitted | Accepted),
        Supply => status == InfoNeeded,
        HandOver => matches!(status, Submitted | Accepted),
        Reply => matches!(status, Submitted | Accepted),
        Rate => status == Answered,
        Reopen => {
            if status != Closed || rating != Some(Rating::Unsatisfied) {
                return Err("只有评价为“不满意”的已办结诉求可以重新办理".into());
            }
            if reopened {
                return Err("每件诉求只能重新办理一次".into());
            }
            true
        }
    };
    if ok { Ok(()) } else { Err(format!("诉求{}，不能{}", status.label(), action.label())) }
}

/// The light of an open request due on `due`: red after the limit, yellow on the last `warn` working
/// days (the last day included), blue before; answered and closed requests have none. While waiting for
/// the requester's information the clock stops, so the light stays blue.
pub fn light(status: RequestStatus, due: NaiveDate, today: NaiveDate, warn: u32, cal: &WorkCalendar) -> Option<Light> {
    match status {
        RequestStatus::Answered | RequestStatus::Closed => None,
        RequestStatus::InfoNeeded => Some(Light::Blue),
        _ if today > due => Some(Light::Red),
        _ if warn > 0 && cal.working_days_between(today, due) < warn => Some(Light::Yellow),
        _ => Some(Light::Blue),
    }
}

/// Whether a request answered on `answered` (or still open on `today`) kept its limit.
pub fn on_time(due: NaiveDate, answered: Option<NaiveDate>, today: NaiveDate) -> bool {
    answered.unwrap_or(today) <= due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_pipeline_moves_only_forward() {
        use RequestAction::*;
        use RequestStatus::*;
        assert!(allowed(Submitted, Accept, None, false).is_ok());
        assert!(allowed(Accepted, Accept, None, false).is_err());
        assert!(allowed(Accepted, Reply, None, false).is_ok());
        assert!(allowed(InfoNeeded, Reply, None, false).is_err(), "not before the information arrives");
        assert!(allowed(InfoNeeded, Supply, None, false).is_ok());
        assert!(allowed(Answered, Rate, None, false).is_ok());
        assert!(allowed(Closed, Rate, Some(Rating::Satisfied), false).is_err());
        assert!(allowed(Answered, HandOver, None, false).is_err());
    }

    #[test]
    fn an_unsatisfied_answer_is_reopened_once() {
        use RequestStatus::Closed;
        assert!(allowed(Closed, RequestAction::Reopen, Some(Rating::Unsatisfied), false).is_ok());
        assert!(allowed(Closed, RequestAction::Reopen, Some(Rating::Unsatisfied), true).is_err());
        assert!(allowed(Closed, RequestAction::Reopen, Some(Rating::Basic), false).is_err());
    }

    #[test]
    fn lights_before_on_and_after_the_limit() {
        let c = WorkCalendar::default();
        let due = d("2026-12-11"); // a Friday
        let at = |today: &str| light(RequestStatus::Accepted, due, d(today), 2, &c);
        assert_eq!(at("2026-12-09"), Some(Light::Blue)); // 2 working days left after today
        assert_eq!(at("2026-12-10"), Some(Light::Yellow)); // the last two working days
        assert_eq!(at("2026-12-11"), Some(Light::Yellow)); // the last day
        assert_eq!(at("2026-12-12"), Some(Light::Red));
        assert_eq!(light(RequestStatus::Answered, due, d("2027-01-01"), 2, &c), None);
        assert_eq!(light(RequestStatus::InfoNeeded, due, d("2027-01-01"), 2, &c), Some(Light::Blue));
    }

    #[test]
    fn on_time_means_answered_by_the_last_day() {
        let due = d("2026-12-11");
        assert!(on_time(due, Some(d("2026-12-11")), d("2026-12-20")));
        assert!(!on_time(due, Some(d("2026-12-12")), d("2026-12-20")));
        assert!(!on_time(due, None, d("2026-12-12")));
    }
}
