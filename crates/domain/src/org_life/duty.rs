//! The duty engine's rules: which activities an organisation owes in which
//! period (三会一课 of the Branch Work Regulations 2018, and the communities' weekly meeting,
//! monthly supervision, quarterly evaluation and annual report, through which they carry out the
//! 五共 mechanism), and whether each (rule, period) is done, due
//! or overdue, with its traffic light (蓝黄红).
//!
//! Pure functions, no I/O: the app layer loads the rules, the organisation's
//! facts and the dates of its held activities, and calls [`evaluate_year`]
//! (one organisation) or [`DutyCalendar::evaluate_into`] (many).
//! The whole county (20,000 organisations × 12 months) goes through this on
//! every compliance board, so period bounds are computed once per year in a
//! [`DutyCalendar`], activities are counted into a fixed array without sorting,
//! and results borrow the rule code instead of cloning it: nothing is
//! allocated per period, and labels are formatted only when serialised.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::organisations::org::{OrgKind, code_enum};
use crate::validation::{FieldErrors, required_text};

/// Yellow starts this many days before a monthly period ends, unless configured.
pub const DEFAULT_WARN_DAYS: u32 = 7;

/// Yellow starts this many days before a period of `freq` ends, unless the rule or the deployment
/// says otherwise (local practice, configurable): a week warns in its last 2 days, a month in its
/// last 7, a quarter in its last 15, a year in its last 30. One figure for all would make weekly
/// duties yellow all week and yearly ones warn only in their last days.
pub fn default_warn_days(freq: Frequency) -> u32 {
    match freq {
        Frequency::Weekly => 2,
        Frequency::Monthly => DEFAULT_WARN_DAYS,
        Frequency::Quarterly => 15,
        Frequency::Yearly => 30,
    }
}

code_enum!(
    /// What kind of activity an organisation held; duty rules are satisfied
    /// by activities of the kinds they list.
    ActivityKind {
        MemberAssembly = "member_assembly": "党员大会",
        CommitteeMeeting = "committee_meeting": "支委会",
        GroupMeeting = "group_meeting": "党小组会",
        PartyLecture = "party_lecture": "党课",
        ThemeDay = "theme_day": "主题党日",
        LifeMeeting = "life_meeting": "组织生活会",
        Appraisal = "appraisal": "民主评议",
        Observation = "observation": "观摩交流",
        Training = "training": "党性锻炼",
        Course = "course": "培训班",
        Volunteer = "volunteer": "志愿服务",
        WeeklyMeeting = "weekly_meeting": "周例会",
        Supervision = "supervision": "月督导",
        Evaluation = "evaluation": "季评比",
        AnnualReport = "annual_report": "年述职",
        Other = "other": "其他",
    }
);

// A rule's kinds are matched through a bit mask, one bit per kind.
const _: () = assert!(ActivityKind::ALL.len() <= 32);

impl ActivityKind {
    fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// Whether one activity of this kind may be held jointly by several organisations and count
    /// for each of them. A joint 党课, 主题党日 or study activity may (Branch Work Regulations art.
    /// 16 leave their form open); a 党员大会, 支委会, 党小组会, 组织生活会 or 民主评议 is one
    /// organisation's own meeting of its own members (art. 15, 17, 18), so one joint meeting
    /// cannot be every branch's.
    pub fn may_be_joint(self) -> bool {
        !matches!(
            self,
            ActivityKind::MemberAssembly
                | ActivityKind::CommitteeMeeting
                | ActivityKind::GroupMeeting
                | ActivityKind::LifeMeeting
                | ActivityKind::Appraisal
        )
    }

    /// Who is expected at an activity of this kind.
    pub fn attendees(self) -> Attendees {
        match self {
            ActivityKind::CommitteeMeeting => Attendees::Committee,
            ActivityKind::WeeklyMeeting
            | ActivityKind::Supervision
            | ActivityKind::Evaluation
            | ActivityKind::AnnualReport => Attendees::MemberSecretaries,
            _ => Attendees::Members,
        }
    }

    /// Whether an activity of this kind held in January or February may be recorded as being
    /// about the previous year (组织生活会 and 民主评议 are held for a year, usually just after it).
    pub fn may_count_for_previous_year(self) -> bool {
        matches!(self, ActivityKind::LifeMeeting | ActivityKind::Appraisal)
    }
}

/// Who is expected (应到) at an activity, by its kind. Branch Regulations art. 15: the 支委会 is a
/// meeting of the branch committee, the 党员大会 of all the branch's members, the 党小组会 of the
/// group's members; the communities' meetings (Jinxiang report: 周例会、月督导、季评比、年述职) bring
/// together the member organisations' secretaries.
///
/// Members on an open outflow take part in organisational life where they are (their receiving
/// organisation, where they are expected) as well as at home: at home they are listed as away and
/// count in 应到 only once recorded as attending or on leave ([`away_counts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Attendees {
    /// The committee in office on the day of the activity (书记、副书记、委员).
    Committee,
    /// Full and probationary members filed under the organisations (a branch's party groups
    /// included) and mobile members they receive.
    Members,
    /// The secretaries in office of the community's member organisations, and members filed under
    /// the community itself.
    MemberSecretaries,
}

impl Attendees {
    /// How the activity page says who is expected.
    pub fn describe(self) -> &'static str {
        match self {
            Attendees::Committee => "应到人员为活动当日在任的委员会成员（书记、副书记、委员）",
            Attendees::Members => "应到人员为本组织（含党小组）的正式党员、预备党员和本组织接收的流动党员",
            Attendees::MemberSecretaries => "应到人员为成员单位在任的党组织书记，以及直属本组织的党员",
        }
    }
}

/// Whether a member who is away (on an open outflow, organising their life where they are) counts
/// in an activity's 应到 at home: only once their attendance was recorded as present or on leave.
pub fn away_counts(attendance: Option<&str>) -> bool {
    matches!(attendance, Some("present" | "leave"))
}

/// What the attendance page says about members who are away.
pub const AWAY_RULE: &str = "外出党员在流入地（接收组织）参加组织生活，在本组织的活动中标明“外出”，不计入应到人数；\
     本人参加（如线上）或请假并登记后计入。批量登记出席不包括外出党员。";

/// The day on which the duty engine counts an activity held on `held_on` that the organiser
/// recorded as being about `for_year` (None: the year it was held). A 组织生活会 or 民主评议 held
/// in January–February for the previous year counts on that year's 31 December, so it fulfils
/// that year's duty and not the new one's. Errors are the form's message for `for_year`.
pub fn counts_on(kind: ActivityKind, held_on: NaiveDate, for_year: Option<i32>) -> Result<NaiveDate, String> {
    match for_year {
        None => Ok(held_on),
        Some(y) if y == held_on.year() => Ok(held_on),
        Some(y) if y == held_on.year() - 1 && kind.may_count_for_previous_year() && held_on.month() <= 2 => {
            Ok(NaiveDate::from_ymd_opt(y, 12, 31).expect("31 December"))
        }
        Some(_) if !kind.may_count_for_previous_year() => Err(format!("{}只能计入召开当年", kind.label())),
        Some(_) => Err(format!("{}只能计入召开当年，或在 1—2 月召开时计入上一年度", kind.label())),
    }
}

code_enum!(
    /// How often a duty falls due.
    Frequency {
        Weekly = "weekly": "每周",
        Monthly = "monthly": "每月",
        Quarterly = "quarterly": "每季度",
        Yearly = "yearly": "每年",
    }
);

code_enum!(
    /// Where a duty stands in one period.
    DutyStatus {
        Done = "done": "已完成",
        Due = "due": "待完成",
        Overdue = "overdue": "已逾期",
    }
);

code_enum!(
    /// The traffic light (蓝黄红): blue = done or on track, yellow = the period
    /// ends soon and it is not done, red = overdue. It informs, it does not punish.
    Light {
        Blue = "blue": "蓝灯",
        Yellow = "yellow": "黄灯",
        Red = "red": "红灯",
    }
);

impl Light {
    /// Red > yellow > blue, so `max()` over lights gives the worst one.
    fn severity(self) -> u8 {
        match self {
            Light::Blue => 0,
            Light::Yellow => 1,
            Light::Red => 2,
        }
    }
}

impl PartialOrd for Light {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Light {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.severity().cmp(&other.severity())
    }
}

// ---------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------

/// Years a [`Period`] may name: four digits, so that labels stay fixed-width.
const MIN_YEAR: i32 = 1;
const MAX_YEAR: i32 = 9999;

/// One period of a duty. Weeks are ISO 8601 weeks (Monday to Sunday; week 1
/// is the week holding the year's first Thursday), so a week may start in the
/// previous calendar year or end in the next one: 2027-01-01 lies in 2026-W53.
///
/// On the wire and in the database a period is its [`label`](Period::label):
/// `2026-W09`, `2026-03`, `2026-Q1`, `2026`. That format is an API contract.
///
/// Build periods with the checked constructors ([`Period::month`], …),
/// [`Period::parse`], [`Period::containing`] or [`periods_in_year`];
/// `start()`/`end()` panic on a hand-built out-of-range value such as
/// `Month { year: 2026, month: 13 }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Week { year: i32, week: u32 },
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Year { year: i32 },
}

fn year_ok(year: i32) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&year)
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// 52 or 53: the ISO week of 28 December is always the year's last week.
fn iso_weeks_in_year(year: i32) -> u32 {
    NaiveDate::from_ymd_opt(year, 12, 28).map_or(52, |d| d.iso_week().week())
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("period out of range")
}

impl Period {
    /// ISO week `week` of ISO year `year`, if it exists (week 53 only in long years).
    pub fn week(year: i32, week: u32) -> Option<Self> {
        (year_ok(year) && (1..=iso_weeks_in_year(year)).contains(&week)).then_some(Period::Week { year, week })
    }

