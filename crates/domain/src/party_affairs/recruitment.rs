//! Recruitment (发展党员): the five stages and twenty-five steps of 《中国共产党发展党员工作细则》
//! (中办发〔2014〕29号, "细则" below), each with its date, the people involved and its documents; the
//! national time rules, and the local ones a county sets (with the usual values as defaults):
//!
//! - 党章 Art. 1: an applicant is 18 or older; 细则 Art. 8: the talk within one month of the
//!   application (local days, default 30).
//! - Local rule: an applicant becomes an activist no earlier than six months after applying.
//! - 细则 Art. 13: at least one year of training and assessment as an activist before becoming a
//!   development target.
//! - 细则 Art. 11 and 15: one or two contacts; two sponsors.
//! - 细则 Art. 17: concentrated training of at least three days or 24 class hours.
//! - Local rule: the public notice (公示) of the development target before the pre-review, at least
//!   five working days.
//! - 细则 Art. 26: approval within three months of the branch general meeting; six at most, with a
//!   reason. 细则 Art. 28: probation of one year from the general meeting's day; 党章 Art. 7 and 细则
//!   Art. 33: extended once, by 6 to 12 months. 细则 Art. 34: conversion approved within three months;
//!   细则 Art. 35: full membership dates from the day the probation ends.
//!
//! A step is recorded only after the one before it, on a day no earlier than the rules allow; a step
//! too late by a soft limit needs a reason, one past a hard limit is refused.

use chrono::{Datelike, Duration, Months, NaiveDate};

use crate::FieldErrors;
use crate::members::member::{PROBATION_EXTENSION_MONTHS, probation_ends};
use crate::organisations::org::code_enum;
use crate::services::calendar::WorkCalendar;

code_enum!(
    /// The five stages of the procedure.
    Stage {
        Application = "application": "申请入党",
        Activist = "activist": "入党积极分子的确定和培养教育",
        Target = "target": "发展对象的确定和考察",
        Admission = "admission": "预备党员的接收",
        Probation = "probation": "预备党员的教育考察和转正",
    }
);

code_enum!(
    /// Where a person in the pipeline stands.
    PipelineStatus {
        Active = "active": "培养中",
        Done = "done": "已完成",
        Stopped = "stopped": "已终止",
    }
);

/// Number of steps.
pub const STEPS: u8 = 25;
/// The step whose approval admits the probationary member (and creates their record).
pub const ADMISSION_STEP: u8 = 17;
/// The branch general meeting that admits: the probation runs from its day.
pub const MEETING_STEP: u8 = 15;
/// The step whose approval makes the member full.
pub const CONVERSION_STEP: u8 = 24;
/// The conversion application (the step after which a probation may be extended).
pub const CONVERSION_APPLICATION_STEP: u8 = 22;

/// One of the twenty-five steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepDef {
    pub no: u8,
    pub stage: Stage,
    pub name: &'static str,
    /// Done by the higher party committee (filing, pre-review, talk, approval), not the branch.
    pub by_higher: bool,
    /// The article of 细则 (or the rule) it follows.
    pub source: &'static str,
}

const fn step(no: u8, stage: Stage, name: &'static str, by_higher: bool, source: &'static str) -> StepDef {
    StepDef { no, stage, name, by_higher, source }
}

