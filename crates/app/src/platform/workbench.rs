//! The workbench (工作台): what needs the signed-in person today, each item one click from its
//! action. It asks each area's own use case, so every count is scoped and permission-checked as the
//! page it links to; an area the role may not use is left out.

use chrono::Datelike;
use honglian_domain::members::mobility::APPROACHING_DAYS;
use honglian_domain::org_life::duty::{Light, is_recent_red, reminder_years};
use honglian_domain::organisations::committee;
use honglian_domain::organisations::org::OrgKind;
use honglian_domain::platform::authz::Permission;
use honglian_domain::{PerPage, Year};
use honglian_store::Scope;
use honglian_store::repo::organisations::committee as posts;
use serde::Serialize;
use utoipa::ToSchema;

use crate::goals::tasks::TaskQuery;
use crate::members::mobility::LostQuery;
use crate::members::reports::ReportQuery;
use crate::org_life::activities::ActivityQuery;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkItem {
    /// duties_overdue | duties_due | approvals | census | outflow_reports | lost | lost_soon | suspensions | recruits_due | transfers_in | letters_overdue | leads_stale | honours_review | tasks | elections | my_activities
    pub key: String,
    pub title: String,
    pub count: u64,
    /// What it is about: the first few organisations or names.
    pub detail: String,
    /// The console page where it is done.
    pub link: String,
    /// danger | warning | primary
    pub tone: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Workbench {
    /// Most urgent first; empty when nothing needs the person today.
    pub items: Vec<WorkItem>,
}

/// The use case's answer, or None when the role may not use that area.
fn permitted<T>(r: AppResult<T>) -> AppResult<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(AppError::Forbidden(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// "甲、乙、丙等 5 个" from names and a total.
fn some_of(names: &[String], total: u64, unit: &str) -> String {
    let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
    if total as usize > shown.len() { format!("{}等 {total} {unit}", shown.join("、")) } else { shown.join("、") }
}

fn item(key: &str, title: &str, count: u64, detail: String, link: String, tone: &str) -> WorkItem {
    WorkItem { key: key.into(), title: title.into(), count, detail, link, tone: tone.into() }
}

impl App {
    pub async fn workbench(&self, ctx: &Ctx) -> AppResult<Workbench> {
        let actor = ctx.actor()?;
        let today = crate::today();
        let mut items = Vec::new();

        // Organisational life that is overdue (within the reminders' month) or due soon.
        if let Some(root) = permitted(self.subtree_root(ctx, None, Permission::OrgRead).await)? {
            let (mut red, mut yellow) = (0u64, 0u64);
            let (mut red_orgs, mut yellow_orgs): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
            for year in reminder_years(today) {
                let ev = self.evaluate(&Scope::Paths(vec![root.path.clone()]), year).await?;
                for o in &ev.orgs {
                    for r in o.results.iter() {
                        let (n, names) = match r.light {
                            Light::Red if is_recent_red(r.period.end(), today) => (&mut red, &mut red_orgs),
                            Light::Yellow => (&mut yellow, &mut yellow_orgs),
                            _ => continue,
                        };
                        *n += 1;
                        if !names.contains(&o.name) {
                            names.push(o.name.clone());
                        }
                    }
                }
            }
            if red > 0 {
                let detail =
                    format!("{}：近一个月已到期、尚未开展", some_of(&red_orgs, red_orgs.len() as u64, "个组织"));
                items.push(item(
                    "duties_overdue",
                    "组织生活已逾期",
                    red,
                    detail,
                    "/duties/board?light=red".into(),
                    "danger",
                ));
            }
            if yellow > 0 {
                let detail = format!("{}：本期即将到期", some_of(&yellow_orgs, yellow_orgs.len() as u64, "个组织"));
                items.push(item(
                    "duties_due",
                    "组织生活即将到期",
                    yellow,
                    detail,
                    "/duties/board?light=yellow".into(),
                    "warning",
                ));
            }
        }

        // Late recordings waiting for the county's approval.
        if actor.scope(Permission::ActivityApprove).is_ok() {
            let q = ActivityQuery {
                status: Some("pending_approval".into()),
                per_page: PerPage::new(5).ok(),
                ..Default::default()
            };
            let page = self.activity_list(ctx, q).await?;
            if page.total > 0 {
                let names: Vec<String> = page.items.iter().map(|a| a.topic.clone()).collect();
                let link = match page.items.as_slice() {
                    [one] => format!("/activities/{}", one.id),
                    _ => "/activities?view=list&status=pending_approval".into(),
                };
                items.push(item(
                    "approvals",
                    "补录待审批",
                    page.total,
                    some_of(&names, page.total, "项"),
                    link,
                    "warning",
                ));
            }
        }

        // Census entries still to verify in the open campaigns.
        if let Some(list) = permitted(self.census_list(ctx).await)? {
            let open: Vec<_> = list.iter().filter(|c| c.status == "open" && c.total > c.verified).collect();
            let pending: i64 = open.iter().map(|c| c.total - c.verified).sum();
            if let Some(first) = open.first() {
                let detail = format!("{}：{} 名待核实", first.name, first.total - first.verified);
                let link = format!("/mobility/censuses/{}", first.id);
                items.push(item("census", "摸排待核实", pending as u64, detail, link, "primary"));
            }
        }

        // Members' own outflow reports waiting for the home organisation (one click confirms them).
        let q = ReportQuery { status: Some("proposed".into()), per_page: PerPage::new(3).ok(), ..Default::default() };
        if let Some(page) = permitted(self.report_list(ctx, q).await)?
            && page.total > 0
        {
            let names: Vec<String> = page.items.iter().map(|r| format!("{}（{}）", r.member_name, r.place)).collect();
            items.push(item(
                "outflow_reports",
                "外出报备待确认",
                page.total,
                some_of(&names, page.total, "名"),
                "/mobility/reports".into(),
                "warning",
            ));
        }

        // Members out of contact.
        if let Some(page) =
            permitted(self.lost_list(ctx, LostQuery { per_page: PerPage::new(3).ok(), ..Default::default() }).await)?
            && page.total > 0
        {
            let names: Vec<String> = page.items.iter().map(|l| l.name.clone()).collect();
            let detail = format!("{}：超过规定时间未能取得联系", some_of(&names, page.total, "名"));
            items.push(item("lost", "失联党员", page.total, detail, "/mobility/lost".into(), "danger"));
        }

        // Members who will be out of touch for the limit within the coming days: get in touch first.
        let q = LostQuery { soon: Some(true), per_page: PerPage::new(3).ok(), ..Default::default() };
        if let Some(page) = permitted(self.lost_list(ctx, q).await)?
            && page.total > 0
        {
            let names: Vec<String> = page.items.iter().map(|l| format!("{}（{} 到期）", l.name, l.lost_on)).collect();
            let detail =
                format!("{}：{APPROACHING_DAYS} 天内将满失联期限，请尽快联系", some_of(&names, page.total, "名"));
            items.push(item("lost_soon", "即将失联", page.total, detail, "/mobility/lost?soon=true".into(), "warning"));
        }

        // Proposals to suspend or remove a lost member waiting for this level's decision.
        if let Some((total, names)) = permitted(self.proposals_waiting(ctx).await)?
            && total > 0
        {
            let detail = format!("{}：请审批", some_of(&names, total, "名"));
            items.push(item("suspensions", "停止党籍/除名待审批", total, detail, "/mobility/lost".into(), "warning"));
        }

        // Recruitment steps due within two weeks or overdue (the talk, the approvals, the conversion).
        if let Some((total, names)) = permitted(self.recruits_due(ctx).await)?
            && total > 0
        {
            let detail = format!("{}：步骤即将到期或已超期", some_of(&names, total, "名"));
            items.push(item(
                "recruits_due",
                "发展党员步骤到期",
                total,
                detail,
                "/party/recruitment?due=true".into(),
                "warning",
            ));
        }

        // Transfers waiting for this organisation to accept them, and letters whose receipt is overdue.
        let (waiting, overdue) = self.transfers_waiting(ctx).await?;
        if waiting > 0 {
            items.push(item(
                "transfers_in",
                "组织关系转入待接收",
                waiting,
                format!("{waiting} 名党员的组织关系转入待接收；接收前由转出党组织负责管理"),
                "/party/transfers?direction=in".into(),
                "warning",
            ));
        }
        if overdue > 0 {
            items.push(item(
                "letters_overdue",
                "介绍信回执逾期",
                overdue,
                format!("{overdue} 份组织关系介绍信开具已满一个月仍未收到回执，请联系接收党组织"),
                "/party/transfers?direction=out&overdue=true".into(),
                "danger",
            ));
        }

        // Investment leads (回乡工程) that have not moved for the county's number of days.
        if let Some((total, projects)) = permitted(self.stale_leads(ctx).await)?
            && total > 0
        {
            let detail = format!("{}：久未推进，请跟进或更新阶段", some_of(&projects, total, "个"));
            items.push(item(
                "leads_stale",
                "招商线索久未推进",
                total,
                detail,
                "/hometown/leads?stale=true".into(),
                "warning",
            ));
        }

        // Honours nominations waiting for the review of the person's own level (先锋工程).
        if let Some((total, names)) = permitted(self.reviews_waiting(ctx).await)?
            && total > 0
        {
            let detail = format!("{}：待本级审核", some_of(&names, total, "项"));
            items.push(item("honours_review", "评选表彰待审核", total, detail, "/hometown/honours".into(), "primary"));
        }

        // Key tasks behind plan.
        let q =
            TaskQuery { light: Some("red".into()), year: Year::new(today.year().into()).ok(), ..Default::default() };
        if let Some(page) = permitted(self.task_list(ctx, q).await)?
            && page.total > 0
        {
            let names: Vec<String> = page.items.iter().map(|t| t.title.clone()).collect();
            items.push(item(
                "tasks",
                "重点任务滞后",
                page.total,
                some_of(&names, page.total, "项"),
                "/goals/tasks".into(),
                "danger",
            ));
        }

        // Committees whose term has run out (换届).
        if let Ok(scope) = actor.scope(Permission::OrgRead) {
            let due: Vec<(i64, String)> = posts::terms_in_office(&self.db, &scope, today)
                .await?
                .into_iter()
                .filter(|(_, _, kind, since)| {
                    OrgKind::from_code(kind)
                        .and_then(committee::term_years)
                        .is_some_and(|y| committee::term_ends(*since, y) < today)
                })
                .map(|(id, name, _, _)| (id, name))
                .collect();
            if let Some((first, _)) = due.first() {
                let names: Vec<String> = due.iter().map(|d| d.1.clone()).collect();
                let detail = format!("{}：委员会任期已满", some_of(&names, due.len() as u64, "个组织"));
                items.push(item(
                    "elections",
                    "应换届",
                    due.len() as u64,
                    detail,
                    format!("/orgs?id={first}"),
                    "warning",
                ));
            }
        }

        // A member's own organisational life of the coming week.
        if actor.member_id.is_some() {
            let soon = today + chrono::Duration::days(7);
            let mine: Vec<_> = self
                .my_activities(ctx)
                .await?
                .into_iter()
                .filter(|a| {
                    a.my_attendance.is_none() && {
                        let day = (a.end_at + chrono::Duration::hours(8)).date_naive();
                        day >= today && day <= soon
                    }
                })
                .collect();
            if !mine.is_empty() {
                let names: Vec<String> = mine.iter().map(|a| a.topic.clone()).collect();
                let n = mine.len() as u64;
                items.push(item(
                    "my_activities",
                    "近 7 天的组织生活",
                    n,
                    some_of(&names, n, "项"),
                    "/my/activities".into(),
                    "primary",
                ));
            }
        }

        let rank = |t: &str| match t {
            "danger" => 0,
            "warning" => 1,
            _ => 2,
        };
        items.sort_by_key(|i| rank(&i.tone));
        Ok(Workbench { items })
    }
}