    pub fn month(year: i32, month: u32) -> Option<Self> {
        (year_ok(year) && (1..=12).contains(&month)).then_some(Period::Month { year, month })
    }

    pub fn quarter(year: i32, quarter: u32) -> Option<Self> {
        (year_ok(year) && (1..=4).contains(&quarter)).then_some(Period::Quarter { year, quarter })
    }

    pub fn year(year: i32) -> Option<Self> {
        year_ok(year).then_some(Period::Year { year })
    }

    /// The period of frequency `freq` that contains `date`.
    pub fn containing(freq: Frequency, date: NaiveDate) -> Self {
        match freq {
            Frequency::Weekly => {
                let w = date.iso_week();
                Period::Week { year: w.year(), week: w.week() }
            }
            Frequency::Monthly => Period::Month { year: date.year(), month: date.month() },
            Frequency::Quarterly => Period::Quarter { year: date.year(), quarter: date.month0() / 3 + 1 },
            Frequency::Yearly => Period::Year { year: date.year() },
        }
    }

    pub fn frequency(self) -> Frequency {
        match self {
            Period::Week { .. } => Frequency::Weekly,
            Period::Month { .. } => Frequency::Monthly,
            Period::Quarter { .. } => Frequency::Quarterly,
            Period::Year { .. } => Frequency::Yearly,
        }
    }

    /// First day, inclusive.
    pub fn start(self) -> NaiveDate {
        match self {
            Period::Week { year, week } => {
                NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).expect("period out of range")
            }
            Period::Month { year, month } => ymd(year, month, 1),
            Period::Quarter { year, quarter } => ymd(year, (quarter - 1) * 3 + 1, 1),
            Period::Year { year } => ymd(year, 1, 1),
        }
    }

    /// Last day, inclusive.
    pub fn end(self) -> NaiveDate {
        match self {
            Period::Week { year, week } => {
                NaiveDate::from_isoywd_opt(year, week, Weekday::Sun).expect("period out of range")
            }
            Period::Month { year, month } => ymd(year, month, days_in_month(year, month)),
            Period::Quarter { year, quarter } => {
                let month = quarter * 3;
                ymd(year, month, days_in_month(year, month))
            }
            Period::Year { year } => ymd(year, 12, 31),
        }
    }

    /// The middle day; for an even number of days, the last day of the first
    /// half (15 April, 14 February 2026, 15 February 2024, a week's Thursday).
    pub fn midpoint(self) -> NaiveDate {
        midpoint(self.start(), self.end())
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.start() <= date && date <= self.end()
    }

    /// `2026-W09`, `2026-03`, `2026-Q1` or `2026` (also what `Display` writes;
    /// use that to avoid the allocation).
    pub fn label(self) -> String {
        self.to_string()
    }

    /// Parses a [`label`](Period::label), strictly: zero-padded, existing
    /// month/quarter/ISO week, years 0001–9999.
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::parse_opt(s.trim()).ok_or_else(|| format!("周期“{s}”格式不正确，应为 2026、2026-Q1、2026-03 或 2026-W09"))
    }

    fn parse_opt(s: &str) -> Option<Self> {
        fn digits(b: &[u8]) -> Option<u32> {
            if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
                return None;
            }
            Some(b.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        }
        let b = s.as_bytes();
        if b.len() < 4 {
            return None;
        }
        let year = i32::try_from(digits(&b[..4])?).ok()?;
        match &b[4..] {
            [] => Period::year(year),
            [b'-', b'Q', q] => Period::quarter(year, digits(&[*q])?),
            [b'-', b'W', w @ ..] if w.len() == 2 => Period::week(year, digits(w)?),
            [b'-', m @ ..] if m.len() == 2 => Period::month(year, digits(m)?),
            _ => None,
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Period::Week { year, week } => write!(f, "{year:04}-W{week:02}"),
            Period::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Period::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
            Period::Year { year } => write!(f, "{year:04}"),
        }
    }
}

impl std::str::FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Period::parse(s)
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Period;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a period label such as 2026-03")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Period, E> {
                Period::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
    }
}

impl utoipa::PartialSchema for Period {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("周期：年 2026、季度 2026-Q1、月 2026-03 或 ISO 周 2026-W09"))
            .pattern(Some(r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-W(0[1-9]|[1-4]\d|5[0-3]))?$"))
            .examples(["2026-03"])
            .into()
    }
}

impl utoipa::ToSchema for Period {}

fn midpoint(start: NaiveDate, end: NaiveDate) -> NaiveDate {
    let half = (end - start).num_days() / 2;
    start + Days::new(half as u64)
}

/// The periods of `freq` that belong to `year`, in order: 12 months, 4
/// quarters, 1 year, or the ISO weeks whose Thursday lies in `year` (52 or
/// 53). Empty for a year outside 0001–9999. Allocation-free.
pub fn periods_in_year(freq: Frequency, year: i32) -> YearPeriods {
    let len = if !year_ok(year) {
        0
    } else {
        match freq {
            Frequency::Weekly => iso_weeks_in_year(year),
            Frequency::Monthly => 12,
            Frequency::Quarterly => 4,
            Frequency::Yearly => 1,
        }
    };
    YearPeriods { freq, year, next: 0, len }
}

/// Iterator returned by [`periods_in_year`].
#[derive(Debug, Clone)]
pub struct YearPeriods {
    freq: Frequency,
    year: i32,
    next: u32,
    len: u32,
}

impl Iterator for YearPeriods {
    type Item = Period;

    fn next(&mut self) -> Option<Period> {
        if self.next >= self.len {
            return None;
        }
        self.next += 1;
        let (year, n) = (self.year, self.next);
        Some(match self.freq {
            Frequency::Weekly => Period::Week { year, week: n },
            Frequency::Monthly => Period::Month { year, month: n },
            Frequency::Quarterly => Period::Quarter { year, quarter: n },
            Frequency::Yearly => Period::Year { year },
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = (self.len - self.next) as usize;
        (n, Some(n))
    }
}

impl ExactSizeIterator for YearPeriods {}

/// Upper bound of periods per year (ISO week 53).
const MAX_PERIODS: usize = 53;

// ---------------------------------------------------------------------------
// Rules and organisations
// ---------------------------------------------------------------------------

/// A duty: at least `min_count` activities of `kinds` per period of
/// `frequency`, for organisations of the kinds in `applies_to`. Rules are data
/// (the county admin configures them); [`default_rules`] gives the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DutyRule {
    /// Stable identifier, e.g. `theme_day`.
    pub code: String,
    /// Shown to users, e.g. 主题党日.
    pub label: String,
    /// Activities of any of these kinds satisfy the rule.
    pub kinds: Vec<ActivityKind>,
    pub frequency: Frequency,
    pub min_count: u32,
    /// Organisation kind codes ([`OrgKind::code`]) the rule applies to.
    pub applies_to: Vec<String>,
    /// Applies only to organisations with at least this many full members
    /// (e.g. a branch committee exists only from 7 full members).
    #[serde(default)]
    pub min_full_members: Option<u32>,
    /// Part of the communities' rhythm (周例会、月督导、季评比、年述职) rather than 三会一课. Descriptive:
    /// it groups rules on the board; who owes the rule is `applies_to`.
    #[serde(default)]
    pub for_communities: bool,
    /// Days before a period ends when an undone duty turns yellow; None: the deployment's
    /// setting, else [`default_warn_days`] of the rule's frequency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warn_days: Option<u32>,
}

/// What the engine needs to know about an organisation. The facts are as of
/// now (the member count is not tracked historically), so a branch that
/// grows to 7 full members owes committee meetings for the whole year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgFacts {
    /// [`OrgKind::code`], e.g. `branch`.
    pub kind: String,
    /// None: unknown; then [`registered_on`](OrgFacts::registered_on) stands for it.
    pub founded_on: Option<NaiveDate>,
    /// The day the organisation was registered in Honglian: without a founding date, it owes
    /// nothing before (a branch registered in November does not owe ten red months).
    #[serde(default)]
    pub registered_on: Option<NaiveDate>,
    /// The day it was dissolved; it still existed on that day.
    pub dissolved_on: Option<NaiveDate>,
    /// The full members the size conditions ([`DutyRule::min_full_members`]) read: see
    /// [`members_for_rules`].
    pub full_members: u32,
}

/// The full members an organisation's size conditions read (e.g. 支委会 from 7 full members).
///
/// - A branch or joint branch: the members filed under it **and under its party groups**
///   (党小组 are part of the branch — Branch Work Regulations art. 8 — not a second home for
///   its members), i.e. `own_and_groups`.
/// - A general branch (党总支), a committee or any other organisation with organisations under
///   it: its whole subtree (`subtree`), since its members sit in its sub-branches.
/// - A party group: its own members (`own_and_groups` is just its own for a group).
/// - A community (alliance, regional organisation) links organisations rather than holding them;
///   the rhythm it owes does not depend on size, so what is under it in the tree is counted.
pub fn members_for_rules(kind: &str, own_and_groups: u32, subtree: u32) -> u32 {
    match kind {
        "branch" | "joint_branch" | "party_group" => own_and_groups,
        _ => subtree,
    }
}

impl OrgFacts {
    /// Whether the organisation owes anything for `period` (whatever the
    /// rule; see [`DutyRule::applies`] for kind and size): it was founded no later than the period's [midpoint](Period::midpoint)
    /// (founded in the second half, it had too little time, so the first
    /// period owed is the next one) and it still existed on the last day (an
    /// organisation dissolved before the period ends owes nothing for it;
    /// dissolved on the last day, it does).
    pub fn owes_in(&self, period: Period) -> bool {
        self.owes(&Span::of(period))
    }

    fn owes(&self, span: &Span) -> bool {
        self.founded_on.or(self.registered_on).is_none_or(|f| f <= span.midpoint)
            && self.dissolved_on.is_none_or(|d| d >= span.end)
    }
}