/// The twenty-five steps, in order.
pub const STEP_DEFS: [StepDef; 25] = [
    step(1, Stage::Application, "递交入党申请书", false, "细则第七条"),
    step(2, Stage::Application, "党组织派人谈话", false, "细则第八条"),
    step(3, Stage::Activist, "推荐和确定入党积极分子", false, "细则第九条、第十条"),
    step(4, Stage::Activist, "上级党委备案", true, "细则第十条"),
    step(5, Stage::Activist, "指定培养联系人", false, "细则第十一条"),
    step(6, Stage::Activist, "培养教育考察", false, "细则第十二条"),
    step(7, Stage::Target, "确定发展对象", false, "细则第十三条"),
    step(8, Stage::Target, "报上级党委备案", true, "细则第十四条"),
    step(9, Stage::Target, "确定入党介绍人", false, "细则第十五条"),
    step(10, Stage::Target, "进行政治审查", false, "细则第十六条"),
    step(11, Stage::Target, "开展集中培训", false, "细则第十七条"),
    step(12, Stage::Admission, "支部委员会审查", false, "细则第十八条"),
    step(13, Stage::Admission, "上级党委预审", true, "细则第十九条"),
    step(14, Stage::Admission, "填写入党志愿书", false, "细则第二十条"),
    step(15, Stage::Admission, "支部大会讨论", false, "细则第二十一条至第二十四条"),
    step(16, Stage::Admission, "上级党委派人谈话", true, "细则第二十五条"),
    step(17, Stage::Admission, "上级党委审批", true, "细则第二十六条"),
    step(18, Stage::Admission, "再上一级党委组织部门备案", true, "细则第二十七条"),
    step(19, Stage::Probation, "编入党支部和党小组", false, "细则第二十九条"),
    step(20, Stage::Probation, "入党宣誓", false, "细则第三十条"),
    step(21, Stage::Probation, "继续教育考察", false, "细则第三十一条"),
    step(22, Stage::Probation, "提出转正申请", false, "细则第三十二条"),
    step(23, Stage::Probation, "支部大会讨论", false, "细则第三十三条"),
    step(24, Stage::Probation, "上级党委审批", true, "细则第三十四条"),
    step(25, Stage::Probation, "材料归档", false, "细则第三十六条"),
];

/// The definition of step `no` (1–25).
pub fn step_def(no: u8) -> Option<&'static StepDef> {
    STEP_DEFS.get(usize::from(no).checked_sub(1)?)
}

/// The county's local rules, with the usual values as defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalRules {
    /// The talk within this many days of the application (细则 Art. 8: one month).
    pub talk_within_days: u32,
    /// An applicant becomes an activist no earlier than this many months after applying.
    pub activist_after_months: u32,
    /// Working days of the public notice of a development target.
    pub notice_working_days: u32,
}

pub const TALK_DAYS_RANGE: std::ops::RangeInclusive<u32> = 7..=90;
pub const ACTIVIST_MONTHS_RANGE: std::ops::RangeInclusive<u32> = 0..=24;
pub const NOTICE_DAYS_RANGE: std::ops::RangeInclusive<u32> = 1..=30;

impl Default for LocalRules {
    fn default() -> Self {
        LocalRules { talk_within_days: 30, activist_after_months: 6, notice_working_days: 5 }
    }
}

/// Months from the general meeting within which the admission is approved (细则 Art. 26), and the
/// most it may take with a reason; the same three months for the conversion (细则 Art. 34).
pub const APPROVAL_MONTHS: u32 = 3;
pub const APPROVAL_MONTHS_MAX: u32 = 6;
/// Years as an activist before becoming a development target (细则 Art. 13).
pub const ACTIVIST_YEARS: u32 = 1;
/// Concentrated training: days, or class hours (细则 Art. 17).
pub const TRAINING_DAYS: u32 = 3;
pub const TRAINING_HOURS: u32 = 24;
/// The conversion application is written in the last month of the probation (when it is due).
pub const APPLY_BEFORE_END_MONTHS: u32 = 1;
/// Bounds of what is typed: a notice's span in days, the training's days and class hours.
pub const MAX_NOTICE_DAYS: i64 = 60;
pub const MAX_TRAINING_DAYS: u32 = 365;
pub const MAX_TRAINING_HOURS: u32 = 3000;

/// A day typed for the procedure: from the Party's founding year to today.
pub fn check_day(d: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if d.year() < 1921 {
        return Err("日期无效".into());
    }
    if d > today {
        return Err("日期不能晚于今天".into());
    }
    Ok(())
}

