//! 先锋工程: honours (两优一先 and local ones). A campaign offers honours, each for members or for
//! organisations, with quotas per organisation; a branch nominates after its members' meeting has
//! discussed and voted (more than half of those voting in favour); the nomination is reviewed up the
//! tree, one level after another, to the organisation running the campaign; the recommended ones are
//! shown in public for the county's working days, objections recorded and handled; then awarded. An
//! award withdrawn later stays in the history.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::organisations::org::{OrgKind, code_enum};
use crate::validation::required_text;

code_enum!(
    /// Who an honour is for.
    HonourSubject {
        Member = "member": "党员",
        Org = "org": "党组织",
    }
);

code_enum!(
    /// Where a nomination stands.
    NominationStatus {
        Reviewing = "reviewing": "逐级审核中",
        Recommended = "recommended": "待公示",
        Notice = "notice": "公示中",
        Awarded = "awarded": "已表彰",
        Rejected = "rejected": "未通过",
        Withdrawn = "withdrawn": "已撤销",
    }
);

code_enum!(
    /// Where a campaign stands.
    CampaignStatus {
        Nominating = "nominating": "推荐审核中",
        Notice = "notice": "公示中",
        Awarded = "awarded": "已表彰",
    }
);

/// Default working days of the public notice (a county may set its own): 5, as the provincial
/// practice for 两优一先 has it.
pub const DEFAULT_NOTICE_DAYS: u32 = 5;
pub const NOTICE_DAYS_RANGE: std::ops::RangeInclusive<u32> = 1..=30;
/// Honours one campaign may offer.
pub const MAX_HONOURS: usize = 12;
/// A quota is at most this many (per honour and organisation).
pub const MAX_QUOTA: u32 = 999;
/// Quotas one campaign may set (honours × organisations).
pub const MAX_QUOTAS: usize = 500;

/// One honour a campaign offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Honour {
    pub name: String,
    pub subject: HonourSubject,
}

/// The honours of a new campaign: named (2–30 characters), no name twice, at least one, at most
/// [`MAX_HONOURS`]; none given means 两优一先.
pub fn check_honours(list: &[Honour]) -> Result<Vec<Honour>, String> {
    if list.is_empty() {
        return Ok(DEFAULT_HONOURS.iter().map(|(n, s)| Honour { name: (*n).into(), subject: *s }).collect());
    }
    if list.len() > MAX_HONOURS {
        return Err(format!("一次表彰最多设 {MAX_HONOURS} 个荣誉称号"));
    }
    let mut out: Vec<Honour> = Vec::new();
    for h in list {
        let name = required_text(&h.name, "荣誉称号", 30)?;
        if out.iter().any(|o| o.name == name) {
            return Err(format!("荣誉称号“{name}”重复"));
        }
        out.push(Honour { name, subject: h.subject });
    }
    Ok(out)
}

/// The honours a campaign offers unless it says otherwise: 两优一先.
pub const DEFAULT_HONOURS: &[(&str, HonourSubject)] = &[
    ("优秀共产党员", HonourSubject::Member),
    ("优秀党务工作者", HonourSubject::Member),
    ("先进基层党组织", HonourSubject::Org),
];

/// The most members one meeting's vote may count.
pub const MAX_VOTES: u32 = 10_000;

/// The meeting's vote: at least one vote, no more in favour than voted, and more than half in favour.
pub fn check_vote(votes_for: u32, votes_total: u32) -> Result<(), String> {
    if votes_total == 0 {
        Err("请填写参加表决的人数".into())
    } else if votes_total > MAX_VOTES {
        Err(format!("参加表决的人数不能超过 {MAX_VOTES}"))
    } else if votes_for > votes_total {
        Err(format!("赞成票 {votes_for} 不能多于参加表决的 {votes_total} 人"))
    } else if u64::from(votes_for) * 2 <= u64::from(votes_total) {
        Err(format!("赞成票 {votes_for} 未超过参加表决的 {votes_total} 人的半数，不能推荐"))
    } else {
        Ok(())
    }
}

/// Whether an organisation of `kind` may run a campaign: a committee level (党委, 工委, 综合党委, 行业党委),
/// never a branch — a branch does not honour itself.
pub fn may_run_campaign(kind: OrgKind) -> bool {
    matches!(kind, OrgKind::Committee | OrgKind::WorkCommittee | OrgKind::ParkCommittee | OrgKind::IndustryCommittee)
}

/// The organisation ids of a path `/1/7/12/`, root first.
pub fn path_ids(path: &str) -> Vec<i64> {
    path.split('/').filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect()
}

/// Who reviews a nomination, in order: the nominating organisation's ancestors from its parent up to
/// the organisation running the campaign (empty when the campaign's own organisation nominates; then
/// it is recommended at once). `None` when the nominating organisation is not under the campaign's.
pub fn review_chain(nominating_path: &str, campaign_path: &str) -> Option<Vec<i64>> {
    if !nominating_path.starts_with(campaign_path) {
        return None;
    }
    let ids = path_ids(nominating_path);
    let top = path_ids(campaign_path).len();
    // ids[top - 1] is the campaign's organisation, ids[last] the nominating one.
    Some(ids[top - 1..ids.len() - 1].iter().rev().copied().collect())
}

/// The reviewer after `current` in `chain`, or `None` when `current` was the last (recommended).
pub fn next_reviewer(chain: &[i64], current: i64) -> Option<i64> {
    let i = chain.iter().position(|x| *x == current)?;
    chain.get(i + 1).copied()
}

