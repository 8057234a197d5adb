//! Annual key task lists (重点工作清单): the county or a committee issues a list; each task has an
//! owner, co-organisations, a deadline and weighted milestones; owners report progress with
//! evidence; the light is computed by `domain::task::assess`, never typed; roll-ups per owner and per
//! community; promotion meetings (推进会) record their decisions.

use honglian_domain::{RecordId, Year};
use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use honglian_domain::FieldErrors;
use honglian_domain::goals::task::{self, Milestone, TaskAssessment, TaskFacts};
use honglian_domain::org_life::duty::{Light, LightCounts};
use honglian_domain::platform::authz::Permission;
use honglian_domain::validation::{optional_text, required_text};
use honglian_store::Scope;
use honglian_store::entity::goals::task as task_entity;
use honglian_store::repo::communities::registry::{self as communities, COMMUNITY_KINDS};
use honglian_store::repo::goals::tasks::{self, Evidence, TaskFields, TaskFilter, TaskList};
use honglian_store::repo::organisations::orgs::{self, Org};
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::org_life::activities::OrgName;
use crate::org_life::duties::Counts;
use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskView {
    pub id: i64,
    pub list_id: i64,
    pub list_title: String,
    pub year: i32,
    pub title: String,
    pub description: Option<String>,
    pub owner: OrgName,
    pub co_orgs: Vec<OrgName>,
    pub deadline: NaiveDate,
    pub milestones: Vec<Milestone>,
    pub done_on: Option<NaiveDate>,
    pub reported_percent: Option<u32>,
    /// done | on_plan | behind | due_soon | overdue
    pub status: String,
    pub status_label: String,
    /// blue | yellow | red — computed, never typed.
    pub light: String,
    pub planned_percent: u32,
    pub actual_percent: u32,
    /// The caller may report progress (owner or co-organisation).
    pub can_report: bool,
    /// The caller may edit the task (the list's issuer).
    pub can_edit: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskPage {
    pub items: Vec<TaskView>,
    pub total: u64,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvidenceView {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportView {
    pub id: i64,
    pub percent: i32,
    pub note: String,
    pub author: String,
    pub org_name: String,
    pub created_at: DateTime<Utc>,
    pub evidence: Vec<EvidenceView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskDetail {
    #[serde(flatten)]
    pub task: TaskView,
    pub reports: Vec<ReportView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingView {
    pub id: i64,
    pub held_on: NaiveDate,
    pub title: String,
    pub decisions: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskListView {
    pub id: i64,
    pub issuer: OrgName,
    pub year: i32,
    pub title: String,
    pub issued_on: NaiveDate,
    pub total: u32,
    pub counts: Counts,
    pub meetings: Vec<MeetingView>,
    pub can_edit: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RollupRow {
    pub org_id: i64,
    pub org_name: String,
    pub total: u32,
    pub done: u32,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskRollup {
    pub year: i32,
    pub counts: Counts,
    /// Per owner organisation, worst first.
    pub owners: Vec<RollupRow>,
    /// Per community: the tasks of the community and of its member organisations.
    pub communities: Vec<RollupRow>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewTaskList {
    /// The issuing organisation (the county or a committee).
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
    pub year: Year,
    pub title: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TaskInput {
    /// Only when creating.
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub list_id: Option<i64>,
    #[schema(value_type = honglian_domain::RecordId)]
    pub owner_org_id: i64,
    #[serde(default)]
    pub co_org_ids: Vec<i64>,
    pub title: String,
    pub description: Option<String>,
    pub deadline: NaiveDate,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProgressInput {
    /// 0–100.
    pub percent: u32,
    pub note: String,
    /// Indexes of milestones completed with this report (done today).
    #[serde(default)]
    pub milestones_done: Vec<usize>,
    /// The task is finished.
    #[serde(default)]
    pub done: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MeetingInput {
    pub held_on: NaiveDate,
    pub title: String,
    pub decisions: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// The subtree (or a community the caller sees); default: my top organisation.
    pub org: Option<RecordId>,
    /// Default: this year.
    pub year: Option<Year>,
    pub list_id: Option<RecordId>,
    /// Only tasks with this light.
    pub light: Option<String>,
}

fn milestones_of(t: &tasks::Task) -> Vec<Milestone> {
    serde_json::from_str(&t.milestones).unwrap_or_default()
}

fn assess(t: &tasks::Task, milestones: &[Milestone], today: NaiveDate, warn_days: u32) -> TaskAssessment {
    task::assess(
        &TaskFacts {
            deadline: t.deadline,
            done_on: t.done_on,
            milestones,
            reported_percent: t.reported_percent.map(|p| p.max(0) as u32),
        },
        today,
        warn_days,
    )
}

impl App {
    /// What a task query is about: the subtree of an organisation in the caller's scope (owners
    /// `None`), or a community the caller's organisation belongs to — then only the community's own
    /// tasks, not those of the organisations filed under it (owners `Some([community])`).
    async fn task_subtree(&self, ctx: &Ctx, org: Option<i64>) -> AppResult<(Org, Option<Vec<i64>>)> {
        match (self.subtree_root(ctx, org, Permission::OrgRead).await, org) {
            (Err(e), Some(id)) => {
                let c = self.community_for(ctx, id, false).await.map_err(|_| e)?;
                let owners = Some(vec![c.id]);
                Ok((c, owners))
            }
            (found, _) => Ok((found?, None)),
        }
    }

    /// Builds the views of tasks, with their organisations' names and what the caller may do.
    async fn task_views(&self, ctx: &Ctx, list: Vec<tasks::Task>) -> AppResult<Vec<TaskView>> {
        let actor = ctx.actor()?;
        let report_scope = actor.scope(Permission::TaskReport).unwrap_or(Scope::none());
        let write_scope = actor.scope(Permission::TaskWrite).unwrap_or(Scope::none());
        let ids: Vec<i64> = list.iter().map(|t| t.id).collect();
        let task_orgs = tasks::orgs_of(&self.db, &ids).await?;
        let mut org_ids: Vec<i64> = task_orgs.iter().map(|o| o.org_id).collect();
        let mut lists: HashMap<i64, TaskList> = HashMap::new();
        for t in &list {
            if let std::collections::hash_map::Entry::Vacant(e) = lists.entry(t.list_id)
                && let Some(l) = tasks::list_of(&self.db, t).await?
            {
                e.insert(l);
            }
        }
        org_ids.extend(lists.values().map(|l| l.org_id));
        org_ids.sort_unstable();
        org_ids.dedup();
        let names: HashMap<i64, String> = self.org_names(&org_ids).await?;
        let name = |id: i64| OrgName { id, name: names.get(&id).cloned().unwrap_or_default() };
        let today = crate::today();
        Ok(list
            .into_iter()
            .map(|t| {
                let milestones = milestones_of(&t);
                let a = assess(&t, &milestones, today, self.config.task_warn_days);
                let mine: Vec<_> = task_orgs.iter().filter(|o| o.task_id == t.id).collect();
                let list = lists.get(&t.list_id);
                TaskView {
                    id: t.id,
                    list_id: t.list_id,
                    list_title: list.map(|l| l.title.clone()).unwrap_or_default(),
                    year: t.year,
                    title: t.title,
                    description: t.description,
                    owner: name(t.owner_org_id),
                    co_orgs: mine.iter().filter(|o| !o.owner).map(|o| name(o.org_id)).collect(),
                    deadline: t.deadline,
                    milestones,
                    done_on: t.done_on,
                    reported_percent: t.reported_percent.map(|p| p.max(0) as u32),
                    status: a.status.code().into(),
                    status_label: a.status.label().into(),
                    light: a.light.code().into(),
                    planned_percent: a.planned_percent,
                    actual_percent: a.actual_percent,
                    can_report: mine.iter().any(|o| report_scope.contains(&o.org_path))
                        || list.is_some_and(|l| write_scope.contains(&l.org_path)),
                    can_edit: list.is_some_and(|l| write_scope.contains(&l.org_path)),
                }
            })
            .collect())
    }

    /// GET /tasks: the tasks of a subtree (owned, co-organised, or on a list issued in it) for a year.
    pub async fn task_list(&self, ctx: &Ctx, q: TaskQuery) -> AppResult<TaskPage> {
        let (root, owners) = self.task_subtree(ctx, q.org.map(RecordId::get)).await?;
        let year = q.year.map(Year::get).unwrap_or_else(|| crate::today().year());
        let list = tasks::tasks_in(
            &self.db,
            &Scope::Paths(vec![root.path]),
            &TaskFilter { year: Some(year), list_id: q.list_id.map(RecordId::get), owners },
        )
        .await?;
        let mut items = self.task_views(ctx, list).await?;
        let mut counts = LightCounts::default();
        for t in &items {
            counts.add(light_of(&t.light));
        }
        if let Some(l) = q.light.as_deref() {
            items.retain(|t| t.light == l);
        }
        Ok(TaskPage { total: items.len() as u64, items, counts: counts.into() })
    }

    /// A task the caller sees: through its organisations, its list's issuer, or a community it belongs to.
    async fn task_for(&self, ctx: &Ctx, id: i64) -> AppResult<(tasks::Task, TaskList)> {
        // Through its organisations or its list's issuer; or shared by a community it belongs to.
        let (scope, shared) = self.community_shares(ctx).await?;
        let t = match tasks::get(&self.db, &scope, id).await? {
            Some(t) => t,
            None => tasks::get_owned_by(&self.db, &shared, id).await?.ok_or_else(|| AppError::not_found("任务"))?,
        };
        let list = tasks::list_of(&self.db, &t).await?.ok_or_else(|| AppError::not_found("任务"))?;
        Ok((t, list))
    }

    pub async fn task_get(&self, ctx: &Ctx, id: i64) -> AppResult<TaskDetail> {
        let (t, _) = self.task_for(ctx, id).await?;
        let task = self.task_views(ctx, vec![t]).await?.remove(0);
        let evidence = tasks::evidence_of(&self.db, id).await?;
        let reports = tasks::reports_of(&self.db, id).await?;
        let names: HashMap<i64, String> = self.org_names(&reports.iter().map(|r| r.org_id).collect::<Vec<_>>()).await?;
        let reports = reports
            .into_iter()
            .map(|r| ReportView {
                evidence: evidence
                    .iter()
                    .filter(|e| e.report_id == r.id)
                    .map(|e| EvidenceView {
                        id: e.id,
                        filename: e.filename.clone(),
                        content_type: e.content_type.clone(),
                        size: e.size,
                    })
                    .collect(),
                org_name: names.get(&r.org_id).cloned().unwrap_or_default(),
                id: r.id,
                percent: r.percent,
                note: r.note,
                author: r.author,
                created_at: r.created_at,
            })
            .collect();
        Ok(TaskDetail { task, reports })
    }

    /// The task lists of a year the caller sees, with their lights.
    pub async fn task_lists(&self, ctx: &Ctx, year: Option<i32>) -> AppResult<Vec<TaskListView>> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::OrgRead)?;
        let write = actor.scope(Permission::TaskWrite).unwrap_or(Scope::none());
        let year = year.unwrap_or_else(|| crate::today().year());
        let lists = tasks::lists_visible(&self.db, &scope, year).await?;
        let issuers: HashMap<i64, String> = self.org_names(&lists.iter().map(|l| l.org_id).collect::<Vec<_>>()).await?;
        let today = crate::today();
        let mut out = Vec::with_capacity(lists.len());
        for l in lists {
            let all = tasks::tasks_in(
                &self.db,
                &Scope::Paths(vec![l.org_path.clone()]),
                &TaskFilter { year: Some(year), list_id: Some(l.id), owners: None },
            )
            .await?;
            let mut counts = LightCounts::default();
            for t in &all {
                counts.add(assess(t, &milestones_of(t), today, self.config.task_warn_days).light);
            }
            let meetings = tasks::meetings_of(&self.db, l.id)
                .await?
                .into_iter()
                .map(|m| MeetingView { id: m.id, held_on: m.held_on, title: m.title, decisions: m.decisions })
                .collect();
            out.push(TaskListView {
                issuer: OrgName { id: l.org_id, name: issuers.get(&l.org_id).cloned().unwrap_or_default() },
                can_edit: write.contains(&l.org_path),
                id: l.id,
                year: l.year,
                title: l.title,
                issued_on: l.issued_on,
                total: all.len() as u32,
                counts: counts.into(),
                meetings,
            });
        }
        Ok(out)
    }

    pub async fn task_list_create(&self, ctx: &Ctx, input: NewTaskList) -> AppResult<TaskListView> {
        let scope = ctx.actor()?.scope(Permission::TaskWrite)?;
        let issuer = self.org_in(&self.db, &scope, input.org_id).await?;
        let mut errors = FieldErrors::default();
        let title = required_text(&input.title, "清单名称", 100).map_err(|e| errors.add("title", e)).ok();
        errors.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let l = tasks::insert_list(
            &txn,
            &issuer,
            input.year.get(),
            title.expect("validated"),
            crate::today(),
            ctx.actor_id(),
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("task_list.create", "task_list", l.id).with(serde_json::json!({"year": l.year})),
        )
        .await?;
        txn.commit().await?;
        Ok(TaskListView {
            issuer: OrgName { id: issuer.id, name: issuer.name },
            can_edit: true,
            id: l.id,
            year: l.year,
            title: l.title,
            issued_on: l.issued_on,
            total: 0,
            counts: Counts::default(),
            meetings: vec![],
        })
    }

    /// Owner and co-organisations must lie in the issuer's subtree.
    async fn task_orgs_checked(&self, list: &TaskList, input: &TaskInput) -> AppResult<(Org, Vec<Org>)> {
        let within = |o: &Org| o.path.starts_with(&list.org_path) && o.status == "active";
        let issuer = Scope::Paths(vec![list.org_path.clone()]);
        let owner = orgs::get(&self.db, &issuer, input.owner_org_id)
            .await?
            .filter(within)
            .ok_or_else(|| AppError::field("owner_org_id", "牵头单位须是清单下达单位管辖的党组织"))?;
        let co = orgs::get_many(&self.db, &issuer, &input.co_org_ids).await?;
        if co.len() != input.co_org_ids.iter().collect::<std::collections::HashSet<_>>().len() || !co.iter().all(within)
        {
            return Err(AppError::field("co_org_ids", "配合单位须是清单下达单位管辖的党组织"));
        }
        Ok((owner, co))
    }

    fn task_fields(list: &TaskList, input: &TaskInput) -> AppResult<TaskFields> {
        task::validate_task(&input.title, list.year, input.deadline, &input.milestones)?;
        let description = optional_text(input.description.as_deref(), "任务说明", 2000)
            .map_err(|e| AppError::field("description", e))?;
        Ok(TaskFields {
            title: input.title.trim().to_string(),
            description,
            deadline: input.deadline,
            milestones: serde_json::to_string(&input.milestones).unwrap_or_else(|_| "[]".into()),
        })
    }

    pub async fn task_create(&self, ctx: &Ctx, input: TaskInput) -> AppResult<TaskDetail> {
        let scope = ctx.actor()?.scope(Permission::TaskWrite)?;
        let list_id = input.list_id.ok_or_else(|| AppError::field("list_id", "请选择任务清单"))?;
        let list =
            tasks::list_issued(&self.db, &scope, list_id).await?.ok_or_else(|| AppError::not_found("任务清单"))?;
        let fields = Self::task_fields(&list, &input)?;
        let (owner, co) = self.task_orgs_checked(&list, &input).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let t = tasks::insert_task(&txn, &list, &owner, &co, fields).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("task.create", "task", t.id)
                .with(serde_json::json!({"list_id": list.id, "owner_org_id": owner.id})),
        )
        .await?;
        txn.commit().await?;
        self.task_get(ctx, t.id).await
    }

    /// Edits a task (the list's issuer): title, deadline, milestones, owner and co-organisations.
    pub async fn task_update(&self, ctx: &Ctx, id: i64, input: TaskInput) -> AppResult<TaskDetail> {
        let (t, list) = self.task_for(ctx, id).await?;
        if !ctx.actor()?.scope(Permission::TaskWrite).is_ok_and(|s| s.contains(&list.org_path)) {
            return Err(AppError::forbidden());
        }
        let fields = Self::task_fields(&list, &input)?;
        let (owner, co) = self.task_orgs_checked(&list, &input).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut am: task_entity::ActiveModel = t.into();
        am.title = Set(fields.title);
        am.description = Set(fields.description);
        am.deadline = Set(fields.deadline);
        am.milestones = Set(fields.milestones);
        am.owner_org_id = Set(owner.id);
        am.owner_path = Set(owner.path.clone());
        tasks::update(&txn, am).await?;
        tasks::set_orgs(&txn, id, &owner, &co).await?;
        self.audit(&txn, ctx, Event::ok("task.update", "task", id)).await?;
        txn.commit().await?;
        self.task_get(ctx, id).await
    }

    /// A progress report by the owner or a co-organisation: percent, note, milestones completed today,
    /// and optionally the task finished. The light follows from these facts.
    pub async fn task_report(&self, ctx: &Ctx, id: i64, input: ProgressInput) -> AppResult<TaskDetail> {
        let actor = ctx.actor()?;
        let (t, list) = self.task_for(ctx, id).await?;
        let report_scope = actor.scope(Permission::TaskReport).unwrap_or(Scope::none());
        let task_orgs = tasks::orgs_of(&self.db, &[id]).await?;
        let reporter = task_orgs.iter().find(|o| report_scope.contains(&o.org_path)).map(|o| o.org_id).or_else(|| {
            actor.scope(Permission::TaskWrite).is_ok_and(|s| s.contains(&list.org_path)).then_some(list.org_id)
        });
        let Some(reporter) = reporter else {
            return Err(AppError::forbidden());
        };
        task::validate_progress(input.percent, &input.note)?;
        let mut milestones = milestones_of(&t);
        let today = crate::today();
        for i in &input.milestones_done {
            let m = milestones.get_mut(*i).ok_or_else(|| AppError::field("milestones_done", "没有这个节点"))?;
            m.done_on.get_or_insert(today);
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let r = tasks::add_report(
            &txn,
            id,
            reporter,
            input.percent as i32,
            input.note.trim().to_string(),
            actor.display_name.clone(),
            ctx.actor_id(),
        )
        .await?;
        let mut am: task_entity::ActiveModel = t.into();
        am.reported_percent = Set(Some(input.percent as i32));
        am.milestones = Set(serde_json::to_string(&milestones).unwrap_or_else(|_| "[]".into()));
        if input.done {
            am.done_on = Set(Some(today));
        }
        tasks::update(&txn, am).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("task.report", "task", id).with(serde_json::json!({
                "report_id": r.id, "percent": input.percent, "milestones_done": input.milestones_done, "done": input.done
            })),
        )
        .await?;
        txn.commit().await?;
        self.task_get(ctx, id).await
    }

    /// Attaches evidence (photo or document) to a progress report.
    pub async fn task_evidence_add(
        &self,
        ctx: &Ctx,
        id: i64,
        report_id: i64,
        filename: &str,
        bytes: &[u8],
    ) -> AppResult<EvidenceView> {
        let (_, list) = self.task_for(ctx, id).await?;
        let actor = ctx.actor()?;
        let report = tasks::reports_of(&self.db, id)
            .await?
            .into_iter()
            .find(|r| r.id == report_id)
            .ok_or_else(|| AppError::not_found("进展报告"))?;
        let may = report.created_by == Some(actor.user_id)
            || actor.scope(Permission::TaskWrite).is_ok_and(|s| s.contains(&list.org_path));
        if !may {
            return Err(AppError::forbidden());
        }
        let f = self.store_file(&format!("tasks/{id}"), filename, bytes).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let e = tasks::add_evidence(
            &txn,
            Evidence {
                id: 0,
                report_id,
                task_id: id,
                filename: f.filename,
                content_type: f.content_type.into(),
                size: f.size,
                storage_key: f.key,
                created_at: Utc::now(),
            },
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("task.evidence", "task", id)
                .with(serde_json::json!({"report_id": report_id, "evidence_id": e.id})),
        )
        .await?;
        txn.commit().await?;
        Ok(EvidenceView { id: e.id, filename: e.filename, content_type: e.content_type, size: e.size })
    }

    pub async fn task_evidence_get(&self, ctx: &Ctx, id: i64, evidence_id: i64) -> AppResult<(EvidenceView, Vec<u8>)> {
        let (t, _) = self.task_for(ctx, id).await?;
        let e = tasks::evidence(&self.db, &t, evidence_id).await?.ok_or_else(|| AppError::not_found("佐证材料"))?;
        let bytes = self.read_file(&e.storage_key).await?;
        Ok((EvidenceView { id: e.id, filename: e.filename, content_type: e.content_type, size: e.size }, bytes))
    }

    /// Records a promotion meeting (推进会) on a list and its decisions (the list's issuer).
    pub async fn task_meeting_add(&self, ctx: &Ctx, list_id: i64, input: MeetingInput) -> AppResult<MeetingView> {
        let scope = ctx.actor()?.scope(Permission::TaskWrite)?;
        let list =
            tasks::list_issued(&self.db, &scope, list_id).await?.ok_or_else(|| AppError::not_found("任务清单"))?;
        let mut errors = FieldErrors::default();
        let title = required_text(&input.title, "会议名称", 100).map_err(|e| errors.add("title", e)).ok();
        let decisions = required_text(&input.decisions, "会议决定", 4000).map_err(|e| errors.add("decisions", e)).ok();
        errors.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let m = tasks::add_meeting(
            &txn,
            list.id,
            input.held_on,
            title.expect("validated"),
            decisions.expect("validated"),
            ctx.actor_id(),
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("task_list.meeting", "task_list", list.id).with(serde_json::json!({"meeting_id": m.id})),
        )
        .await?;
        txn.commit().await?;
        Ok(MeetingView { id: m.id, held_on: m.held_on, title: m.title, decisions: m.decisions })
    }

    /// Lights rolled up per owner organisation and per community for a subtree and year.
    pub async fn task_rollup(&self, ctx: &Ctx, q: TaskQuery) -> AppResult<TaskRollup> {
        let year = q.year.map(Year::get).unwrap_or_else(|| crate::today().year());
        let page = self.task_list(ctx, TaskQuery { light: None, ..q.clone() }).await?;
        let mut owners: HashMap<i64, (String, LightCounts, u32)> = HashMap::new();
        for t in &page.items {
            let e = owners.entry(t.owner.id).or_insert_with(|| (t.owner.name.clone(), LightCounts::default(), 0));
            e.1.add(light_of(&t.light));
            e.2 += u32::from(t.status == "done");
        }
        // Communities: the community's own tasks and its member organisations'.
        let read = ctx.actor()?.scope(Permission::OrgRead)?;
        let mut community_rows = Vec::new();
        for c in communities::visible(&self.db, &read, COMMUNITY_KINDS).await? {
            let mut members: Vec<i64> =
                communities::members_of(&self.db, c.id).await?.into_iter().map(|(m, _)| m.org_id).collect();
            members.push(c.id);
            let mut counts = LightCounts::default();
            let mut done = 0;
            for t in page.items.iter().filter(|t| members.contains(&t.owner.id)) {
                counts.add(light_of(&t.light));
                done += u32::from(t.status == "done");
            }
            if counts.total() > 0 {
                community_rows.push(RollupRow {
                    org_id: c.id,
                    org_name: c.name,
                    total: counts.total(),
                    done,
                    counts: counts.into(),
                });
            }
        }
        let mut owners: Vec<RollupRow> = owners
            .into_iter()
            .map(|(id, (name, c, done))| RollupRow {
                org_id: id,
                org_name: name,
                total: c.total(),
                done,
                counts: c.into(),
            })
            .collect();
        let worst_first = |a: &RollupRow, b: &RollupRow| {
            b.counts
                .red
                .cmp(&a.counts.red)
                .then(b.counts.yellow.cmp(&a.counts.yellow))
                .then(a.org_name.cmp(&b.org_name))
        };
        owners.sort_by(worst_first);
        community_rows.sort_by(worst_first);
        Ok(TaskRollup { year, counts: page.counts, owners, communities: community_rows })
    }
}

fn light_of(code: &str) -> Light {
    Light::from_code(code).unwrap_or(Light::Blue)
}