/// What is known of a person in the pipeline: the day of each recorded step, their birth date and any
/// extension of the probation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub birth_date: Option<NaiveDate>,
    /// Index `i` holds the day of step `i + 1`.
    pub done: Vec<NaiveDate>,
    pub extension_months: Option<u32>,
}

impl History {
    pub fn on(&self, no: u8) -> Option<NaiveDate> {
        self.done.get(usize::from(no).checked_sub(1)?).copied()
    }

    /// Steps recorded so far.
    pub fn steps_done(&self) -> u8 {
        self.done.len() as u8
    }

    /// The next step to record, or None when all twenty-five are.
    pub fn next_step(&self) -> Option<u8> {
        let n = self.steps_done() + 1;
        (n <= STEPS).then_some(n)
    }

    /// The day the probation ends (with any extension), once the general meeting has admitted.
    pub fn probation_ends(&self) -> Option<NaiveDate> {
        self.on(MEETING_STEP).map(|m| probation_ends(m, self.extension_months.unwrap_or(0)))
    }
}

/// The days a step may be recorded on: not before `earliest`; after `due` only with a reason; never
/// after `latest`. Each bound comes with the rule that sets it, for the message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Window {
    pub earliest: Option<(NaiveDate, String)>,
    pub due: Option<(NaiveDate, String)>,
    pub latest: Option<(NaiveDate, String)>,
}

fn add_months(d: NaiveDate, m: u32) -> NaiveDate {
    d.checked_add_months(Months::new(m)).unwrap_or(d)
}

/// The day someone born on `birth` turns 18 (29 February: 1 March in a common year).
pub fn adult_on(birth: NaiveDate) -> NaiveDate {
    birth
        .with_year(birth.year() + 18)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(birth.year() + 18, 3, 1).expect("1 March"))
}

/// The window of step `no` given what is recorded (the steps before it are all recorded).
pub fn window(no: u8, h: &History, rules: &LocalRules) -> Window {
    let mut w = Window::default();
    let prev = if no > 1 { h.on(no - 1) } else { None };
    if let Some(p) = prev {
        w.earliest = Some((p, format!("不能早于上一步骤“{}”的日期", step_def(no - 1).map_or("", |s| s.name))));
    }
    let later = |w: &mut Window, d: NaiveDate, why: String| {
        if w.earliest.as_ref().is_none_or(|(e, _)| d > *e) {
            w.earliest = Some((d, why));
        }
    };
    match no {
        1 => {
            if let Some(b) = h.birth_date {
                later(&mut w, adult_on(b), "年满十八岁方可申请入党（党章第一条）".into());
            }
        }
        2 => {
            if let Some(a) = h.on(1) {
                w.due = Some((
                    a + Duration::days(i64::from(rules.talk_within_days)),
                    format!("应在收到入党申请书后 {} 日内派人谈话（细则第八条）", rules.talk_within_days),
                ));
            }
        }
        3 => {
            if let Some(a) = h.on(1) {
                later(
                    &mut w,
                    add_months(a, rules.activist_after_months),
                    format!(
                        "递交入党申请书满 {} 个月后方可确定为入党积极分子（本县规定）",
                        rules.activist_after_months
                    ),
                );
            }
        }
        7 => {
            if let Some(a) = h.on(3) {
                later(
                    &mut w,
                    add_months(a, 12 * ACTIVIST_YEARS),
                    "入党积极分子须经过一年以上培养教育和考察，方可确定为发展对象（细则第十三条）".into(),
                );
            }
        }
        ADMISSION_STEP => {
            if let Some(m) = h.on(MEETING_STEP) {
                w.due = Some((
                    add_months(m, APPROVAL_MONTHS),
                    "上级党委应在支部大会通过后三个月内审批（细则第二十六条）".into(),
                ));
                w.latest =
                    Some((add_months(m, APPROVAL_MONTHS_MAX), "审批时间最长不超过六个月（细则第二十六条）".into()));
            }
        }
        CONVERSION_APPLICATION_STEP => {
            if let Some(end) = h.probation_ends() {
                let from = end.checked_sub_months(Months::new(APPLY_BEFORE_END_MONTHS)).unwrap_or(end);
                later(&mut w, from, format!("转正申请在预备期满前一个月内提出（预备期至 {end} 期满）"));
            }
        }
        23 => {
            if let Some(end) = h.probation_ends() {
                later(&mut w, end, format!("预备期满（{end}）后，支部大会方可讨论其能否转正（细则第三十三条）"));
            }
        }
        CONVERSION_STEP => {
            if let Some(m) = h.on(23) {
                w.due = Some((
                    add_months(m, APPROVAL_MONTHS),
                    "上级党委应在支部大会讨论后三个月内审批转正（细则第三十四条）".into(),
                ));
                w.latest = Some((add_months(m, APPROVAL_MONTHS_MAX), "转正审批最长不超过六个月".into()));
            }
        }
        _ => {}
    }
    w
}

