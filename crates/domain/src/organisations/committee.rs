//! The committee of an organisation (支部委员会, 总支部委员会, 党的基层委员会): the posts its members hold,
//! with terms. Elected committees are the data a 支委会 is expected from (see
//! `org_life::duty::ActivityKind::attendees`).
//!
//! Branch Regulations (《中国共产党支部工作条例（试行）》), chapter on the branch committee: a branch with
//! 7 or more full members sets up a committee of 3 to 5 members, generally not more than 7; a branch with
//! fewer has a secretary and, where needed, one deputy. The committee has a secretary and organisation,
//! publicity and discipline members, and a deputy secretary where needed. Branch and general-branch
//! committees serve 3 years, grassroots committees (党委) 5. Only full members stand for election
//! (Constitution art. 7: probationary members have no right to vote or stand).

use chrono::{Months, NaiveDate};

use crate::organisations::org::{OrgKind, code_enum};
use crate::validation::FieldErrors;

code_enum!(
    /// A post on a committee.
    CommitteePost {
        Secretary = "secretary": "书记",
        DeputySecretary = "deputy_secretary": "副书记",
        Organisation = "organisation": "组织委员",
        Publicity = "publicity": "宣传委员",
        Discipline = "discipline": "纪检委员",
        Member = "member": "委员",
    }
);

impl CommitteePost {
    /// A post as rosters write it in 党内职务 (支部书记, 组织委员, 支委 …); `Ok(None)` for an ordinary
    /// member (empty, 无, 党员), `Err` for a title that is no committee post.
    pub fn from_roster(text: &str) -> Result<Option<CommitteePost>, String> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let t = t
            .trim_start_matches("党支部")
            .trim_start_matches("党总支")
            .trim_start_matches("支部")
            .trim_start_matches("总支");
        Ok(Some(match t {
            "" | "无" | "党员" | "—" | "-" | "/" => return Ok(None),
            "书记" | "党委书记" => CommitteePost::Secretary,
            "副书记" | "党委副书记" => CommitteePost::DeputySecretary,
            "组织委员" => CommitteePost::Organisation,
            "宣传委员" => CommitteePost::Publicity,
            "纪检委员" | "纪律检查委员" => CommitteePost::Discipline,
            "委员" | "支委" | "党委委员" | "青年委员" | "统战委员" | "保密委员" | "群工委员" | "生活委员" => {
                CommitteePost::Member
            }
            other => {
                return Err(format!(
                    "党内职务“{other}”不是委员会的职务（如书记、副书记、组织委员、宣传委员、纪检委员、委员）"
                ));
            }
        }))
    }
}

/// The years one committee serves, or None for a kind of organisation that elects no committee
/// (party groups, alliances, liaison centres and the work committee, whose members are appointed).
pub fn term_years(kind: OrgKind) -> Option<u32> {
    match kind {
        OrgKind::Branch | OrgKind::JointBranch | OrgKind::GeneralBranch => Some(3),
        OrgKind::Committee | OrgKind::ParkCommittee | OrgKind::IndustryCommittee | OrgKind::RegionalOrg => Some(5),
        OrgKind::WorkCommittee | OrgKind::LiaisonCenter | OrgKind::ChainAlliance | OrgKind::PartyGroup => None,
    }
}

/// The last day of a term that began on `elected_on`: the day before its anniversary.
pub fn term_ends(elected_on: NaiveDate, years: u32) -> NaiveDate {
    elected_on.checked_add_months(Months::new(12 * years)).and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
}

/// Whether a post held from `since` until `until` (inclusive; None: still held) is held on `day`.
pub fn holds_on(since: NaiveDate, until: Option<NaiveDate>, day: NaiveDate) -> bool {
    since <= day && until.is_none_or(|u| day <= u)
}

/// One person proposed for a post, with what the rules need to know of them.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    pub member_id: i64,
    pub post: CommitteePost,
    /// A full member (正式党员).
    pub full: bool,
}

/// The most members a committee of this kind has: branch committees generally not more than 7,
/// grassroots committees (党的基层委员会) 5 to 9, at most 11.
fn max_size(kind: OrgKind) -> usize {
    match kind {
        OrgKind::Branch | OrgKind::JointBranch | OrgKind::GeneralBranch => 7,
        _ => 11,
    }
}

