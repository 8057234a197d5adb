//! Annual key task lists (年度重点工作清单): each task has a deadline within the list's year, optionally
//! weighted milestones (节点) planned along the way, and progress reports. Its status and light (蓝黄红)
//! are computed from these facts by [`assess`], never typed in, so that nobody can paint a task blue.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::org_life::duty::Light;
use crate::organisations::coverage::div_half_up;
use crate::organisations::org::code_enum;
use crate::validation::{FieldErrors, required_text};

/// Yellow starts this many days before a task's deadline, unless configured: tasks run for months, so
/// the warning comes earlier than the duty engine's week.
pub const DEFAULT_TASK_WARN_DAYS: u32 = 15;

/// A step of a task, with its share of the whole (weights of a task sum to 100).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Milestone {
    pub title: String,
    pub planned_on: NaiveDate,
    pub weight: u32,
    pub done_on: Option<NaiveDate>,
}

/// What [`assess`] needs to know about a task.
#[derive(Debug, Clone, Copy)]
pub struct TaskFacts<'a> {
    pub deadline: NaiveDate,
    pub done_on: Option<NaiveDate>,
    pub milestones: &'a [Milestone],
    /// The latest reported progress, 0..=100, if any.
    pub reported_percent: Option<u32>,
}

code_enum!(
    /// Where a task stands.
    TaskStatus {
        Done = "done": "已完成",
        OnPlan = "on_plan": "按计划推进",
        Behind = "behind": "滞后",
        DueSoon = "due_soon": "临近截止",
        Overdue = "overdue": "已逾期",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct TaskAssessment {
    pub status: TaskStatus,
    pub light: Light,
    /// Percent of the milestone weights planned by today (0..=100).
    pub planned_percent: u32,
    /// Percent achieved (0..=100): the weights of the milestones done by today, or the reported percent
    /// if larger; 100 once the task is done.
    pub actual_percent: u32,
}

/// Status and light of a task on `today`, the first rule that holds:
///
/// 1. done on or before today → done, blue (also when done late: the light shows where it stands now);
/// 2. today is after the deadline → overdue, red;
/// 3. actual progress below plan → behind, yellow;
/// 4. `deadline - today < warn_days` (0 days left on the deadline) → due soon, yellow; `warn_days = 0`
///    never warns;
/// 5. otherwise on plan, blue.
///
/// Milestones planned for today count as planned, so one not yet done makes the task behind. Without
/// milestones (or with weights summing to 0) nothing is planned up to the deadline (planned 0, then 100
/// after it), so only the deadline rules apply.
pub fn assess(task: &TaskFacts, today: NaiveDate, warn_days: u32) -> TaskAssessment {
    let weight_of = |keep: fn(&Milestone, NaiveDate) -> bool| -> u128 {
        task.milestones.iter().filter(|m| keep(m, today)).map(|m| u128::from(m.weight)).sum()
    };
    let total = weight_of(|_, _| true);
    let percent = |w: u128| u32::try_from(div_half_up(w * 100, total)).expect("a part of the total");
    let (planned, achieved) = if total == 0 {
        (if today > task.deadline { 100 } else { 0 }, 0)
    } else {
        let planned = weight_of(|m, today| m.planned_on <= today);
        let achieved = weight_of(|m, today| m.done_on.is_some_and(|d| d <= today));
        (percent(planned), percent(achieved))
    };
    let done = task.done_on.is_some_and(|d| d <= today);
    let actual = if done { 100 } else { achieved.max(task.reported_percent.unwrap_or(0).min(100)) };
    let (status, light) = if done {
        (TaskStatus::Done, Light::Blue)
    } else if today > task.deadline {
        (TaskStatus::Overdue, Light::Red)
    } else if actual < planned {
        (TaskStatus::Behind, Light::Yellow)
    } else if (task.deadline - today).num_days() < i64::from(warn_days) {
        (TaskStatus::DueSoon, Light::Yellow)
    } else {
        (TaskStatus::OnPlan, Light::Blue)
    };
    TaskAssessment { status, light, planned_percent: planned, actual_percent: actual }
}

/// Checks a task of the list of `year`: a title, a deadline within the year, and milestones with names,
/// weights of 1 to 100 summing to 100, planned no later than the deadline.
pub fn validate_task(title: &str, year: i32, deadline: NaiveDate, milestones: &[Milestone]) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    e.check("title", required_text(title, "任务名称", 200));
    if deadline.year() != year {
        e.add("deadline", format!("截止日期须在 {year} 年内"));
    }
    for (n, m) in (1..).zip(milestones) {
        e.check("milestones", required_text(&m.title, &format!("第 {n} 个节点的名称"), 100));
        if !(1..=100).contains(&m.weight) {
            e.add("milestones", format!("第 {n} 个节点的权重须在 1 至 100 之间"));
        }
        if m.planned_on > deadline {
            e.add("milestones", format!("第 {n} 个节点的计划完成日期不能晚于截止日期"));
        }
    }
    let sum: u64 = milestones.iter().map(|m| u64::from(m.weight)).sum();
    if !milestones.is_empty() && sum != 100 {
        e.add("milestones", format!("各节点权重之和须为 100，现为 {sum}"));
    }
    e.into_result()
}

/// Checks a progress report: a percent of 0 to 100 and a note saying what was done.
pub fn validate_progress(percent: u32, note: &str) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if percent > 100 {
        e.add("percent", "完成进度须在 0 至 100 之间");
    }
    e.check("note", required_text(note, "进展情况", 1000));
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn milestone(planned_on: NaiveDate, weight: u32, done_on: Option<NaiveDate>) -> Milestone {
        Milestone { title: "节点".into(), planned_on, weight, done_on }
    }

    fn bare(deadline: NaiveDate) -> TaskFacts<'static> {
        TaskFacts { deadline, done_on: None, milestones: &[], reported_percent: None }
    }

    /// (status, light, planned, actual), for compact assertions.
    fn at(task: &TaskFacts, today: NaiveDate, warn: u32) -> (TaskStatus, Light, u32, u32) {
        let a = assess(task, today, warn);
        (a.status, a.light, a.planned_percent, a.actual_percent)
    }

    #[test]
    fn deadline_rules_without_milestones() {
        let task = bare(d(2026, 6, 30));
        assert_eq!(at(&task, d(2026, 1, 1), 15), (TaskStatus::OnPlan, Light::Blue, 0, 0));
        assert_eq!(at(&task, d(2026, 6, 15), 15), (TaskStatus::OnPlan, Light::Blue, 0, 0)); // 15 days left
        assert_eq!(at(&task, d(2026, 6, 16), 15), (TaskStatus::DueSoon, Light::Yellow, 0, 0)); // 14 left
        assert_eq!(at(&task, d(2026, 6, 30), 15), (TaskStatus::DueSoon, Light::Yellow, 0, 0)); // deadline day
        assert_eq!(at(&task, d(2026, 7, 1), 15), (TaskStatus::Overdue, Light::Red, 100, 0));
        // warn_days 0 never warns, 1 only on the deadline day.
        assert_eq!(at(&task, d(2026, 6, 30), 0).0, TaskStatus::OnPlan);
        assert_eq!(at(&task, d(2026, 6, 29), 1).0, TaskStatus::OnPlan);
        assert_eq!(at(&task, d(2026, 6, 30), 1).0, TaskStatus::DueSoon);
        // Reported progress shows, but does not change the status.
        let task = TaskFacts { reported_percent: Some(250), ..bare(d(2026, 6, 30)) };
        assert_eq!(at(&task, d(2026, 6, 20), 15), (TaskStatus::DueSoon, Light::Yellow, 0, 100));
        assert_eq!(DEFAULT_TASK_WARN_DAYS, 15);
    }

    #[test]
    fn done_is_blue_from_the_day_it_is_done() {
        let task = TaskFacts { done_on: Some(d(2026, 7, 10)), ..bare(d(2026, 6, 30)) };
        assert_eq!(at(&task, d(2026, 7, 9), 15), (TaskStatus::Overdue, Light::Red, 100, 0));
        assert_eq!(at(&task, d(2026, 7, 10), 15), (TaskStatus::Done, Light::Blue, 100, 100));
        let task = TaskFacts { done_on: Some(d(2026, 3, 1)), ..bare(d(2026, 6, 30)) };
        assert_eq!(at(&task, d(2026, 6, 20), 15), (TaskStatus::Done, Light::Blue, 0, 100));
        assert_eq!(at(&task, d(2026, 2, 28), 15), (TaskStatus::OnPlan, Light::Blue, 0, 0));
    }

    #[test]
    fn milestones_set_the_plan() {
        let ms = [
            milestone(d(2026, 3, 31), 30, Some(d(2026, 3, 20))),
            milestone(d(2026, 6, 30), 30, None),
            milestone(d(2026, 9, 30), 40, None),
        ];
        let task = TaskFacts { milestones: &ms, ..bare(d(2026, 11, 30)) };
        assert_eq!(at(&task, d(2026, 3, 19), 15), (TaskStatus::OnPlan, Light::Blue, 0, 0));
        assert_eq!(at(&task, d(2026, 3, 20), 15), (TaskStatus::OnPlan, Light::Blue, 0, 30)); // ahead
        assert_eq!(at(&task, d(2026, 6, 29), 15), (TaskStatus::OnPlan, Light::Blue, 30, 30));
        // A milestone planned for today and not yet done: behind.
        assert_eq!(at(&task, d(2026, 6, 30), 15), (TaskStatus::Behind, Light::Yellow, 60, 30));
        // Behind outranks due soon; overdue outranks behind.
        assert_eq!(at(&task, d(2026, 11, 30), 15), (TaskStatus::Behind, Light::Yellow, 100, 30));
        assert_eq!(at(&task, d(2026, 12, 1), 15), (TaskStatus::Overdue, Light::Red, 100, 30));
        // A milestone done after today does not count yet.
        let ms2 = [milestone(d(2026, 3, 31), 100, Some(d(2026, 4, 2)))];
        let task2 = TaskFacts { milestones: &ms2, ..bare(d(2026, 11, 30)) };
        assert_eq!(at(&task2, d(2026, 4, 1), 15), (TaskStatus::Behind, Light::Yellow, 100, 0));
        assert_eq!(at(&task2, d(2026, 4, 2), 15), (TaskStatus::OnPlan, Light::Blue, 100, 100));
        // All milestones done, task not closed: due soon near the deadline.
        assert_eq!(at(&task2, d(2026, 11, 20), 15), (TaskStatus::DueSoon, Light::Yellow, 100, 100));
    }

    #[test]
    fn a_larger_reported_percent_counts_as_progress() {
        let ms = [milestone(d(2026, 3, 31), 50, None), milestone(d(2026, 9, 30), 50, None)];
        let task = |reported| TaskFacts { milestones: &ms, reported_percent: reported, ..bare(d(2026, 11, 30)) };
        assert_eq!(at(&task(None), d(2026, 4, 1), 15), (TaskStatus::Behind, Light::Yellow, 50, 0));
        assert_eq!(at(&task(Some(49)), d(2026, 4, 1), 15), (TaskStatus::Behind, Light::Yellow, 50, 49));
        assert_eq!(at(&task(Some(50)), d(2026, 4, 1), 15), (TaskStatus::OnPlan, Light::Blue, 50, 50));
        // Milestones done beyond the report win.
        let done = [milestone(d(2026, 3, 31), 50, Some(d(2026, 3, 1))), ms[1].clone()];
        let task = TaskFacts { milestones: &done, reported_percent: Some(20), ..bare(d(2026, 11, 30)) };
        assert_eq!(at(&task, d(2026, 4, 1), 15), (TaskStatus::OnPlan, Light::Blue, 50, 50));
    }

    #[test]
    fn weights_are_proportions_and_zero_weights_mean_no_milestones() {
        // Unvalidated weights still give percents of their own total (1/3 → 33).
        let ms = [milestone(d(2026, 2, 1), 1, None), milestone(d(2026, 5, 1), 2, None)];
        let task = TaskFacts { milestones: &ms, ..bare(d(2026, 11, 30)) };
        assert_eq!(at(&task, d(2026, 3, 1), 15).2, 33);
        assert_eq!(at(&task, d(2026, 5, 1), 15).2, 100);
        let zero = [milestone(d(2026, 2, 1), 0, None)];
        let task = TaskFacts { milestones: &zero, ..bare(d(2026, 11, 30)) };
        assert_eq!(at(&task, d(2026, 3, 1), 15), (TaskStatus::OnPlan, Light::Blue, 0, 0));
        let huge = [milestone(d(2026, 2, 1), u32::MAX, None), milestone(d(2026, 5, 1), u32::MAX, None)];
        let task = TaskFacts { milestones: &huge, ..bare(d(2026, 11, 30)) };
        assert_eq!(at(&task, d(2026, 3, 1), 15).2, 50);
    }

    #[test]
    fn task_validation_names_the_fields() {
        let ok = [milestone(d(2026, 3, 31), 40, None), milestone(d(2026, 12, 31), 60, None)];
        assert_eq!(validate_task("建设党群服务中心", 2026, d(2026, 12, 31), &ok), Ok(()));
        assert_eq!(validate_task("建设党群服务中心", 2026, d(2026, 1, 1), &[]), Ok(()));
        let e = validate_task("  ", 2026, d(2026, 6, 30), &ok).unwrap_err();
        assert_eq!(e.0.keys().collect::<Vec<_>>(), ["milestones", "title"]);
        assert_eq!(e.0["title"], ["任务名称不能为空"]);
        assert_eq!(e.0["milestones"], ["第 2 个节点的计划完成日期不能晚于截止日期"]);
        for deadline in [d(2025, 12, 31), d(2027, 1, 1)] {
            let e = validate_task("任务", 2026, deadline, &[]).unwrap_err();
            assert_eq!(e.0["deadline"], ["截止日期须在 2026 年内"]);
        }

        let bad = [
            Milestone { title: " ".into(), ..milestone(d(2026, 3, 31), 0, None) },
            milestone(d(2026, 6, 30), 101, None),
        ];
        let e = validate_task("任务", 2026, d(2026, 12, 31), &bad).unwrap_err();
        assert_eq!(
            e.0["milestones"],
            [
                "第 1 个节点的名称不能为空",
                "第 1 个节点的权重须在 1 至 100 之间",
                "第 2 个节点的权重须在 1 至 100 之间",
                "各节点权重之和须为 100，现为 101"
            ]
        );
        let short = [milestone(d(2026, 3, 31), 90, None)];
        let e = validate_task("任务", 2026, d(2026, 12, 31), &short).unwrap_err();
        assert_eq!(e.0["milestones"], ["各节点权重之和须为 100，现为 90"]);
        let overflow = [milestone(d(2026, 3, 31), u32::MAX, None), milestone(d(2026, 3, 31), u32::MAX, None)];
        let e = validate_task("任务", 2026, d(2026, 12, 31), &overflow).unwrap_err();
        assert!(e.0["milestones"].last().unwrap().ends_with("现为 8589934590"));
    }

    #[test]
    fn progress_validation() {
        assert_eq!(validate_progress(0, "已启动"), Ok(()));
        assert_eq!(validate_progress(100, "已完成"), Ok(()));
        let e = validate_progress(101, " ").unwrap_err();
        assert_eq!(e.0["percent"], ["完成进度须在 0 至 100 之间"]);
        assert_eq!(e.0["note"], ["进展情况不能为空"]);
    }
}