/// What is recorded with a step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepFacts {
    pub done_on: NaiveDate,
    /// The people involved (talkers, contacts, sponsors, reviewers …), by name.
    pub people: Vec<String>,
    /// Why the step is late, when it is past its due day.
    pub reason: Option<String>,
    /// Concentrated training (step 11): days, or class hours.
    pub training_days: Option<u32>,
    pub class_hours: Option<u32>,
    /// The public notice before the pre-review (step 13): first and last day.
    pub notice_from: Option<NaiveDate>,
    pub notice_to: Option<NaiveDate>,
}

/// Checks recording step `no` with `f`, given the history and the county's rules and working days.
pub fn check_step(
    no: u8,
    f: &StepFacts,
    h: &History,
    rules: &LocalRules,
    cal: &WorkCalendar,
    today: NaiveDate,
) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    let Some(def) = step_def(no) else { return Err(FieldErrors::single("step", "步骤无效")) };
    match h.next_step() {
        Some(n) if n == no => {}
        Some(n) => {
            let name = step_def(n).map_or("", |s| s.name);
            return Err(FieldErrors::single("step", format!("下一步骤是第 {n} 步“{name}”，请按顺序办理")));
        }
        None => return Err(FieldErrors::single("step", "二十五个步骤均已完成")),
    }
    if f.done_on > today {
        e.add("done_on", "日期不能晚于今天");
    }
    let w = window(no, h, rules);
    if let Some((d, why)) = &w.earliest
        && f.done_on < *d
    {
        e.add("done_on", format!("“{}”最早可在 {d} 办理：{why}", def.name));
    }
    if let Some((d, why)) = &w.latest
        && f.done_on > *d
    {
        e.add("done_on", format!("已超过期限 {d}：{why}"));
    } else if let Some((d, why)) = &w.due
        && f.done_on > *d
        && f.reason.as_deref().is_none_or(|r| r.trim().is_empty())
    {
        e.add("reason", format!("已超过 {d}（{why}），请说明原因"));
    }
    let people = f.people.iter().filter(|p| !p.trim().is_empty()).count();
    match no {
        5 if !(1..=2).contains(&people) => e.add("people", "应指定一至两名正式党员作培养联系人（细则第十一条）"),
        9 if people != 2 => e.add("people", "发展对象应有两名正式党员作入党介绍人（细则第十五条）"),
        11 if f.training_days.unwrap_or(0) > MAX_TRAINING_DAYS || f.class_hours.unwrap_or(0) > MAX_TRAINING_HOURS => e
            .add(
                "training_days",
                format!("集中培训天数不超过 {MAX_TRAINING_DAYS} 天、学时不超过 {MAX_TRAINING_HOURS} 个"),
            ),
        11 => {
            let days = f.training_days.unwrap_or(0);
            let hours = f.class_hours.unwrap_or(0);
            if days < TRAINING_DAYS && hours < TRAINING_HOURS {
                e.add(
                    "training_days",
                    format!(
                        "集中培训时间一般不少于 {TRAINING_DAYS} 天（或不少于 {TRAINING_HOURS} 个学时）（细则第十七条）"
                    ),
                );
            }
        }
        13 => match (f.notice_from, f.notice_to) {
            (Some(from), Some(to)) => {
                // The notice runs from its first day to its last, both counted when working days.
                if to < from {
                    e.add("notice_to", "公示结束日期不能早于开始日期");
                } else if (to - from).num_days() > MAX_NOTICE_DAYS {
                    e.add("notice_to", format!("公示期不超过 {MAX_NOTICE_DAYS} 天"));
                } else {
                    let days = cal.working_days_between(from.pred_opt().unwrap_or(from), to);
                    if days < rules.notice_working_days {
                        e.add(
                            "notice_to",
                            format!(
                                "公示期为 {days} 个工作日，不少于 {} 个工作日（本县规定）",
                                rules.notice_working_days
                            ),
                        );
                    } else if to > f.done_on {
                        e.add("notice_to", "预审应在公示期满后进行");
                    }
                }
                if h.on(12).is_some_and(|r| from < r) {
                    e.add("notice_from", "公示应在支部委员会审查之后开始");
                }
            }
            _ => e.add("notice_from", "请填写对发展对象的公示起止日期"),
        },
        MEETING_STEP => {
            if let Some(b) = h.birth_date
                && f.done_on < adult_on(b)
            {
                e.add("done_on", "支部大会讨论时发展对象须年满十八岁（党章第一条）");
            }
        }
        _ => {}
    }
    e.into_result()
}