/// Whether one more nomination fits a quota of which `used` are taken (nominations not rejected).
pub fn check_quota(honour: &str, quota: Option<u32>, used: u32) -> Result<(), String> {
    match quota {
        Some(q) if used >= q => Err(format!("“{honour}”名额为 {q} 名，已推荐 {used} 名")),
        _ => Ok(()),
    }
}

/// Whether the recommended may be awarded on `on`: after the notice, every objection handled.
pub fn check_award(notice_until: Option<NaiveDate>, open_objections: usize, on: NaiveDate) -> Result<(), String> {
    match notice_until {
        None => Err("尚未公示，不能表彰".into()),
        Some(until) if on <= until => Err(format!("公示期至 {until}，期满后才能表彰")),
        Some(_) if open_objections > 0 => Err(format!("还有 {open_objections} 条异议尚未处理")),
        Some(_) => Ok(()),
    }
}

/// Whether the nomination's meeting and its date fit: the vote passes, and the meeting was held in the
/// campaign's year or after, and not after today.
pub fn check_meeting(discussed_on: NaiveDate, campaign_year: i32, today: NaiveDate) -> Result<(), String> {
    use chrono::Datelike;
    if discussed_on > today {
        Err("会议日期不能晚于今天".into())
    } else if discussed_on.year() < campaign_year {
        Err(format!("会议日期须在 {campaign_year} 年以后（本次表彰的年度）"))
    } else {
        Ok(())
    }
}

/// Whether an objection may be recorded on `on` against a nomination in `status`: only during the notice.
pub fn check_objection(
    status: NominationStatus,
    notice_from: Option<NaiveDate>,
    notice_until: Option<NaiveDate>,
    on: NaiveDate,
) -> Result<(), String> {
    match (status, notice_from, notice_until) {
        (NominationStatus::Notice, Some(from), _) if on < from => Err(format!("公示自 {from} 开始，异议日期不能更早")),
        (NominationStatus::Notice, _, Some(until)) if on <= until => Ok(()),
        (NominationStatus::Notice, _, Some(until)) => Err(format!("公示期已于 {until} 结束")),
        _ => Err(format!("推荐{}，不在公示期", status.label())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_than_half_in_favour() {
        assert!(check_vote(16, 30).is_ok());
        assert!(check_vote(15, 30).is_err(), "half is not more than half");
        assert!(check_vote(31, 30).is_err());
        assert!(check_vote(0, 0).is_err());
        assert!(check_vote(1, 1).is_ok());
        assert!(check_vote(u32::MAX / 2 + 1, u32::MAX).is_err(), "no overflow, and bounded");
        assert!(check_vote(6_000, 10_001).is_err());
        assert!(may_run_campaign(OrgKind::Committee) && !may_run_campaign(OrgKind::Branch));
    }

    #[test]
    fn reviewed_level_by_level_up_to_the_campaign() {
        // Campaign of the county /1/, nominated by the branch /1/2/3/ under the chamber committee /1/2/.
        assert_eq!(review_chain("/1/2/3/", "/1/"), Some(vec![2, 1]));
        assert_eq!(review_chain("/1/2/3/4/", "/1/2/"), Some(vec![3, 2]));
        assert_eq!(review_chain("/1/", "/1/"), Some(vec![]), "the campaign's own organisation");
        assert_eq!(review_chain("/5/6/", "/1/"), None, "another county");
        assert_eq!(next_reviewer(&[2, 1], 2), Some(1));
        assert_eq!(next_reviewer(&[2, 1], 1), None);
    }

    #[test]
    fn quotas_and_awards() {
        assert!(check_quota("优秀共产党员", Some(2), 1).is_ok());
        assert!(check_quota("优秀共产党员", Some(2), 2).is_err());
        assert!(check_quota("优秀共产党员", None, 99).is_ok());
        let until = Some("2026-12-11".parse().unwrap());
        assert!(check_award(until, 0, "2026-12-11".parse().unwrap()).is_err());
        assert!(check_award(until, 1, "2026-12-12".parse().unwrap()).is_err());
        assert!(check_award(until, 0, "2026-12-12".parse().unwrap()).is_ok());
        assert!(check_award(None, 0, "2026-12-12".parse().unwrap()).is_err());
    }

    #[test]
    fn honours_default_and_checked() {
        let two = check_honours(&[]).unwrap();
        assert_eq!(two.len(), 3);
        assert_eq!(two[2], Honour { name: "先进基层党组织".into(), subject: HonourSubject::Org });
        let h = |n: &str| Honour { name: n.into(), subject: HonourSubject::Member };
        assert!(check_honours(&[h("优秀共产党员"), h("优秀共产党员")]).is_err());
        assert!(check_honours(&[h(" ")]).is_err());
        assert_eq!(check_honours(&[h(" 吴川好乡贤 ")]).unwrap()[0].name, "吴川好乡贤");
    }

    #[test]
    fn meetings_and_objections_in_their_time() {
        let d = |s: &str| -> NaiveDate { s.parse().unwrap() };
        assert!(check_meeting(d("2026-05-01"), 2026, d("2026-12-07")).is_ok());
        assert!(check_meeting(d("2025-12-31"), 2026, d("2026-12-07")).is_err());
        assert!(check_meeting(d("2026-12-08"), 2026, d("2026-12-07")).is_err());
        let (from, until) = (Some(d("2026-12-03")), Some(d("2026-12-10")));
        assert!(check_objection(NominationStatus::Notice, from, until, d("2026-12-10")).is_ok());
        assert!(check_objection(NominationStatus::Notice, from, until, d("2026-12-11")).is_err());
        assert!(check_objection(NominationStatus::Notice, from, until, d("2026-12-02")).is_err());
        assert!(check_objection(NominationStatus::Reviewing, from, until, d("2026-12-05")).is_err());
    }
}