/// Checks the committee in office (all its posts, as they would stand) of an organisation of `kind`
/// with `full_members` full members counted where the rule means the branch (its party groups
/// included, a general branch's whole subtree). Errors are on the field `posts`.
pub fn check_committee(kind: OrgKind, full_members: i64, posts: &[Candidate]) -> FieldErrors {
    let mut e = FieldErrors::new();
    if term_years(kind).is_none() {
        e.add("posts", format!("{}不选举委员会", kind.label()));
        return e;
    }
    let count = |p: CommitteePost| posts.iter().filter(|c| c.post == p).count();
    match count(CommitteePost::Secretary) {
        0 => e.add("posts", "请指定书记"),
        1 => {}
        _ => e.add("posts", "书记只能有 1 名"),
    }
    let branch = matches!(kind, OrgKind::Branch | OrgKind::JointBranch);
    if branch && full_members < 7 && posts.len() > 2 {
        e.add(
            "posts",
            format!("正式党员不足 7 人（现有 {full_members} 人）的党支部不设支部委员会，只设书记，必要时设 1 名副书记"),
        );
    } else if posts.len() > max_size(kind) {
        e.add("posts", format!("{}委员会一般不超过 {} 人", kind.label(), max_size(kind)));
    }
    if count(CommitteePost::DeputySecretary) > 2 {
        e.add("posts", "副书记一般不超过 2 名");
    }
    let mut seen = std::collections::HashSet::new();
    for c in posts {
        if !seen.insert(c.member_id) {
            e.add("posts", "同一名党员在委员会中只担任一个职务");
            break;
        }
    }
    if posts.iter().any(|c| !c.full) {
        e.add("posts", "预备党员没有被选举权，不能担任委员");
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn c(member_id: i64, post: CommitteePost) -> Candidate {
        Candidate { member_id, post, full: true }
    }

    fn messages(e: &FieldErrors) -> String {
        format!("{e:?}")
    }

    #[test]
    fn roster_titles_are_read_as_posts() {
        assert_eq!(CommitteePost::from_roster("支部书记"), Ok(Some(CommitteePost::Secretary)));
        assert_eq!(CommitteePost::from_roster("党支部 副书记"), Ok(Some(CommitteePost::DeputySecretary)));
        assert_eq!(CommitteePost::from_roster("纪检委员"), Ok(Some(CommitteePost::Discipline)));
        assert_eq!(CommitteePost::from_roster("支委"), Ok(Some(CommitteePost::Member)));
        assert_eq!(CommitteePost::from_roster("无"), Ok(None));
        assert_eq!(CommitteePost::from_roster(""), Ok(None));
        assert!(CommitteePost::from_roster("车间主任").unwrap_err().contains("车间主任"));
    }

    #[test]
    fn terms_end_the_day_before_their_anniversary() {
        assert_eq!(term_ends(d(2024, 5, 10), 3), d(2027, 5, 9));
        // Elected on 29 February: the anniversary falls on 28 February.
        assert_eq!(term_ends(d(2024, 2, 29), 3), d(2027, 2, 27));
        assert_eq!(term_ends(d(2024, 2, 29), 5), d(2029, 2, 27));
        assert_eq!(term_years(OrgKind::Branch), Some(3));
        assert_eq!(term_years(OrgKind::ParkCommittee), Some(5));
        assert_eq!(term_years(OrgKind::PartyGroup), None);
    }

    #[test]
    fn a_post_is_held_from_its_first_to_its_last_day() {
        let since = d(2025, 3, 1);
        assert!(!holds_on(since, None, d(2025, 2, 28)));
        assert!(holds_on(since, None, since));
        assert!(holds_on(since, Some(d(2025, 6, 30)), d(2025, 6, 30)));
        assert!(!holds_on(since, Some(d(2025, 6, 30)), d(2025, 7, 1)));
    }

    #[test]
    fn a_committee_needs_seven_full_members_one_secretary_and_full_members_only() {
        use CommitteePost::*;
        let three = [c(1, Secretary), c(2, Organisation), c(3, Publicity)];
        assert!(check_committee(OrgKind::Branch, 7, &three).is_empty());
        let e = check_committee(OrgKind::Branch, 6, &three);
        assert!(messages(&e).contains("正式党员不足 7 人（现有 6 人）"), "{e:?}");
        // A small branch: a secretary and a deputy.
        assert!(check_committee(OrgKind::Branch, 3, &[c(1, Secretary), c(2, DeputySecretary)]).is_empty());
        assert!(messages(&check_committee(OrgKind::Branch, 30, &[c(1, Organisation)])).contains("请指定书记"));
        assert!(
            messages(&check_committee(OrgKind::Branch, 30, &[c(1, Secretary), c(2, Secretary)]))
                .contains("书记只能有 1 名")
        );
        let eight: Vec<_> = (1..=8).map(|i| c(i, if i == 1 { Secretary } else { Member })).collect();
        assert!(messages(&check_committee(OrgKind::Branch, 60, &eight)).contains("一般不超过 7 人"));
        assert!(check_committee(OrgKind::Branch, 60, &eight[..7]).is_empty());
        assert!(check_committee(OrgKind::ParkCommittee, 300, &eight).is_empty());
        let twice = [c(1, Secretary), c(1, Organisation), c(3, Publicity)];
        assert!(messages(&check_committee(OrgKind::Branch, 9, &twice)).contains("只担任一个职务"));
        let probationary = [c(1, Secretary), Candidate { member_id: 2, post: Member, full: false }];
        assert!(messages(&check_committee(OrgKind::Branch, 9, &probationary)).contains("预备党员"));
        assert!(messages(&check_committee(OrgKind::PartyGroup, 9, &three)).contains("党小组不选举委员会"));
    }
}