/// Checks extending the probation (细则 Art. 33; once, 6–12 months), decided on `on` by the branch
/// general meeting once the probation is over and the conversion was applied for.
pub fn check_extension(h: &History, months: u32, on: NaiveDate, today: NaiveDate) -> Result<(), FieldErrors> {
    if h.extension_months.is_some() {
        return Err(FieldErrors::single("months", "预备期只能延长一次（细则第三十三条）"));
    }
    if h.steps_done() != CONVERSION_APPLICATION_STEP {
        return Err(FieldErrors::single("months", "提出转正申请后、支部大会讨论时方可决定延长预备期"));
    }
    let mut e = FieldErrors::new();
    if !PROBATION_EXTENSION_MONTHS.contains(&months) {
        e.add("months", "延长预备期最少半年，最长不超过一年（6—12 个月）");
    }
    if on > today {
        e.add("on", "日期不能晚于今天");
    }
    if let Some(end) = h.probation_ends()
        && on < end
    {
        e.add("on", format!("预备期于 {end} 期满，期满后方可讨论延长"));
    }
    e.into_result()
}

/// The day a person becomes a full member: the day the probation ends (细则 Art. 35).
pub fn full_on(h: &History) -> Option<NaiveDate> {
    h.probation_ends()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn hist(days: &[&str]) -> History {
        History { birth_date: Some(d("1995-03-01")), done: days.iter().map(|s| d(s)).collect(), extension_months: None }
    }

    fn facts(on: &str) -> StepFacts {
        StepFacts { done_on: d(on), ..Default::default() }
    }

    fn msg(r: Result<(), FieldErrors>, field: &str) -> String {
        let e = r.expect_err("refused");
        e.0.get(field).unwrap_or_else(|| panic!("{field} in {e:?}")).join("；")
    }

    const R: LocalRules = LocalRules { talk_within_days: 30, activist_after_months: 6, notice_working_days: 5 };
    const TODAY: &str = "2027-06-30";

    fn check(no: u8, f: &StepFacts, h: &History) -> Result<(), FieldErrors> {
        check_step(no, f, h, &R, &WorkCalendar::default(), d(TODAY))
    }

    #[test]
    fn twenty_five_steps_in_five_stages() {
        assert_eq!(STEP_DEFS.len(), 25);
        for (i, s) in STEP_DEFS.iter().enumerate() {
            assert_eq!(usize::from(s.no), i + 1);
        }
        let count = |st: Stage| STEP_DEFS.iter().filter(|s| s.stage == st).count();
        assert_eq!(
            [Stage::Application, Stage::Activist, Stage::Target, Stage::Admission, Stage::Probation].map(count),
            [2, 4, 5, 7, 7]
        );
        assert!(step_def(0).is_none() && step_def(26).is_none());
    }

    #[test]
    fn steps_go_in_order_and_not_in_the_future() {
        let h = hist(&["2025-01-10"]);
        assert!(msg(check(3, &facts("2025-09-01"), &h), "step").contains("第 2 步“党组织派人谈话”"));
        assert!(msg(check(2, &facts("2027-07-01"), &h), "done_on").contains("不能晚于今天"));
        assert!(msg(check(2, &facts("2025-01-09"), &h), "done_on").contains("不能早于上一步骤"));
        assert!(check(2, &facts("2025-01-10"), &h).is_ok());
    }

    #[test]
    fn applicants_are_adults() {
        let h = History { birth_date: Some(d("2008-02-29")), ..Default::default() };
        assert_eq!(adult_on(d("2008-02-29")), d("2026-03-01"), "a leap-day birth turns 18 on 1 March");
        assert!(msg(check(1, &facts("2026-02-28"), &h), "done_on").contains("年满十八岁"));
        assert!(check(1, &facts("2026-03-01"), &h).is_ok());
    }

    #[test]
    fn a_late_talk_needs_a_reason() {
        let h = hist(&["2025-01-10"]);
        assert!(check(2, &facts("2025-02-09"), &h).is_ok(), "30 days later is in time");
        assert!(msg(check(2, &facts("2025-02-10"), &h), "reason").contains("30 日内"));
        let f =
            StepFacts { reason: Some("申请人外出务工，春节返乡后谈话".into()), ..facts("2025-02-10") };
        assert!(check(2, &f, &h).is_ok());
        let local = LocalRules { talk_within_days: 45, ..R };
        assert!(check_step(2, &facts("2025-02-10"), &h, &local, &WorkCalendar::default(), d(TODAY)).is_ok());
    }

    #[test]
    fn six_months_from_application_to_activist() {
        let h = hist(&["2024-08-31", "2024-09-05"]);
        // Six months from 31 August is the last day of February (29th in a leap year).
        assert!(msg(check(3, &facts("2025-02-27"), &h), "done_on").contains("2025-02-28"));
        assert!(check(3, &facts("2025-02-28"), &h).is_ok());
        let h = hist(&["2023-08-31", "2023-09-05"]);
        assert!(check(3, &facts("2024-02-28"), &h).is_err());
        assert!(check(3, &facts("2024-02-29"), &h).is_ok());
    }

    #[test]
    fn a_year_as_an_activist_before_becoming_a_target() {
        let mut h = hist(&["2024-01-02", "2024-01-20", "2024-07-03", "2024-07-10", "2024-07-15", "2025-01-15"]);
        let m = msg(check(7, &facts("2025-07-02"), &h), "done_on");
        assert!(m.contains("最早可在 2025-07-03") && m.contains("一年以上"), "{m}");
        assert!(check(7, &facts("2025-07-03"), &h).is_ok());
        // From 29 February a year on is 28 February (the month's last day).
        h.done[2] = d("2024-02-29");
        assert!(check(7, &facts("2025-02-27"), &h).is_err());
        assert!(check(7, &facts("2025-02-28"), &h).is_ok());
    }

    #[test]
    fn contacts_sponsors_and_training() {
        let h = hist(&["2024-01-02", "2024-01-20", "2024-07-03", "2024-07-10"]);
        let with = |p: &[&str]| StepFacts { people: p.iter().map(|s| s.to_string()).collect(), ..facts("2024-07-15") };
        assert!(msg(check(5, &with(&[]), &h), "people").contains("一至两名"));
        assert!(check(5, &with(&["李明"]), &h).is_ok());
        assert!(check(5, &with(&["李明", "王芳", "陈刚"]), &h).is_err());
        let h = hist(&[
            "2024-01-02",
            "2024-01-20",
            "2024-07-03",
            "2024-07-10",
            "2024-07-15",
            "2025-01-15",
            "2025-07-03",
            "2025-07-05",
        ]);
        let with = |p: &[&str]| StepFacts { people: p.iter().map(|s| s.to_string()).collect(), ..facts("2025-07-06") };
        assert!(msg(check(9, &with(&["李明"]), &h), "people").contains("两名正式党员"));
        assert!(check(9, &with(&["李明", " "]), &h).is_err(), "a blank name is nobody");
        assert!(check(9, &with(&["李明", "王芳"]), &h).is_ok());
        let mut h = h;
        h.done.extend([d("2025-07-06"), d("2025-07-20")]);
        let t = |days, hours| StepFacts { training_days: days, class_hours: hours, ..facts("2025-08-01") };
        assert!(msg(check(11, &t(Some(2), Some(16)), &h), "training_days").contains("不少于 3 天"));
        assert!(check(11, &t(Some(3), None), &h).is_ok());
        assert!(check(11, &t(None, Some(24)), &h).is_ok());
        assert!(msg(check(11, &t(Some(u32::MAX), None), &h), "training_days").contains("不超过"));
        assert!(check_day(d("1900-01-01"), d(TODAY)).is_err() && check_day(d("2027-07-01"), d(TODAY)).is_err());
        assert!(check_day(d("2027-06-30"), d(TODAY)).is_ok());
    }

    fn through(n: usize) -> History {
        let all = [
            "2024-01-02",
            "2024-01-20",
            "2024-07-03",
            "2024-07-10",
            "2024-07-15",
            "2025-01-15",
            "2025-07-03",
            "2025-07-05",
            "2025-07-06",
            "2025-07-20",
            "2025-08-01",
            "2025-08-10",
            "2025-08-25",
            "2025-08-26",
            "2025-09-01",
            "2025-09-10",
            "2025-10-15",
            "2025-10-20",
            "2025-10-21",
            "2025-11-01",
            "2026-05-01",
            "2026-08-15",
            "2026-09-01",
            "2026-09-20",
            "2026-10-01",
        ];
        hist(&all[..n])
    }

    #[test]
    fn the_notice_before_the_pre_review_is_five_working_days() {
        let h = through(12);
        let n = |from: &str, to: &str, on: &str| StepFacts {
            notice_from: Some(d(from)),
            notice_to: Some(d(to)),
            ..facts(on)
        };
        assert!(msg(check(13, &facts("2025-08-25"), &h), "notice_from").contains("公示起止日期"));
        // Monday 11 to Friday 15 August 2025: five working days.
        assert!(check(13, &n("2025-08-11", "2025-08-15", "2025-08-18"), &h).is_ok());
        let m = msg(check(13, &n("2025-08-11", "2025-08-14", "2025-08-18"), &h), "notice_to");
        assert!(m.contains("4 个工作日"), "{m}");
        // Over a weekend: Wednesday to Monday is four working days.
        assert!(check(13, &n("2025-08-13", "2025-08-18", "2025-08-19"), &h).is_err());
        assert!(msg(check(13, &n("2025-08-11", "2025-08-15", "2025-08-14"), &h), "notice_to").contains("期满后"));
        assert!(msg(check(13, &n("2025-08-04", "2025-08-15", "2025-08-18"), &h), "notice_from").contains("审查之后"));
        let m = msg(check(13, &n("2025-06-01", "2025-08-15", "2025-08-18"), &h), "notice_to");
        assert!(m.contains("不超过 60 天"), "{m}");
        assert!(check(13, &n("2025-08-15", "2025-08-11", "2025-08-18"), &h).is_err());
        // A public holiday inside it does not count.
        let cal = WorkCalendar { holidays: [d("2025-08-13")].into(), ..Default::default() };
        assert!(check_step(13, &n("2025-08-11", "2025-08-15", "2025-08-18"), &h, &R, &cal, d(TODAY)).is_err());
    }

    #[test]
    fn approval_within_three_months_six_at_most() {
        let h = through(16);
        assert_eq!(h.on(MEETING_STEP), Some(d("2025-09-01")));
        assert!(check(17, &facts("2025-12-01"), &h).is_ok());
        assert!(msg(check(17, &facts("2025-12-02"), &h), "reason").contains("三个月内审批"));
        let late = |on: &str| StepFacts { reason: Some("党委换届，延期审批".into()), ..facts(on) };
        assert!(check(17, &late("2026-03-01"), &h).is_ok());
        assert!(msg(check(17, &late("2026-03-02"), &h), "done_on").contains("不超过六个月"));
    }

    #[test]
    fn the_general_meeting_needs_an_adult() {
        let mut h = through(14);
        h.birth_date = Some(d("2007-09-02"));
        assert!(msg(check(15, &facts("2025-09-01"), &h), "done_on").contains("年满十八岁"));
        assert!(check(15, &facts("2025-09-02"), &h).is_ok());
    }

    #[test]
    fn probation_is_a_year_from_the_meeting_and_extends_once() {
        let h = through(21);
        assert_eq!(h.probation_ends(), Some(d("2026-09-01")));
        assert!(msg(check(22, &facts("2026-07-31"), &h), "done_on").contains("预备期满前一个月"));
        assert!(check(22, &facts("2026-08-01"), &h).is_ok());
        let mut h = through(22);
        assert!(msg(check(23, &facts("2026-08-31"), &h), "done_on").contains("预备期满（2026-09-01）"));
        assert!(check(23, &facts("2026-09-01"), &h).is_ok());
        assert_eq!(full_on(&h), Some(d("2026-09-01")));
        // Extended by six months at the meeting after the year.
        assert!(msg(check_extension(&h, 6, d("2026-08-31"), d(TODAY)), "on").contains("期满后"));
        assert!(msg(check_extension(&h, 5, d("2026-09-01"), d(TODAY)), "months").contains("6—12"));
        assert!(msg(check_extension(&h, 13, d("2026-09-01"), d(TODAY)), "months").contains("6—12"));
        assert!(check_extension(&h, 6, d("2026-09-01"), d(TODAY)).is_ok());
        h.extension_months = Some(6);
        assert_eq!(h.probation_ends(), Some(d("2027-03-01")));
        assert!(check(23, &facts("2027-02-28"), &h).is_err());
        assert!(check(23, &facts("2027-03-01"), &h).is_ok());
        assert!(msg(check_extension(&h, 6, d("2027-03-01"), d(TODAY)), "months").contains("只能延长一次"));
        // Not before the conversion application.
        assert!(check_extension(&through(21), 6, d("2026-09-01"), d(TODAY)).is_err());
    }

    #[test]
    fn a_leap_day_meeting_ends_the_probation_on_1_march() {
        let mut h = through(14);
        h.done.push(d("2024-02-29"));
        assert_eq!(h.probation_ends(), Some(d("2025-03-01")));
    }

    #[test]
    fn conversion_approval_within_three_months() {
        let h = through(23);
        assert!(check(24, &facts("2026-12-01"), &h).is_ok());
        assert!(check(24, &facts("2026-12-02"), &h).is_err());
        assert!(check(25, &facts("2026-10-01"), &through(24)).is_ok());
        assert!(msg(check(25, &facts("2026-10-02"), &through(25)), "step").contains("均已完成"));
    }
}