impl DutyRule {
    /// The kind and size conditions: the organisation's kind is listed and it
    /// has enough full members. Periods are checked by [`DutyRule::applies`].
    pub fn applies_to_org(&self, org: &OrgFacts) -> bool {
        self.applies_to.contains(&org.kind) && self.min_full_members.is_none_or(|n| org.full_members >= n)
    }

    /// Whether `org` owes this rule in `period`: the period has the rule's
    /// frequency, [`applies_to_org`](DutyRule::applies_to_org) holds and
    /// [`OrgFacts::owes_in`] holds.
    pub fn applies(&self, org: &OrgFacts, period: Period) -> bool {
        period.frequency() == self.frequency && self.applies_to_org(org) && org.owes_in(period)
    }

    /// Evaluates one period given the number of satisfying activities held in
    /// it; None when the rule does not apply or the period has not started.
    pub fn evaluate(
        &self,
        org: &OrgFacts,
        period: Period,
        done_count: u32,
        today: NaiveDate,
        warn_days: Option<u32>,
    ) -> Option<DutyResult<'_>> {
        if !self.applies(org, period) {
            return None;
        }
        let (status, light) = assess(period, done_count, self.min_count, today, self.warn_days_or(warn_days))?;
        Some(DutyResult { rule: &self.code, period, status, light, done_count, required: self.min_count })
    }

    /// The warning days this rule uses: its own, else the deployment's (`deployment`), else the
    /// default of its frequency.
    pub fn warn_days_or(&self, deployment: Option<u32>) -> u32 {
        self.warn_days.or(deployment).unwrap_or_else(|| default_warn_days(self.frequency))
    }

    fn kind_mask(&self) -> u32 {
        self.kinds.iter().fold(0, |m, k| m | k.bit())
    }

    /// Checks a rule the county admin submitted; errors are keyed by field.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        let code_ok = !self.code.is_empty()
            && self.code.len() <= 40
            && self.code.starts_with(|c: char| c.is_ascii_lowercase())
            && self.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !code_ok {
            e.add("code", "规则代码须为小写字母开头、由小写字母、数字和下划线组成，不超过 40 个字符");
        }
        e.check("label", required_text(&self.label, "规则名称", 30));
        if self.kinds.is_empty() {
            e.add("kinds", "请至少选择一种活动类型");
        }
        if self.min_count == 0 {
            e.add("min_count", "每期最少次数须至少为 1");
        }
        if self.applies_to.is_empty() {
            e.add("applies_to", "请至少选择一种组织类型");
        }
        for k in &self.applies_to {
            if OrgKind::from_code(k).is_none() {
                e.add("applies_to", format!("未知的组织类型“{k}”"));
            }
        }
        if self.min_full_members == Some(0) {
            e.add("min_full_members", "最少正式党员数须至少为 1，或不设");
        }
        if self.warn_days.is_some_and(|n| n > 366) {
            e.add("warn_days", "提前预警天数应在 0 到 366 之间");
        }
        e.into_result()
    }
}

/// Validates every rule of a set and that codes are unique; errors are keyed
/// `rules[i].field`.
pub fn validate_rules(rules: &[DutyRule]) -> Result<(), FieldErrors> {
    let mut all = FieldErrors::new();
    for (i, rule) in rules.iter().enumerate() {
        if let Err(e) = rule.validate() {
            for (field, messages) in e.0 {
                for m in messages {
                    all.add(&format!("rules[{i}].{field}"), m);
                }
            }
        }
        if rules[..i].iter().any(|r| r.code == rule.code) {
            all.add(&format!("rules[{i}].code"), format!("规则代码“{}”重复", rule.code));
        }
    }
    all.into_result()
}

/// The defaults of DESIGN.md (docs/rules.md gives each its source).
///
/// 三会一课 and the other branch duties apply to branches, joint branches and
/// general branches. Committee meetings only from 7 full members (a branch
/// committee is elected from 7 full members; smaller branches have only a
/// secretary), counted as [`members_for_rules`] says. Party group meetings are
/// owed by each party group (党小组) where the branch has set groups up — not
/// inferred from the branch's size — and roll up to the branch on the board.
///
/// The weekly meeting, monthly supervision, quarterly evaluation and annual
/// report (周例会、月督导、季评比、年述职) are how regional organisations and
/// industry-chain alliances carry out the 五共 mechanism (议事共商、组织共建、
/// 资源共享、人才共育、发展共促); they apply to those two kinds.
pub fn default_rules() -> Vec<DutyRule> {
    const BRANCHES: &[&str] = &["branch", "joint_branch", "general_branch"];
    const COMMUNITIES: &[&str] = &["chain_alliance", "regional_org"];
    let rule = |kind: ActivityKind, frequency, min_full_members, orgs: &[&str]| DutyRule {
        code: kind.code().to_string(),
        label: kind.label().to_string(),
        kinds: vec![kind],
        frequency,
        min_count: 1,
        applies_to: orgs.iter().map(|s| s.to_string()).collect(),
        min_full_members,
        for_communities: orgs == COMMUNITIES,
        warn_days: None,
    };
    use ActivityKind as K;
    use Frequency as F;
    vec![
        rule(K::MemberAssembly, F::Quarterly, None, BRANCHES),
        rule(K::CommitteeMeeting, F::Monthly, Some(7), BRANCHES),
        rule(K::GroupMeeting, F::Monthly, None, &["party_group"]),
        rule(K::PartyLecture, F::Quarterly, None, BRANCHES),
        rule(K::ThemeDay, F::Monthly, None, BRANCHES),
        rule(K::LifeMeeting, F::Yearly, None, BRANCHES),
        rule(K::Appraisal, F::Yearly, None, BRANCHES),
        rule(K::WeeklyMeeting, F::Weekly, None, COMMUNITIES),
        rule(K::Supervision, F::Monthly, None, COMMUNITIES),
        rule(K::Evaluation, F::Quarterly, None, COMMUNITIES),
        rule(K::AnnualReport, F::Yearly, None, COMMUNITIES),
    ]
}

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

/// The state of one rule in one period for one organisation. Borrows the rule
/// code from the rule set so that evaluating the county allocates nothing per
/// result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DutyResult<'r> {
    /// [`DutyRule::code`].
    pub rule: &'r str,
    pub period: Period,
    pub status: DutyStatus,
    pub light: Light,
    /// Satisfying activities held in the period (up to today).
    pub done_count: u32,
    /// [`DutyRule::min_count`].
    pub required: u32,
}

/// Status and light of one period, given `done_count` satisfying activities
/// and `required` of them:
///
/// - the period starts after `today` → None (not evaluated yet);
/// - `done_count >= required` → done, blue (also after the period ended);
/// - `today` after the last day → overdue, red;
/// - otherwise due, and with `days_left = end - today` (0 on the last day),
///   yellow when `days_left < warn_days`, else blue. So `warn_days = 7` makes
///   the last 7 days yellow (from the 25th of a 31-day month), and 0 never
///   warns. A weekly duty with `warn_days >= 7` is yellow all week until done.
pub fn assess(
    period: Period,
    done_count: u32,
    required: u32,
    today: NaiveDate,
    warn_days: u32,
) -> Option<(DutyStatus, Light)> {
    if period.start() > today {
        return None;
    }
    Some(assess_open(period.end(), done_count, required, today, warn_days))
}

/// [`assess`] for a period known to have started.
fn assess_open(
    end: NaiveDate,
    done_count: u32,
    required: u32,
    today: NaiveDate,
    warn_days: u32,
) -> (DutyStatus, Light) {
    if done_count >= required {
        (DutyStatus::Done, Light::Blue)
    } else if today > end {
        (DutyStatus::Overdue, Light::Red)
    } else if (end - today).num_days() < i64::from(warn_days) {
        (DutyStatus::Due, Light::Yellow)
    } else {
        (DutyStatus::Due, Light::Blue)
    }
}

/// Every (rule, period) of `year` that `org` owes and that has started by
/// `today`, in rule order then period order. `activities` are the kinds and
/// dates of the organisation's held activities, in any order and possibly
/// spanning other years (those are ignored); activities dated after `today`
/// are not counted, since a planned activity does not fulfil a duty. `warn_days` is the
/// deployment's warning period, if it sets one (see [`DutyRule::warn_days_or`]).
///
/// For many organisations build a [`DutyCalendar`] once and call
/// [`DutyCalendar::evaluate_into`] with a reused buffer instead.
pub fn evaluate_year<'r>(
    rules: &'r [DutyRule],
    org: &OrgFacts,
    year: i32,
    activities: &[(ActivityKind, NaiveDate)],
    today: NaiveDate,
    warn_days: Option<u32>,
) -> Vec<DutyResult<'r>> {
    let mut out = Vec::new();
    DutyCalendar::new(rules, year).evaluate_into(org, activities, today, warn_days, &mut out);
    out
}

/// One period with its bounds worked out, so that the hot loop only compares
/// dates.
#[derive(Debug, Clone, Copy)]
struct Span {
    period: Period,
    start: NaiveDate,
    midpoint: NaiveDate,
    end: NaiveDate,
}

impl Span {
    fn of(period: Period) -> Self {
        let (start, end) = (period.start(), period.end());
        Span { period, start, midpoint: midpoint(start, end), end }
    }
}

/// A rule set and a year, with every period's bounds computed once: the
/// county board builds one and evaluates all 20,000 organisations with it.
///
/// Cost per organisation: one pass over its activities per applicable rule
/// (each placed by a binary search over at most 53 periods), one comparison
/// or three per period; no sorting, no allocation besides `out`. Measured by
/// the ignored test `county_scale`.
#[derive(Debug, Clone)]
pub struct DutyCalendar<'r> {
    rules: &'r [DutyRule],
    /// Activity-kind bit mask per rule.
    masks: Vec<u32>,
    /// The year's periods per [`Frequency`], in date order.
    spans: [Vec<Span>; 4],
}

impl<'r> DutyCalendar<'r> {
    pub fn new(rules: &'r [DutyRule], year: i32) -> Self {
        let spans = |freq| periods_in_year(freq, year).map(Span::of).collect::<Vec<_>>();
        DutyCalendar {
            rules,
            masks: rules.iter().map(DutyRule::kind_mask).collect(),
            spans: [
                spans(Frequency::Weekly),
                spans(Frequency::Monthly),
                spans(Frequency::Quarterly),
                spans(Frequency::Yearly),
            ],
        }
    }

    fn spans(&self, freq: Frequency) -> &[Span] {
        &self.spans[match freq {
            Frequency::Weekly => 0,
            Frequency::Monthly => 1,
            Frequency::Quarterly => 2,
            Frequency::Yearly => 3,
        }]
    }

    /// [`evaluate_year`] for this calendar's rules and year.
    pub fn evaluate(
        &self,
        org: &OrgFacts,
        activities: &[(ActivityKind, NaiveDate)],
        today: NaiveDate,
        warn_days: Option<u32>,
    ) -> Vec<DutyResult<'r>> {
        let mut out = Vec::new();
        self.evaluate_into(org, activities, today, warn_days, &mut out);
        out
    }

    /// [`evaluate_year`] appending to `out`, so that a caller walking
    /// thousands of organisations can reuse one buffer.
    pub fn evaluate_into(
        &self,
        org: &OrgFacts,
        activities: &[(ActivityKind, NaiveDate)],
        today: NaiveDate,
        warn_days: Option<u32>,
        out: &mut Vec<DutyResult<'r>>,
    ) {
        for (rule, &mask) in self.rules.iter().zip(&self.masks) {
            let spans = self.spans(rule.frequency);
            let (Some(first), Some(last)) = (spans.first(), spans.last()) else {
                continue;
            };
            // Nothing of this year has started yet, or the rule is not owed.
            if first.start > today || !rule.applies_to_org(org) {
                continue;
            }
            let warn = rule.warn_days_or(warn_days);
            let mut counts = [0u32; MAX_PERIODS];
            for &(kind, date) in activities {
                if kind.bit() & mask == 0 || date > today || date < first.start || date > last.end {
                    continue;
                }
                let i = spans.partition_point(|s| s.end < date);
                counts[i] = counts[i].saturating_add(1);
            }
            for (span, &done_count) in spans.iter().zip(&counts) {
                if span.start > today {
                    break;
                }
                if !org.owes(span) {
                    continue;
                }
                let (status, light) = assess_open(span.end, done_count, rule.min_count, today, warn);
                out.push(DutyResult {
                    rule: &rule.code,
                    period: span.period,
                    status,
                    light,
                    done_count,
                    required: rule.min_count,
                });
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Reminders
// ---------------------------------------------------------------------------

/// A red duty is reminded of while its period ended at most this many days ago ("recently
/// overdue"); older reds stay on the board but are not pushed again.
pub const RECENT_RED_DAYS: i64 = 31;

/// Whether a red duty of a period ending on `end` is still reminded of on `today`.
pub fn is_recent_red(end: NaiveDate, today: NaiveDate) -> bool {
    (today - end).num_days() <= RECENT_RED_DAYS
}

/// The years whose duties may be yellow or recently red on `today`, oldest first: this year,
/// the previous one while its last period (31 December, or its ISO week 53 ending in January)
/// ended at most [`RECENT_RED_DAYS`] ago, and the next one once its ISO week 1 has started
/// (29–31 December). Reminders evaluate each, so that on 1 January the December, fourth-quarter,
/// annual and week-53 duties still get their overdue notice.
pub fn reminder_years(today: NaiveDate) -> Vec<i32> {
    let y = today.year();
    let mut out = Vec::with_capacity(3);
    let last_end = |year: i32| {
        let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December");
        periods_in_year(Frequency::Weekly, year).last().map_or(dec31, |w| w.end().max(dec31))
    };
    if year_ok(y - 1) && is_recent_red(last_end(y - 1), today) {
        out.push(y - 1);
    }
    out.push(y);
    if Period::week(y + 1, 1).is_some_and(|w| w.start() <= today) {
        out.push(y + 1);
    }
    out
}

// ---------------------------------------------------------------------------
// Roll-up for the compliance board
// ---------------------------------------------------------------------------

/// The worst light of a set (red > yellow > blue); None for an empty set,
/// i.e. nothing was owed.
pub fn worst_light(lights: impl IntoIterator<Item = Light>) -> Option<Light> {
    lights.into_iter().max()
}

/// How many results show each light.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LightCounts {
    pub blue: u32,
    pub yellow: u32,
    pub red: u32,
}

impl LightCounts {
    pub fn add(&mut self, light: Light) {
        match light {
            Light::Blue => self.blue += 1,
            Light::Yellow => self.yellow += 1,
            Light::Red => self.red += 1,
        }
    }

    /// Adds another roll-up (e.g. a child organisation's) into this one.
    pub fn merge(&mut self, other: LightCounts) {
        self.blue += other.blue;
        self.yellow += other.yellow;
        self.red += other.red;
    }

    pub fn total(&self) -> u32 {
        self.blue + self.yellow + self.red
    }

    /// Red if any is red, else yellow if any is yellow, else blue; None if empty.
    pub fn worst(&self) -> Option<Light> {
        if self.red > 0 {
            Some(Light::Red)
        } else if self.yellow > 0 {
            Some(Light::Yellow)
        } else if self.blue > 0 {
            Some(Light::Blue)
        } else {
            None
        }
    }
}

impl Extend<Light> for LightCounts {
    fn extend<I: IntoIterator<Item = Light>>(&mut self, iter: I) {
        for l in iter {
            self.add(l);
        }
    }
}

impl FromIterator<Light> for LightCounts {
    fn from_iter<I: IntoIterator<Item = Light>>(iter: I) -> Self {
        let mut c = LightCounts::default();
        c.extend(iter);
        c
    }
}

impl<'a, 'r> FromIterator<&'a DutyResult<'r>> for LightCounts {
    fn from_iter<I: IntoIterator<Item = &'a DutyResult<'r>>>(iter: I) -> Self {
        iter.into_iter().map(|r| r.light).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn org(kind: &str, full_members: u32) -> OrgFacts {
        OrgFacts { kind: kind.into(), founded_on: None, registered_on: None, dissolved_on: None, full_members }
    }

    fn rule(code: &str) -> DutyRule {
        default_rules().into_iter().find(|r| r.code == code).unwrap()
    }

    fn month(y: i32, m: u32) -> Period {
        Period::month(y, m).unwrap()
    }

    /// (period label, status, light) of every result, for compact assertions.
    fn summary(results: &[DutyResult<'_>]) -> Vec<(String, DutyStatus, Light)> {
        results.iter().map(|r| (r.period.label(), r.status, r.light)).collect()
    }

    // --- periods -----------------------------------------------------------

    #[test]
    fn labels_have_the_contract_format() {
        assert_eq!(month(2026, 3).label(), "2026-03");
        assert_eq!(Period::quarter(2026, 1).unwrap().label(), "2026-Q1");
        assert_eq!(Period::year(2026).unwrap().label(), "2026");
        assert_eq!(Period::week(2026, 9).unwrap().label(), "2026-W09");
        assert_eq!(Period::week(2026, 53).unwrap().label(), "2026-W53");
        assert_eq!(month(2026, 12).label(), "2026-12");
    }

    #[test]
    fn labels_round_trip_through_parse_and_serde() {
        for year in [1, 999, 2020, 2024, 2025, 2026, 2027, 2028, 2100, 9999] {
            for freq in Frequency::ALL {
                for p in periods_in_year(*freq, year) {
                    let label = p.label();
                    assert_eq!(Period::parse(&label), Ok(p), "{label}");
                    assert_eq!(label.parse::<Period>(), Ok(p));
                    let de: StrDeserializer<'_, DeError> = label.as_str().into_deserializer();
                    assert_eq!(Period::deserialize(de), Ok(p));
                }
            }
        }
        assert_eq!(Period::parse(" 2026-03 "), Ok(month(2026, 3)));
    }

    #[test]
    fn parse_rejects_malformed_and_nonexistent_periods() {
        for bad in [
            "",
            "202",
            "20260",
            "2026-",
            "2026-3",
            "2026-003",
            "2026-00",
            "2026-13",
            "2026-Q0",
            "2026-Q5",
            "2026-q1",
            "2026-Q10",
            "2026-W00",
            "2026-W9",
            "2026-W54",
            "2025-W53",
            "2026-w09",
            "2026/03",
            "0000",
            "0000-01",
            "+026",
            "-202",
            "26-03",
            "２０２６",
            "2026-03-01",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(Period::parse("2026-13").unwrap_err().contains("格式不正确"));
        let de: StrDeserializer<'_, DeError> = "2026-13".into_deserializer();
        assert!(Period::deserialize(de).is_err());
        // Checked constructors agree with parse.
        assert!(Period::month(2026, 13).is_none() && Period::quarter(2026, 5).is_none());
        assert!(Period::week(2025, 53).is_none() && Period::week(2026, 53).is_some());
        assert!(Period::year(0).is_none() && Period::year(10000).is_none());
    }

    #[test]
    fn month_ends_follow_leap_years() {
        assert_eq!(month(2024, 2).end(), d(2024, 2, 29));
        assert_eq!(month(2028, 2).end(), d(2028, 2, 29));
        assert_eq!(month(2026, 2).end(), d(2026, 2, 28));
        assert_eq!(month(2100, 2).end(), d(2100, 2, 28)); // century, not leap
        assert_eq!(month(2000, 2).end(), d(2000, 2, 29)); // divisible by 400
        assert_eq!(month(2026, 4).end(), d(2026, 4, 30));
        assert_eq!(month(2026, 12).end(), d(2026, 12, 31));
        assert_eq!(Period::quarter(2024, 1).unwrap().end(), d(2024, 3, 31));
        assert_eq!(Period::year(2024).unwrap().end(), d(2024, 12, 31));
    }

    #[test]
    fn quarters_split_at_march_31() {
        let q = |n| Period::quarter(2026, n).unwrap();
        assert_eq!((q(1).start(), q(1).end()), (d(2026, 1, 1), d(2026, 3, 31)));
        assert_eq!((q(2).start(), q(2).end()), (d(2026, 4, 1), d(2026, 6, 30)));
        assert_eq!((q(3).start(), q(3).end()), (d(2026, 7, 1), d(2026, 9, 30)));
        assert_eq!((q(4).start(), q(4).end()), (d(2026, 10, 1), d(2026, 12, 31)));
        assert_eq!(Period::containing(Frequency::Quarterly, d(2026, 3, 31)), q(1));
        assert_eq!(Period::containing(Frequency::Quarterly, d(2026, 4, 1)), q(2));
    }

    #[test]
    fn iso_weeks_span_years() {
        // 2026 starts on a Thursday: 53 ISO weeks, W01 starts in 2025 and
        // W53 ends in 2027.
        assert_eq!(periods_in_year(Frequency::Weekly, 2026).len(), 53);
        assert_eq!(periods_in_year(Frequency::Weekly, 2025).len(), 52);
        assert_eq!(periods_in_year(Frequency::Weekly, 2020).len(), 53);
        assert_eq!(periods_in_year(Frequency::Weekly, 2027).len(), 52);
        let w1 = Period::week(2026, 1).unwrap();
        assert_eq!((w1.start(), w1.end()), (d(2025, 12, 29), d(2026, 1, 4)));
        let w53 = Period::week(2026, 53).unwrap();
        assert_eq!((w53.start(), w53.end()), (d(2026, 12, 28), d(2027, 1, 3)));
        assert_eq!(Period::containing(Frequency::Weekly, d(2027, 1, 1)), w53);
        assert_eq!(Period::containing(Frequency::Weekly, d(2025, 12, 29)), w1);
        assert_eq!(Period::containing(Frequency::Weekly, d(2027, 1, 4)), Period::week(2027, 1).unwrap());
        assert_eq!(Period::containing(Frequency::Weekly, d(2021, 1, 1)), Period::week(2020, 53).unwrap());
    }

    #[test]
    fn periods_of_a_year_tile_it_without_gaps() {
        for year in 2019..=2032 {
            for freq in Frequency::ALL {
                let periods: Vec<Period> = periods_in_year(*freq, year).collect();
                for pair in periods.windows(2) {
                    assert_eq!(pair[0].end().succ_opt().unwrap(), pair[1].start());
                }
                for p in &periods {
                    assert_eq!(p.frequency(), *freq);
                    assert!(p.contains(p.start()) && p.contains(p.end()));
                    assert!(!p.contains(p.start().pred_opt().unwrap()));
                    assert!(!p.contains(p.end().succ_opt().unwrap()));
                    assert_eq!(Period::containing(*freq, p.midpoint()), *p);
                }
                let (first, last) = (periods[0], periods[periods.len() - 1]);
                if *freq == Frequency::Weekly {
                    // ISO weeks: each 7 days, the first Thursday and the
                    // last Thursday of the span lie in `year`.
                    assert!(periods.iter().all(|p| (p.end() - p.start()).num_days() == 6));
                    assert_eq!(first.midpoint().year(), year);
                    assert_eq!(last.midpoint().year(), year);
                    assert_eq!((first.start() - Days::new(4)).year(), year - 1);
                    assert_eq!((last.end() + Days::new(4)).year(), year + 1);
                } else {
                    assert_eq!((first.start(), last.end()), (d(year, 1, 1), d(year, 12, 31)));
                }
            }
        }
        assert_eq!(periods_in_year(Frequency::Monthly, 0).len(), 0);
        assert_eq!(periods_in_year(Frequency::Yearly, 10000).count(), 0);
    }

    #[test]
    fn midpoints() {
        assert_eq!(month(2026, 1).midpoint(), d(2026, 1, 16)); // 31 days: 15 + 1 + 15
        assert_eq!(month(2026, 4).midpoint(), d(2026, 4, 15)); // 30 days: end of first half
        assert_eq!(month(2026, 2).midpoint(), d(2026, 2, 14));
        assert_eq!(month(2024, 2).midpoint(), d(2024, 2, 15));
        assert_eq!(Period::week(2026, 9).unwrap().midpoint().weekday(), Weekday::Thu);
        assert_eq!(Period::quarter(2026, 1).unwrap().midpoint(), d(2026, 2, 14)); // 90 days
        assert_eq!(Period::year(2026).unwrap().midpoint(), d(2026, 7, 2));
        assert_eq!(Period::year(2024).unwrap().midpoint(), d(2024, 7, 1));
    }

    // --- rules ---------------------------------------------------------------

    #[test]
    fn activity_kinds_and_codes() {
        assert_eq!(ActivityKind::ALL.len(), 16);
        for k in ActivityKind::ALL {
            assert_eq!(ActivityKind::from_code(k.code()), Some(*k));
        }
        assert_eq!(ActivityKind::ThemeDay.label(), "主题党日");
        assert_eq!(ActivityKind::from_code("annual_report"), Some(ActivityKind::AnnualReport));
        assert_eq!(Light::Yellow.code(), "yellow");
        assert_eq!(DutyStatus::Overdue.code(), "overdue");
    }

    #[test]
    fn default_rules_match_the_design() {
        use Frequency::*;
        let branches = ["branch", "joint_branch", "general_branch"];
        let communities = ["chain_alliance", "regional_org"];
        type Row<'a> = (&'a str, &'a str, Frequency, Option<u32>, &'a [&'a str]);
        let expected: &[Row<'_>] = &[
            ("member_assembly", "党员大会", Quarterly, None, &branches),
            ("committee_meeting", "支委会", Monthly, Some(7), &branches),
            ("group_meeting", "党小组会", Monthly, None, &["party_group"]),
            ("party_lecture", "党课", Quarterly, None, &branches),
            ("theme_day", "主题党日", Monthly, None, &branches),
            ("life_meeting", "组织生活会", Yearly, None, &branches),
            ("appraisal", "民主评议", Yearly, None, &branches),
            ("weekly_meeting", "周例会", Weekly, None, &communities),
            ("supervision", "月督导", Monthly, None, &communities),
            ("evaluation", "季评比", Quarterly, None, &communities),
            ("annual_report", "年述职", Yearly, None, &communities),
        ];
        let rules = default_rules();
        assert_eq!(rules.len(), expected.len());
        for (r, (code, label, freq, min_members, orgs)) in rules.iter().zip(expected) {
            assert_eq!(r.code, *code);
            assert_eq!(r.label, *label);
            assert_eq!(r.kinds, vec![ActivityKind::from_code(code).unwrap()]);
            assert_eq!(r.frequency, *freq, "{code}");
            assert_eq!(r.min_count, 1);
            assert_eq!(r.min_full_members, *min_members, "{code}");
            assert_eq!(r.applies_to, *orgs);
            assert_eq!(r.for_communities, orgs == &communities);
        }
        assert_eq!(validate_rules(&rules), Ok(()));
    }

    /// Every default rule, end to end: one satisfying activity in each period
    /// of 2026 except the last gives done everywhere but there, where it is red.
    #[test]
    fn each_default_rule_is_satisfied_by_its_activity() {
        let today = d(2027, 1, 10);
        for r in default_rules() {
            let facts = org(&r.applies_to[0], 12);
            let periods: Vec<Period> = periods_in_year(r.frequency, 2026).collect();
            let acts: Vec<_> = periods[..periods.len() - 1].iter().map(|p| (r.kinds[0], p.midpoint())).collect();
            let res = evaluate_year(std::slice::from_ref(&r), &facts, 2026, &acts, today, Some(7));
            assert_eq!(res.len(), periods.len(), "{}", r.code);
            let (last, rest) = res.split_last().unwrap();
            assert!(rest.iter().all(|x| x.status == DutyStatus::Done && x.light == Light::Blue));
            assert!(rest.iter().all(|x| x.done_count == 1 && x.required == 1));
            assert_eq!((last.status, last.light, last.done_count), (DutyStatus::Overdue, Light::Red, 0));
            assert_eq!(last.rule, r.code);
            // Other kinds do not satisfy it.
            let other = ActivityKind::ALL.iter().find(|k| !r.kinds.contains(k)).unwrap();
            let acts: Vec<_> = periods.iter().map(|p| (*other, p.midpoint())).collect();
            let res = evaluate_year(std::slice::from_ref(&r), &facts, 2026, &acts, today, Some(7));
            assert!(res.iter().all(|x| x.status == DutyStatus::Overdue), "{}", r.code);
        }
    }

    #[test]
    fn rules_apply_by_org_kind() {
        let rules = default_rules();
        let codes = |facts: &OrgFacts| -> Vec<&str> {
            rules.iter().filter(|r| r.applies_to_org(facts)).map(|r| r.code.as_str()).collect()
        };
        let three = ["member_assembly", "party_lecture", "theme_day", "life_meeting", "appraisal"];
        assert_eq!(codes(&org("branch", 3)), three);
        assert_eq!(codes(&org("joint_branch", 3)), three);
        assert_eq!(codes(&org("general_branch", 3)), three);
        let five = ["weekly_meeting", "supervision", "evaluation", "annual_report"];
        assert_eq!(codes(&org("chain_alliance", 50)), five);
        assert_eq!(codes(&org("regional_org", 0)), five);
        for kind in ["committee", "work_committee", "liaison_center", "park_committee"] {
            assert!(codes(&org(kind, 200)).is_empty(), "{kind}");
        }
        // A party group owes its group meeting, and nothing of the branch's.
        assert_eq!(codes(&org("party_group", 2)), ["group_meeting"]);
        assert_eq!(codes(&org("party_group", 0)), ["group_meeting"]);
    }

    #[test]
    fn committee_meeting_needs_seven_full_members_and_groups_meet_per_group() {
        let rules = default_rules();
        let today = d(2026, 12, 31);
        let owed = |n| -> Vec<&str> {
            let res = evaluate_year(&rules, &org("branch", n), 2026, &[], today, Some(7));
            let mut codes: Vec<&str> = res.iter().map(|r| r.rule).collect();
            codes.dedup();
            codes
        };
        assert!(!owed(6).contains(&"committee_meeting"));
        assert!(owed(7).contains(&"committee_meeting"));
        // Group meetings are not inferred from the branch's size: a branch of 60 owes none itself.
        assert!(!owed(60).contains(&"group_meeting"));
        let cm = rule("committee_meeting");
        assert!(!cm.applies(&org("branch", 6), month(2026, 3)));
        assert!(cm.applies(&org("branch", 7), month(2026, 3)));
        // A period of the wrong frequency never applies.
        assert!(!cm.applies(&org("branch", 7), Period::quarter(2026, 1).unwrap()));
    }

    #[test]
    fn founded_by_the_midpoint_owes_the_period() {
        let theme = [rule("theme_day")];
        let today = d(2026, 6, 30);
        let months = |founded: NaiveDate| -> Vec<String> {
            let facts = OrgFacts { founded_on: Some(founded), ..org("branch", 5) };
            evaluate_year(&theme, &facts, 2026, &[], today, Some(7)).iter().map(|r| r.period.label()).collect()
        };
        // April has 30 days: the 15th is the midpoint.
        assert_eq!(months(d(2026, 4, 15)), ["2026-04", "2026-05", "2026-06"]);
        assert_eq!(months(d(2026, 4, 16)), ["2026-05", "2026-06"]);
        // January has 31 days: the 16th is the midpoint.
        assert_eq!(months(d(2026, 1, 16)).first().unwrap(), "2026-01");
        assert_eq!(months(d(2026, 1, 17)).first().unwrap(), "2026-02");
        // Founded before the year: everything; unknown founding date: everything.
        assert_eq!(months(d(2020, 5, 1)).len(), 6);
        let unknown = evaluate_year(&theme, &org("branch", 5), 2026, &[], today, Some(7));
        assert_eq!(unknown.len(), 6);
        // Quarterly: Q2 2026 runs 91 days, midpoint 16 May (45 days either side).
        let ma = rule("member_assembly");
        let founded = |f| OrgFacts { founded_on: Some(f), ..org("branch", 5) };
        let q2 = Period::quarter(2026, 2).unwrap();
        assert_eq!(q2.midpoint(), d(2026, 5, 16));
        assert!(ma.applies(&founded(d(2026, 5, 16)), q2));
        assert!(!ma.applies(&founded(d(2026, 5, 17)), q2));
        // Weekly: founded on the Thursday owes the week, on Friday not.
        let wm = rule("weekly_meeting");
        let w = Period::week(2026, 10).unwrap();
        let alliance = |f| OrgFacts { founded_on: Some(f), ..org("chain_alliance", 0) };
        assert!(wm.applies(&alliance(w.midpoint()), w));
        assert!(!wm.applies(&alliance(w.midpoint().succ_opt().unwrap()), w));
    }

    #[test]
    fn dissolved_before_the_end_owes_nothing_for_the_period() {
        let rules = [rule("theme_day"), rule("member_assembly")];
        let today = d(2026, 12, 31);
        let facts = |dissolved| OrgFacts { dissolved_on: Some(dissolved), ..org("branch", 5) };
        let labels = |f: &OrgFacts| -> Vec<String> {
            evaluate_year(&rules, f, 2026, &[], today, Some(7)).iter().map(|r| r.period.label()).collect()
        };
        // Dissolved mid-April: owes up to March, and Q1 but not Q2.
        assert_eq!(labels(&facts(d(2026, 4, 10))), ["2026-01", "2026-02", "2026-03", "2026-Q1"]);
        // Dissolved on the last day of April: it existed all month, owes April.
        assert_eq!(labels(&facts(d(2026, 4, 30))), ["2026-01", "2026-02", "2026-03", "2026-04", "2026-Q1"]);
        // Dissolved on the quarter's last day owes the quarter.
        assert!(labels(&facts(d(2026, 6, 30))).contains(&"2026-Q2".to_string()));
        // Dissolved the year before: nothing.
        assert!(labels(&facts(d(2025, 12, 31))).is_empty());
    }

    // --- lights ------------------------------------------------------------

    #[test]
    fn lights_at_the_warning_boundary_last_day_and_after() {
        let march = month(2026, 3);
        let at = |today, warn| assess(march, 0, 1, today, warn);
        let (due_blue, due_yellow, overdue) = (
            Some((DutyStatus::Due, Light::Blue)),
            Some((DutyStatus::Due, Light::Yellow)),
            Some((DutyStatus::Overdue, Light::Red)),
        );
        assert_eq!(at(d(2026, 3, 1), 7), due_blue);
        assert_eq!(at(d(2026, 3, 24), 7), due_blue); // 7 days left
        assert_eq!(at(d(2026, 3, 25), 7), due_yellow); // 6 days left: last 7 days
        assert_eq!(at(d(2026, 3, 31), 7), due_yellow); // last day, 0 days left
        assert_eq!(at(d(2026, 4, 1), 7), overdue);
        assert_eq!(at(d(2027, 1, 1), 7), overdue);
        // warn_days = 0 never warns; = 1 warns only on the last day.
        assert_eq!(at(d(2026, 3, 31), 0), due_blue);
        assert_eq!(at(d(2026, 3, 30), 1), due_blue);
        assert_eq!(at(d(2026, 3, 31), 1), due_yellow);
        // Done is blue, whenever it is looked at.
        for today in [d(2026, 3, 2), d(2026, 3, 31), d(2026, 4, 1)] {
            assert_eq!(assess(march, 1, 1, today, 7), Some((DutyStatus::Done, Light::Blue)));
            assert_eq!(assess(march, 3, 1, today, 7), Some((DutyStatus::Done, Light::Blue)));
        }
        // Not started yet: not evaluated.
        assert_eq!(at(d(2026, 2, 28), 7), None);
        assert_eq!(DEFAULT_WARN_DAYS, 7);
    }

    #[test]
    fn february_ends_on_the_right_day() {
        let theme = [rule("theme_day")];
        let feb = |year, today, warn| {
            let res = evaluate_year(&theme, &org("branch", 5), year, &[], today, Some(warn));
            let r = res.iter().find(|r| r.period == month(year, 2)).copied().unwrap();
            (r.status, r.light)
        };
        assert_eq!(feb(2026, d(2026, 2, 28), 1), (DutyStatus::Due, Light::Yellow));
        assert_eq!(feb(2026, d(2026, 3, 1), 1), (DutyStatus::Overdue, Light::Red));
        assert_eq!(feb(2024, d(2024, 2, 28), 1), (DutyStatus::Due, Light::Blue));
        assert_eq!(feb(2024, d(2024, 2, 29), 1), (DutyStatus::Due, Light::Yellow));
        assert_eq!(feb(2024, d(2024, 3, 1), 1), (DutyStatus::Overdue, Light::Red));
        assert_eq!(feb(2028, d(2028, 2, 29), 1), (DutyStatus::Due, Light::Yellow));
        assert_eq!(feb(2028, d(2028, 2, 22), 7), (DutyStatus::Due, Light::Blue)); // 7 days left
        assert_eq!(feb(2028, d(2028, 2, 23), 7), (DutyStatus::Due, Light::Yellow));
        // An activity on 29 February counts for February.
        for year in [2024, 2028] {
            let acts = [(ActivityKind::ThemeDay, d(year, 2, 29))];
            let res = evaluate_year(&theme, &org("branch", 5), year, &acts, d(year, 12, 31), Some(7));
            assert_eq!(res[1].period, month(year, 2));
            assert_eq!(res[1].status, DutyStatus::Done);
            assert_eq!(res[2].done_count, 0);
        }
    }

    #[test]
    fn activities_count_on_first_and_last_day_only_inside_the_period() {
        let theme = [rule("theme_day")];
        let facts = org("branch", 5);
        let today = d(2026, 12, 31);
        let march_count = |acts: &[(ActivityKind, NaiveDate)]| {
            let res = evaluate_year(&theme, &facts, 2026, acts, today, Some(7));
            res.iter().find(|r| r.period == month(2026, 3)).unwrap().done_count
        };
        let t = ActivityKind::ThemeDay;
        assert_eq!(march_count(&[(t, d(2026, 3, 1))]), 1);
        assert_eq!(march_count(&[(t, d(2026, 3, 31))]), 1);
        assert_eq!(march_count(&[(t, d(2026, 2, 28)), (t, d(2026, 4, 1))]), 0);
        assert_eq!(march_count(&[(t, d(2026, 3, 31)), (t, d(2026, 3, 1)), (t, d(2025, 3, 15))]), 2);
        // Quarter boundary: 31 March is Q1, 1 April is Q2.
        let ma = [rule("member_assembly")];
        let m = ActivityKind::MemberAssembly;
        let res = evaluate_year(&ma, &facts, 2026, &[(m, d(2026, 3, 31))], d(2026, 4, 1), Some(7));
        assert_eq!(
            summary(&res),
            [("2026-Q1".into(), DutyStatus::Done, Light::Blue), ("2026-Q2".into(), DutyStatus::Due, Light::Blue)]
        );
        let res = evaluate_year(&ma, &facts, 2026, &[(m, d(2026, 4, 1))], d(2026, 4, 1), Some(7));
        assert_eq!(
            summary(&res),
            [("2026-Q1".into(), DutyStatus::Overdue, Light::Red), ("2026-Q2".into(), DutyStatus::Done, Light::Blue)]
        );
    }

    #[test]
    fn iso_week_53_collects_its_days_in_the_next_year() {
        let wm = [rule("weekly_meeting")];
        let facts = org("chain_alliance", 0);
        let w = ActivityKind::WeeklyMeeting;
        let acts = [(w, d(2027, 1, 1)), (w, d(2025, 12, 29))];
        let res = evaluate_year(&wm, &facts, 2026, &acts, d(2027, 2, 1), Some(7));
        assert_eq!(res.len(), 53);
        assert_eq!((res[0].period.label().as_str(), res[0].status), ("2026-W01", DutyStatus::Done));
        assert_eq!((res[52].period.label().as_str(), res[52].status), ("2026-W53", DutyStatus::Done));
        assert!(res[1..52].iter().all(|r| r.status == DutyStatus::Overdue));
        // The same dates are not 2027-W01 nor 2025's last week.
        let res27 = evaluate_year(&wm, &facts, 2027, &acts, d(2027, 2, 1), Some(7));
        assert_eq!(res27[0].period.label(), "2027-W01");
        assert_eq!(res27[0].period.start(), d(2027, 1, 4));
        assert_eq!(res27[0].done_count, 0);
        let res25 = evaluate_year(&wm, &facts, 2025, &acts, d(2027, 2, 1), Some(7));
        assert_eq!(res25.len(), 52);
        assert!(res25.iter().all(|r| r.done_count == 0));
        // Sunday 3 January 2027, W53's last day: still due, and yellow.
        let res = evaluate_year(&wm, &facts, 2026, &[], d(2027, 1, 3), Some(7));
        assert_eq!((res[52].status, res[52].light), (DutyStatus::Due, Light::Yellow));
        // 2027-W01 has not started on 3 January, so 2027 shows nothing yet.
        assert!(evaluate_year(&wm, &facts, 2027, &[], d(2027, 1, 3), Some(7)).is_empty());
        // And 2026-W01 is evaluated already on 29 December 2025.
        let res = evaluate_year(&wm, &facts, 2026, &[], d(2025, 12, 29), Some(7));
        assert_eq!(summary(&res), [("2026-W01".into(), DutyStatus::Due, Light::Yellow)]);
    }

    #[test]
    fn min_count_above_one_and_rules_with_several_kinds() {
        let r = DutyRule {
            code: "study".into(),
            label: "集中学习".into(),
            kinds: vec![ActivityKind::PartyLecture, ActivityKind::Course],
            frequency: Frequency::Monthly,
            min_count: 2,
            applies_to: vec!["branch".into()],
            min_full_members: None,
            for_communities: false,
            warn_days: None,
        };
        assert_eq!(r.validate(), Ok(()));
        let rules = [r];
        let facts = org("branch", 3);
        let today = d(2026, 5, 5);
        let (l, c, t) = (ActivityKind::PartyLecture, ActivityKind::Course, ActivityKind::ThemeDay);
        let acts = [
            (l, d(2026, 1, 10)),
            (c, d(2026, 1, 20)), // Jan: 2 → done
            (l, d(2026, 2, 10)),
            (t, d(2026, 2, 11)), // Feb: 1 (theme day does not count) → overdue
            (c, d(2026, 5, 2)),  // May: 1 so far → due
            (c, d(2026, 5, 20)), // not yet held: ignored
        ];
        let res = evaluate_year(&rules, &facts, 2026, &acts, today, Some(7));
        let got: Vec<(u32, DutyStatus)> = res.iter().map(|r| (r.done_count, r.status)).collect();
        assert_eq!(
            got,
            [
                (2, DutyStatus::Done),
                (1, DutyStatus::Overdue),
                (0, DutyStatus::Overdue),
                (0, DutyStatus::Overdue),
                (1, DutyStatus::Due)
            ]
        );
        assert!(res.iter().all(|r| r.required == 2 && r.rule == "study"));
    }

    #[test]
    fn future_periods_and_future_activities_are_skipped() {
        let rules = default_rules();
        let facts = org("branch", 12);
        let today = d(2026, 3, 15);
        let res = evaluate_year(&rules, &facts, 2026, &[], today, Some(7));
        let labels =
            |code: &str| -> Vec<String> { res.iter().filter(|r| r.rule == code).map(|r| r.period.label()).collect() };
        assert_eq!(labels("theme_day"), ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(labels("member_assembly"), ["2026-Q1"]);
        assert_eq!(labels("life_meeting"), ["2026"]);
        assert!(evaluate_year(&rules, &facts, 2027, &[], today, Some(7)).is_empty());
        // Planned for later this month: not done yet.
        let acts = [(ActivityKind::ThemeDay, d(2026, 3, 20))];
        let res = evaluate_year(&rules[4..5], &facts, 2026, &acts, today, Some(7));
        assert_eq!((res[2].status, res[2].done_count), (DutyStatus::Due, 0));
        // Held today: done.
        let acts = [(ActivityKind::ThemeDay, today)];
        let res = evaluate_year(&rules[4..5], &facts, 2026, &acts, today, Some(7));
        assert_eq!((res[2].status, res[2].done_count), (DutyStatus::Done, 1));
    }

    #[test]
    fn evaluate_one_period_matches_the_bulk_evaluation() {
        let rules = default_rules();
        let facts = OrgFacts { founded_on: Some(d(2026, 2, 20)), ..org("branch", 8) };
        let acts = [
            (ActivityKind::CommitteeMeeting, d(2026, 4, 3)),
            (ActivityKind::ThemeDay, d(2026, 3, 9)),
            (ActivityKind::MemberAssembly, d(2026, 6, 1)),
        ];
        let today = d(2026, 6, 27);
        let bulk = evaluate_year(&rules, &facts, 2026, &acts, today, Some(7));
        let mut one = Vec::new();
        for r in &rules {
            for p in periods_in_year(r.frequency, 2026) {
                let n = acts.iter().filter(|(k, day)| r.kinds.contains(k) && p.contains(*day) && *day <= today).count()
                    as u32;
                one.extend(r.evaluate(&facts, p, n, today, Some(7)));
            }
        }
        assert_eq!(bulk, one);
        assert!(!bulk.is_empty());
        // Reusing a buffer appends.
        let calendar = DutyCalendar::new(&rules, 2026);
        assert_eq!(calendar.evaluate(&facts, &acts, today, Some(7)), bulk);
        let mut buf = bulk.clone();
        calendar.evaluate_into(&facts, &acts, today, Some(7), &mut buf);
        assert_eq!(buf.len(), 2 * bulk.len());
    }

    // --- issue 22: the rules at their edges ------------------------------------

    #[test]
    fn warning_days_follow_the_frequency() {
        assert_eq!(Frequency::ALL.iter().map(|f| default_warn_days(*f)).collect::<Vec<_>>(), [2, 7, 15, 30]);
        let today_yellow = |code: &str, period: Period, today: NaiveDate, deployment: Option<u32>| {
            let r = rule(code);
            let facts = org(&r.applies_to[0], 12);
            r.evaluate(&facts, period, 0, today, deployment).map(|x| x.light)
        };
        // A week: blue until Friday, yellow on its last 2 days (Saturday, Sunday).
        let w = Period::week(2026, 10).unwrap();
        let fri = w.end() - Days::new(2);
        assert_eq!(today_yellow("weekly_meeting", w, w.start(), None), Some(Light::Blue));
        assert_eq!(today_yellow("weekly_meeting", w, fri, None), Some(Light::Blue));
        assert_eq!(today_yellow("weekly_meeting", w, fri.succ_opt().unwrap(), None), Some(Light::Yellow));
        // A quarter: 15 days left is blue, 14 is yellow.
        let q = Period::quarter(2026, 1).unwrap();
        assert_eq!(today_yellow("member_assembly", q, d(2026, 3, 16), None), Some(Light::Blue));
        assert_eq!(today_yellow("member_assembly", q, d(2026, 3, 17), None), Some(Light::Yellow));
        // A year: 30 days left is blue, 29 is yellow.
        let y = Period::year(2026).unwrap();
        assert_eq!(today_yellow("life_meeting", y, d(2026, 12, 1), None), Some(Light::Blue));
        assert_eq!(today_yellow("life_meeting", y, d(2026, 12, 2), None), Some(Light::Yellow));
        // The deployment may set one figure; the rule's own setting beats it.
        assert_eq!(today_yellow("weekly_meeting", w, w.start(), Some(7)), Some(Light::Yellow));
        let mut r = rule("weekly_meeting");
        r.warn_days = Some(1);
        assert_eq!(r.warn_days_or(Some(7)), 1);
        assert_eq!(
            r.evaluate(&org("chain_alliance", 0), w, 0, fri.succ_opt().unwrap(), Some(7)).unwrap().light,
            Light::Blue
        );
        // The bulk evaluation uses the same figures.
        let weekly = [rule("weekly_meeting")];
        let res = evaluate_year(&weekly, &org("chain_alliance", 0), 2026, &[], fri, None);
        assert_eq!(res.last().unwrap().light, Light::Blue);
    }

    #[test]
    fn without_a_founding_date_nothing_is_owed_before_registration() {
        let theme = [rule("theme_day")];
        let today = d(2026, 12, 6);
        let months = |registered: NaiveDate, founded: Option<NaiveDate>| -> Vec<String> {
            let facts = OrgFacts { registered_on: Some(registered), founded_on: founded, ..org("branch", 5) };
            evaluate_year(&theme, &facts, 2026, &[], today, None).iter().map(|r| r.period.label()).collect()
        };
        // Registered on 15 November (the midpoint): owes November and December only.
        assert_eq!(months(d(2026, 11, 15), None), ["2026-11", "2026-12"]);
        // Registered on the 16th: December only, not ten red months.
        assert_eq!(months(d(2026, 11, 16), None), ["2026-12"]);
        // A recorded founding date wins over the registration day.
        assert_eq!(months(d(2026, 11, 16), Some(d(2010, 1, 1))).len(), 12);
    }

    #[test]
    fn the_size_conditions_read_the_members_the_rule_means() {
        // A branch of 4 members filed directly and 3 in its party groups has 7: a committee.
        assert_eq!(members_for_rules("branch", 4 + 3, 7), 7);
        assert_eq!(members_for_rules("joint_branch", 6, 6), 6);
        // A general branch's members sit in its sub-branches: it counts its subtree.
        assert_eq!(members_for_rules("general_branch", 0, 80), 80);
        assert_eq!(members_for_rules("party_group", 3, 3), 3);
        let cm = rule("committee_meeting");
        let facts = |kind: &str, own, sub| org(kind, members_for_rules(kind, own, sub));
        assert!(cm.applies_to_org(&facts("branch", 7, 7)));
        assert!(!cm.applies_to_org(&facts("branch", 6, 60)), "sub-organisations' members are not the branch's");
        assert!(cm.applies_to_org(&facts("general_branch", 0, 60)));
        assert!(!cm.applies_to_org(&facts("general_branch", 0, 6)));
    }

    #[test]
    fn only_some_kinds_may_be_held_jointly() {
        let joint: Vec<&str> = ActivityKind::ALL.iter().filter(|k| !k.may_be_joint()).map(|k| k.code()).collect();
        assert_eq!(joint, ["member_assembly", "committee_meeting", "group_meeting", "life_meeting", "appraisal"]);
        assert!(ActivityKind::PartyLecture.may_be_joint() && ActivityKind::ThemeDay.may_be_joint());
    }

    #[test]
    fn each_kind_expects_its_own_people_and_away_members_count_once_recorded() {
        let by = |a: Attendees| -> Vec<&str> {
            ActivityKind::ALL.iter().filter(|k| k.attendees() == a).map(|k| k.code()).collect()
        };
        assert_eq!(by(Attendees::Committee), ["committee_meeting"]);
        assert_eq!(by(Attendees::MemberSecretaries), ["weekly_meeting", "supervision", "evaluation", "annual_report"]);
        assert!(
            by(Attendees::Members).contains(&"member_assembly") && by(Attendees::Members).contains(&"group_meeting")
        );
        assert!(!away_counts(None) && !away_counts(Some("absent")));
        assert!(away_counts(Some("present")) && away_counts(Some("leave")));
    }

    #[test]
    fn an_annual_meeting_counts_for_the_year_it_is_about() {
        let (lm, ap, td) = (ActivityKind::LifeMeeting, ActivityKind::Appraisal, ActivityKind::ThemeDay);
        // Held 28 February 2027 for 2026: counts on 31 December 2026.
        assert_eq!(counts_on(lm, d(2027, 2, 28), Some(2026)), Ok(d(2026, 12, 31)));
        assert_eq!(counts_on(ap, d(2027, 1, 1), Some(2026)), Ok(d(2026, 12, 31)));
        // 1 March is too late to be about last year.
        assert!(counts_on(lm, d(2027, 3, 1), Some(2026)).is_err());
        // Two years back, a future year, or another kind: refused.
        assert!(counts_on(lm, d(2027, 1, 10), Some(2025)).is_err());
        assert!(counts_on(lm, d(2027, 1, 10), Some(2028)).is_err());
        assert!(counts_on(td, d(2027, 1, 10), Some(2026)).unwrap_err().contains("主题党日"));
        // Unset or the same year: the day it was held.
        assert_eq!(counts_on(td, d(2027, 1, 10), None), Ok(d(2027, 1, 10)));
        assert_eq!(counts_on(lm, d(2027, 1, 10), Some(2027)), Ok(d(2027, 1, 10)));
        // The engine then counts it for 2026 and not for 2027.
        let rules = [rule("life_meeting")];
        let acts = [(lm, counts_on(lm, d(2027, 2, 10), Some(2026)).unwrap())];
        let r26 = evaluate_year(&rules, &org("branch", 5), 2026, &acts, d(2027, 2, 10), None);
        let r27 = evaluate_year(&rules, &org("branch", 5), 2027, &acts, d(2027, 2, 10), None);
        assert_eq!((r26[0].status, r27[0].done_count), (DutyStatus::Done, 0));
    }

    #[test]
    fn reminders_look_at_the_years_whose_lights_may_still_be_news() {
        // 2026 has 53 ISO weeks; W53 ends on Sunday 3 January 2027.
        assert_eq!(reminder_years(d(2027, 1, 1)), [2026, 2027]);
        assert_eq!(reminder_years(d(2027, 2, 3)), [2026, 2027], "31 days after W53 ended");
        assert_eq!(reminder_years(d(2027, 2, 4)), [2027]);
        // 2025 has 52 weeks, the last ending 28 December: 31 December counts, 31 days later.
        assert_eq!(reminder_years(d(2026, 1, 31)), [2025, 2026]);
        assert_eq!(reminder_years(d(2026, 2, 1)), [2026]);
        // 2026-W01 starts on Monday 29 December 2025.
        assert_eq!(reminder_years(d(2025, 12, 28)), [2025]);
        assert_eq!(reminder_years(d(2025, 12, 29)), [2025, 2026]);
        assert!(is_recent_red(d(2026, 12, 31), d(2027, 1, 31)));
        assert!(!is_recent_red(d(2026, 12, 31), d(2027, 2, 1)));
    }

    // --- roll-up -----------------------------------------------------------

    #[test]
    fn roll_up_takes_the_worst_light_and_counts() {
        use Light::*;
        assert_eq!(worst_light([Blue, Red, Yellow]), Some(Red));
        assert_eq!(worst_light([Blue, Yellow, Blue]), Some(Yellow));
        assert_eq!(worst_light([Blue]), Some(Blue));
        assert_eq!(worst_light([]), None);
        let c: LightCounts = [Blue, Red, Yellow, Blue].into_iter().collect();
        assert_eq!(c, LightCounts { blue: 2, yellow: 1, red: 1 });
        assert_eq!((c.total(), c.worst()), (4, Some(Red)));
        assert_eq!(LightCounts::default().worst(), None);
        let mut sum = LightCounts { blue: 1, ..Default::default() };
        assert_eq!(sum.worst(), Some(Blue));
        sum.merge(LightCounts { yellow: 2, ..Default::default() });
        assert_eq!((sum.total(), sum.worst()), (3, Some(Yellow)));

        let rules = default_rules();
        let res = evaluate_year(&rules, &org("branch", 3), 2026, &[], d(2026, 1, 26), Some(7));
        let c: LightCounts = res.iter().collect();
        // January theme day is yellow, the quarter and year are blue.
        assert_eq!(c, LightCounts { blue: 4, yellow: 1, red: 0 });
        assert_eq!(worst_light(res.iter().map(|r| r.light)), Some(Yellow));
    }

    // --- validation ----------------------------------------------------------

    #[test]
    fn invalid_rules_are_rejected_per_field() {
        let bad = DutyRule {
            code: "Theme Day".into(),
            label: " ".into(),
            kinds: vec![],
            frequency: Frequency::Monthly,
            min_count: 0,
            applies_to: vec!["branch".into(), "club".into()],
            min_full_members: Some(0),
            for_communities: false,
            warn_days: Some(400),
        };
        let e = bad.validate().unwrap_err();
        let fields: Vec<&str> = e.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["applies_to", "code", "kinds", "label", "min_count", "min_full_members", "warn_days"]);
        assert!(e.0["applies_to"][0].contains("club"));
        let mut rules = default_rules();
        rules.push(rule("theme_day"));
        let e = validate_rules(&rules).unwrap_err();
        assert_eq!(e.0.keys().collect::<Vec<_>>(), ["rules[11].code"]);
        rules[11] = bad;
        assert!(validate_rules(&rules).unwrap_err().0.contains_key("rules[11].min_count"));
    }

    /// The county board: 20,000 organisations × a year. Prints the time of the
    /// pure evaluation; run with
    /// `cargo test -p honglian-domain --release -- --ignored --nocapture county_scale`.
    #[test]
    #[ignore]
    fn county_scale() {
        let rules = default_rules();
        let kinds = ["branch", "branch", "joint_branch", "general_branch", "chain_alliance"];
        let orgs: Vec<(OrgFacts, Vec<(ActivityKind, NaiveDate)>)> = (0..20_000u32)
            .map(|i| {
                let facts = org(kinds[i as usize % kinds.len()], i % 15);
                // ~40 activities over the year, of varied kinds, unsorted.
                let acts = (0..40u32)
                    .map(|j| {
                        let kind = ActivityKind::ALL[((i + j) % 16) as usize];
                        let day = d(2026, 1, 1) + Days::new(u64::from((i * 7 + j * 37) % 365));
                        (kind, day)
                    })
                    .collect();
                (facts, acts)
            })
            .collect();
        let today = d(2026, 12, 20);
        let started = std::time::Instant::now();
        let calendar = DutyCalendar::new(&rules, 2026);
        let mut buf = Vec::new();
        let mut counts = LightCounts::default();
        for (facts, acts) in &orgs {
            buf.clear();
            calendar.evaluate_into(facts, acts, today, Some(7), &mut buf);
            counts.extend(buf.iter().map(|r| r.light));
        }
        let elapsed = started.elapsed();
        println!("county_scale: {} organisations, {} results ({counts:?}) in {elapsed:?}", orgs.len(), counts.total());
    }
}
