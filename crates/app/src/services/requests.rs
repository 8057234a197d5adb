//! 红链直通车: an enterprise's problem carried to the department that can solve it. A branch submits a
//! request on behalf of an enterprise in the coverage registry (or a member on their own); its category
//! routes it to a department with a time limit in working days (the county's calendar of holidays and
//! 调休 days); the department's handlers accept, ask for more information (the clock stops and starts
//! again when it arrives), hand over to another department with a reason (the clock keeps running),
//! and reply; the requester rates the answer and may reopen a "not satisfied" once. Open requests past
//! their limit are escalated to the county with a reminder (the hourly job). Figures by department and
//! category as charts and as a printed report.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use honglian_domain::org_life::duty::Light;
use honglian_domain::platform::authz::Permission;
use honglian_domain::services::calendar::WorkCalendar;
use honglian_domain::services::request::{self, Rating, RequestAction, RequestStatus, RequesterKind};
use honglian_domain::validation::{optional_text, required_text};
use honglian_domain::{FieldErrors, PageNo, PerPage, RecordId, Year};
use honglian_store::Scope;
use honglian_store::entity::services::service_request;
use honglian_store::repo::PageReq;
use honglian_store::repo::organisations::hosts;
use honglian_store::repo::platform::notifications::{self, NewNotification};
use honglian_store::repo::platform::users;
use honglian_store::repo::services::departments;
use honglian_store::repo::services::files::{self, ServiceFile};
use honglian_store::repo::services::requests::{self, Category, Reach, RequestEvent, RequestFilter, ServiceRequest};
use sea_orm::{ConnectionTrait, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::departments::DepartmentView;
use crate::members::export::Export;
use crate::org_life::activities::{AttachmentView, OrgName};
use crate::platform::audit::Event;
use crate::platform::pdf::Column;
use crate::platform::report::{Report, ReportFormat, report_file};
use crate::platform::settings::county_of;
use crate::{App, AppError, AppResult, Ctx};

/// A request turns yellow on the last this many working days of its limit.
pub const WARN_DAYS: u32 = 2;
/// The most files a request takes (from both sides together).
pub const MAX_REQUEST_FILES: usize = 20;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryView {
    pub id: i64,
    pub name: String,
    pub department: DepartmentView,
    /// The time limit in working days.
    pub limit_days: i32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CategoryInput {
    pub name: String,
    #[schema(value_type = honglian_domain::RecordId)]
    pub department_id: i64,
    pub limit_days: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestView {
    pub id: i64,
    pub title: String,
    pub category: CategoryView,
    pub department: DepartmentView,
    pub requester_kind: RequesterKind,
    pub requester_kind_label: String,
    pub requester_name: String,
    pub org: OrgName,
    pub host_name: String,
    pub status: RequestStatus,
    pub status_label: String,
    pub submitted_on: NaiveDate,
    pub due_on: NaiveDate,
    pub limit_days: i32,
    /// Against the limit: none once answered.
    pub light: Option<Light>,
    pub answered_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub rating: Option<Rating>,
    pub reopened: bool,
    pub escalated_on: Option<NaiveDate>,
    /// What the caller may do now.
    pub actions: Vec<RequestAction>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_name: String,
    pub action: String,
    pub action_label: String,
    pub department: String,
    pub to_department: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestDetail {
    pub request: RequestView,
    pub description: String,
    pub reply: String,
    pub rating_comment: String,
    pub events: Vec<EventView>,
    /// Documents and photos from either side.
    pub attachments: Vec<AttachmentView>,
    /// The county's departments, for a hand-over.
    pub departments: Vec<DepartmentView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestPage {
    pub items: Vec<RequestView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RequestInput {
    #[schema(value_type = honglian_domain::RecordId)]
    pub category_id: i64,
    pub title: String,
    pub description: String,
    /// The asking organisation (a branch on an enterprise's behalf); a member asks as themselves.
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub org_id: Option<i64>,
    /// The enterprise (from the coverage registry); required when a branch asks on its behalf.
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub host_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ActionInput {
    pub action: RequestAction,
    /// The question, the information, the reason for a hand-over, the reply, the rating's comment.
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub to_department_id: Option<i64>,
    #[serde(default)]
    pub rating: Option<Rating>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestQuery {
    #[param(inline)]
    pub status: Option<RequestStatus>,
    pub department: Option<RecordId>,
    pub category: Option<RecordId>,
    /// Only open requests past their limit.
    pub overdue: Option<bool>,
    /// Only the ones I submitted.
    pub mine: Option<bool>,
    /// Submitted in this year.
    pub year: Option<Year>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HostsQuery {
    /// The organisation asking.
    pub org: RecordId,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HostName {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// Default: this year.
    pub year: Option<Year>,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct FigureRow {
    pub id: i64,
    pub name: String,
    pub received: u64,
    pub answered: u64,
    /// Answered within the limit.
    pub on_time: u64,
    /// Answered late, or open past the limit.
    pub overdue: u64,
    /// Average working days from submission to answer, in tenths (35 = 3.5 days).
    pub avg_days_tenths: u64,
    pub satisfied: u64,
    pub basic: u64,
    pub unsatisfied: u64,
    /// (satisfied + basically satisfied) / rated, in percent, rounded half up; none before a rating.
    pub satisfaction_pct: Option<u64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestFigures {
    pub year: i32,
    pub total: FigureRow,
    pub by_department: Vec<FigureRow>,
    pub by_category: Vec<FigureRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CalendarYear {
    pub year: i32,
    /// Weekdays off (法定节假日).
    pub holidays: Vec<NaiveDate>,
    /// Weekend days worked (调休上班).
    pub workdays: Vec<NaiveDate>,
}

/// Who asks a new request: its kind, the asking user (if any) and name, the organisation it is filed
/// under, and the enterprise it is for.
pub(crate) struct Asker {
    pub kind: RequesterKind,
    pub id: Option<i64>,
    pub name: String,
    pub org_id: i64,
    pub org_path: String,
    pub host: Option<(i64, String)>,
}

/// The sides of a request a caller is on: the handling department's, the county overseeing it, the
/// asking side (the requester, their organisation, their enterprise's contacts).
#[derive(Debug, Default, Clone, Copy)]
struct Sides {
    handler: bool,
    overseer: bool,
    requester: bool,
}

fn year_bounds(year: i32) -> AppResult<(NaiveDate, NaiveDate)> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| AppError::field("year", "年度无效"))?;
    let to = NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| AppError::field("year", "年度无效"))?;
    Ok((from, to))
}

pub(crate) fn attachment_view(f: ServiceFile) -> AttachmentView {
    AttachmentView {
        id: f.id,
        filename: f.filename,
        content_type: f.content_type,
        size: f.size,
        created_at: f.created_at,
    }
}

fn status_of(r: &ServiceRequest) -> RequestStatus {
    RequestStatus::from_code(&r.status).unwrap_or(RequestStatus::Submitted)
}

fn action_label(code: &str) -> &'static str {
    match code {
        "submit" => "提交诉求",
        "escalate" => "逾期提级督办",
        c => RequestAction::from_code(c).map(RequestAction::label).unwrap_or("处理"),
    }
}

impl App {
    /// The requests the caller reaches: their own, their organisations' (request.submit), their
    /// departments' (request.handle) and their county's (request.oversee).
    pub(crate) fn request_reach(&self, ctx: &Ctx) -> AppResult<Reach> {
        let actor = ctx.actor()?;
        let reach = Reach {
            orgs: actor.scope(Permission::RequestSubmit).unwrap_or(Scope::none()),
            county: actor.scope(Permission::RequestOversee).unwrap_or(Scope::none()),
            departments: actor.departments(Permission::RequestHandle),
            hosts: actor.hosts(Permission::EnterpriseSelf),
            requester: Some(actor.user_id),
        };
        let nothing = reach.orgs == Scope::none()
            && reach.county == Scope::none()
            && reach.departments.is_empty()
            && reach.hosts.is_empty();
        if nothing && !actor.has(Permission::MemberSelf) {
            return Err(AppError::forbidden());
        }
        Ok(reach)
    }

    /// The county's working-day calendar from `from` for about two years.
    pub(crate) async fn work_calendar(
        &self,
        db: &impl ConnectionTrait,
        county_path: &str,
        from: NaiveDate,
    ) -> AppResult<WorkCalendar> {
        let to = from.checked_add_signed(chrono::Duration::days(800)).unwrap_or(NaiveDate::MAX);
        let since = from.checked_sub_signed(chrono::Duration::days(400)).unwrap_or(NaiveDate::MIN);
        let mut cal = WorkCalendar::default();
        for d in requests::calendar(db, county_path, since, to).await? {
            if d.working {
                cal.workdays.insert(d.day);
            } else {
                cal.holidays.insert(d.day);
            }
        }
        Ok(cal)
    }

    async fn category_views(&self, db: &impl ConnectionTrait, list: Vec<Category>) -> AppResult<Vec<CategoryView>> {
        let names = departments::names(db, &list.iter().map(|c| c.department_id).collect::<Vec<_>>()).await?;
        Ok(list
            .into_iter()
            .map(|c| CategoryView {
                department: DepartmentView {
                    id: c.department_id,
                    name: names.get(&c.department_id).cloned().unwrap_or_default(),
                },
                id: c.id,
                name: c.name,
                limit_days: c.limit_days,
            })
            .collect())
    }

    /// Which sides of `r` the caller is on.
    fn sides(&self, ctx: &Ctx, r: &ServiceRequest) -> Sides {
        let Ok(actor) = ctx.actor() else { return Sides::default() };
        Sides {
            handler: actor.departments(Permission::RequestHandle).contains(&r.department_id),
            overseer: actor.scope(Permission::RequestOversee).is_ok_and(|s| s.contains(&r.county_path)),
            requester: r.requester_id == Some(actor.user_id)
                || actor.scope(Permission::RequestSubmit).is_ok_and(|s| s.contains(&r.org_path))
                || r.host_id.is_some_and(|h| actor.hosts(Permission::EnterpriseSelf).contains(&h)),
        }
    }

    /// The actions `actor` may take on `r` now.
    fn actions_on(&self, ctx: &Ctx, r: &ServiceRequest) -> Vec<RequestAction> {
        let Sides { handler, overseer, requester } = self.sides(ctx, r);
        let rating = r.rating.as_deref().and_then(Rating::from_code);
        RequestAction::ALL
            .iter()
            .copied()
            .filter(|a| {
                let who = match a {
                    RequestAction::Accept | RequestAction::AskInfo | RequestAction::Reply => handler,
                    RequestAction::HandOver => handler || overseer,
                    RequestAction::Supply | RequestAction::Rate | RequestAction::Reopen => requester,
                };
                who && request::allowed(status_of(r), *a, rating, r.reopened).is_ok()
            })
            .collect()
    }

    async fn request_views(&self, ctx: &Ctx, list: Vec<ServiceRequest>) -> AppResult<Vec<RequestView>> {
        let today = crate::today();
        let cats: HashMap<i64, CategoryView> = {
            let scope = Scope::Paths(
                list.iter()
                    .map(|r| r.county_path.clone())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect(),
            );
            self.category_views(&self.db, requests::categories(&self.db, &scope).await?)
                .await?
                .into_iter()
                .map(|c| (c.id, c))
                .collect()
        };
        let dept_names =
            departments::names(&self.db, &list.iter().map(|r| r.department_id).collect::<Vec<_>>()).await?;
        let org_names = self.org_names(&list.iter().map(|r| r.org_id).collect::<Vec<_>>()).await?;
        let mut calendars: HashMap<String, WorkCalendar> = HashMap::new();
        let mut out = Vec::with_capacity(list.len());
        for r in list {
            if !calendars.contains_key(&r.county_path) {
                let cal = self.work_calendar(&self.db, &r.county_path, today).await?;
                calendars.insert(r.county_path.clone(), cal);
            }
            let status = status_of(&r);
            let kind = RequesterKind::from_code(&r.requester_kind).unwrap_or(RequesterKind::Branch);
            out.push(RequestView {
                category: cats.get(&r.category_id).cloned().unwrap_or(CategoryView {
                    id: r.category_id,
                    name: String::new(),
                    department: DepartmentView { id: 0, name: String::new() },
                    limit_days: r.limit_days,
                }),
                department: DepartmentView {
                    id: r.department_id,
                    name: dept_names.get(&r.department_id).cloned().unwrap_or_default(),
                },
                requester_kind: kind,
                requester_kind_label: kind.label().into(),
                org: OrgName { id: r.org_id, name: org_names.get(&r.org_id).cloned().unwrap_or_default() },
                status,
                status_label: status.label().into(),
                light: request::light(status, r.due_on, today, WARN_DAYS, &calendars[&r.county_path]),
                rating: r.rating.as_deref().and_then(Rating::from_code),
                actions: self.actions_on(ctx, &r),
                id: r.id,
                title: r.title,
                requester_name: r.requester_name,
                host_name: r.host_name,
                submitted_on: r.submitted_on,
                due_on: r.due_on,
                limit_days: r.limit_days,
                answered_on: r.answered_on,
                closed_on: r.closed_on,
                reopened: r.reopened,
                escalated_on: r.escalated_on,
            });
        }
        Ok(out)
    }

    async fn request_detail_of(&self, ctx: &Ctx, r: ServiceRequest) -> AppResult<RequestDetail> {
        let events: Vec<RequestEvent> = requests::events(&self.db, &r).await?;
        let county = Scope::Paths(vec![r.county_path.clone()]);
        let depts = departments::list(&self.db, &county).await?;
        let name = |id: i64| depts.iter().find(|d| d.id == id).map(|d| d.name.clone()).unwrap_or_default();
        let events = events
            .into_iter()
            .map(|e| EventView {
                at: e.at,
                actor_name: e.actor_name,
                action_label: action_label(&e.action).into(),
                action: e.action,
                department: name(e.department_id),
                to_department: e.to_department_id.map(name),
                note: e.note,
            })
            .collect();
        let attachments = files::list(&self.db, (&r).into()).await?.into_iter().map(attachment_view).collect();
        let (description, reply, rating_comment) = (r.description.clone(), r.reply.clone(), r.rating_comment.clone());
        Ok(RequestDetail {
            request: self.request_views(ctx, vec![r]).await?.remove(0),
            description,
            reply,
            rating_comment,
            events,
            attachments,
            departments: depts.iter().map(super::departments::view).collect(),
        })
    }

    /// The requests the caller reaches, open and most urgent first.
    pub async fn request_list(&self, ctx: &Ctx, q: RequestQuery) -> AppResult<RequestPage> {
        let reach = self.request_reach(ctx)?;
        let mut f = RequestFilter {
            statuses: q.status.map(|s| vec![s.code().to_string()]).unwrap_or_default(),
            department_id: q.department.map(RecordId::get),
            category_id: q.category.map(RecordId::get),
            overdue_on: q.overdue.unwrap_or(false).then(crate::today),
            mine: q.mine.unwrap_or(false).then_some(ctx.actor()?.user_id),
            ..Default::default()
        };
        if let Some(y) = q.year {
            f.submitted = Some(year_bounds(y.get())?);
        }
        let page = PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into));
        let found = requests::list(&self.db, &reach, &f, page).await?;
        Ok(RequestPage {
            items: self.request_views(ctx, found.items).await?,
            total: found.total,
            page: page.page,
            per_page: page.per_page,
        })
    }

    /// One request with its history.
    pub async fn request_get(&self, ctx: &Ctx, id: i64) -> AppResult<RequestDetail> {
        let reach = self.request_reach(ctx)?;
        let r = requests::get(&self.db, &reach, id).await?.ok_or_else(|| AppError::not_found("诉求"))?;
        self.request_detail_of(ctx, r).await
    }

    /// Submits a request: a branch on behalf of an enterprise in its coverage registry, an enterprise's
    /// contact for their enterprise, or a member on their own. The category routes it and sets the limit.
    pub async fn request_submit(&self, ctx: &Ctx, input: RequestInput) -> AppResult<RequestDetail> {
        let actor = ctx.actor()?;
        let own_hosts = actor.hosts(Permission::EnterpriseSelf);
        // The enterprise is known from the start when its contact asks.
        let (org, kind, own_host) = match input.org_id {
            Some(org_id) => {
                let scope = actor.scope(Permission::RequestSubmit)?;
                (self.org_in(&self.db, &scope, org_id).await?, RequesterKind::Branch, None)
            }
            // An enterprise's contact asks through the organisation their enterprise is registered under.
            None if !own_hosts.is_empty() => {
                let host_id = match input.host_id {
                    Some(h) if own_hosts.contains(&h) => h,
                    None if own_hosts.len() == 1 => own_hosts[0],
                    _ => return Err(AppError::field("host_id", "请选择您所联络的企业")),
                };
                let host = hosts::get(&self.db, &actor.scope(Permission::EnterpriseSelf)?, host_id)
                    .await?
                    .ok_or_else(|| AppError::field("host_id", "请选择您所联络的企业"))?;
                let under = Scope::Paths(vec![host.org_path.clone()]);
                (self.org_in(&self.db, &under, host.org_id).await?, RequesterKind::Enterprise, Some(host))
            }
            None if actor.has(Permission::MemberSelf) => {
                let m = self.own_member(&self.db, ctx).await?;
                let own = Scope::Paths(vec![m.org_path.clone()]);
                (self.org_in(&self.db, &own, m.org_id).await?, RequesterKind::Member, None)
            }
            None => return Err(AppError::field("org_id", "请选择代为提交的党组织")),
        };
        let county_path = county_of(&org.path).map(|c| format!("/{c}/")).ok_or_else(AppError::forbidden)?;
        let county = Scope::Paths(vec![county_path.clone()]);
        let mut e = FieldErrors::new();
        let title = required_text(&input.title, "诉求标题", 60).map_err(|m| e.add("title", m)).ok();
        let description = required_text(&input.description, "诉求内容", 2000).map_err(|m| e.add("description", m)).ok();
        let category = requests::category(&self.db, &county, input.category_id).await?;
        if category.is_none() {
            e.add("category_id", "请选择本县（市）的诉求类别");
        }
        let host = match input.host_id {
            _ if own_host.is_some() => own_host,
            // A member's own request is theirs: naming an enterprise would show it to its contacts.
            Some(_) if kind == RequesterKind::Member => {
                e.add("host_id", "党员本人提出的诉求不关联企业；为企业提出请由所在党组织代办");
                None
            }
            Some(h) => match self.request_hosts_of(&org).await?.into_iter().find(|x| x.id == h) {
                Some(h) => Some(h),
                None => {
                    e.add("host_id", "请从本组织覆盖台账中选择企业");
                    None
                }
            },
            None if kind == RequesterKind::Branch => {
                e.add("host_id", "代企业提交时请选择企业");
                None
            }
            None => None,
        };
        e.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let asker = Asker {
            kind,
            id: Some(actor.user_id),
            name: actor.display_name.clone(),
            org_id: org.id,
            org_path: org.path.clone(),
            host: host.map(|h| (h.id, h.name)),
        };
        let (title, description) = (title.expect("validated"), description.expect("validated"));
        let r = self.file_request(&txn, county_path, &category.expect("validated"), asker, title, description).await?;
        requests::add_event(&txn, &r, (Some(actor.user_id), &actor.display_name), "submit", None, "").await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("request.submit", "service_request", r.id)
                .with(serde_json::json!({"category_id": r.category_id, "department_id": r.department_id})),
        )
        .await?;
        txn.commit().await?;
        self.request_detail_of(ctx, r).await
    }

    /// Files a new request in `category` today, due after the category's limit in the county's working
    /// days.
    pub(crate) async fn file_request(
        &self,
        txn: &impl ConnectionTrait,
        county_path: String,
        category: &Category,
        asker: Asker,
        title: String,
        description: String,
    ) -> AppResult<ServiceRequest> {
        let today = crate::today();
        let cal = self.work_calendar(txn, &county_path, today).await?;
        let now = chrono::Utc::now();
        let (host_id, host_name) = match asker.host {
            Some((id, name)) => (Some(id), name),
            None => (None, String::new()),
        };
        Ok(requests::insert(
            txn,
            service_request::ActiveModel {
                county_path: Set(county_path),
                category_id: Set(category.id),
                department_id: Set(category.department_id),
                requester_kind: Set(asker.kind.code().into()),
                requester_id: Set(asker.id),
                requester_name: Set(asker.name),
                org_id: Set(asker.org_id),
                org_path: Set(asker.org_path),
                host_id: Set(host_id),
                host_name: Set(host_name),
                title: Set(title),
                description: Set(description),
                status: Set(RequestStatus::Submitted.code().into()),
                limit_days: Set(category.limit_days),
                submitted_on: Set(today),
                due_on: Set(cal.add_working_days(today, category.limit_days.max(0) as u32)),
                accepted_on: Set(None),
                answered_on: Set(None),
                closed_on: Set(None),
                reply: Set(String::new()),
                rating: Set(None),
                rating_comment: Set(String::new()),
                reopened: Set(false),
                escalated_on: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            },
        )
        .await?)
    }

    /// The enterprises an organisation may ask for: those registered in its subtree and those it covers.
    pub(crate) async fn request_hosts_of(
        &self,
        org: &honglian_store::repo::organisations::orgs::Org,
    ) -> AppResult<Vec<hosts::Host>> {
        let mut list = hosts::list(
            &self.db,
            &Scope::Paths(vec![org.path.clone()]),
            &hosts::HostFilter::default(),
            PageReq::new(Some(1), Some(PerPage::MAX)),
        )
        .await?
        .items;
        let county = county_of(&org.path).map(|c| format!("/{c}/")).unwrap_or_default();
        for h in hosts::covered_by(&self.db, &Scope::Paths(vec![county]), org.id).await? {
            if !list.iter().any(|x| x.id == h.id) {
                list.push(h);
            }
        }
        Ok(list)
    }

    /// The enterprises one of my organisations may submit a request for.
    pub async fn request_hosts(&self, ctx: &Ctx, q: HostsQuery) -> AppResult<Vec<HostName>> {
        let scope = ctx.actor()?.scope(Permission::RequestSubmit)?;
        let org = self.org_in(&self.db, &scope, q.org.get()).await?;
        Ok(self.request_hosts_of(&org).await?.into_iter().map(|h| HostName { id: h.id, name: h.name }).collect())
    }

    /// Adds a document or photo to a request: either side may, until it is closed.
    pub async fn request_file_add(
        &self,
        ctx: &Ctx,
        id: i64,
        filename: &str,
        bytes: &[u8],
    ) -> AppResult<AttachmentView> {
        let actor = ctx.actor()?;
        let reach = self.request_reach(ctx)?;
        let r = requests::get(&self.db, &reach, id).await?.ok_or_else(|| AppError::not_found("诉求"))?;
        let sides = self.sides(ctx, &r);
        if !(sides.handler || sides.overseer || sides.requester) {
            return Err(AppError::forbidden());
        }
        let open_for_files = |r: &ServiceRequest, count: usize| {
            if status_of(r) == RequestStatus::Closed {
                Err(AppError::field("file", "诉求已办结，不能再上传附件"))
            } else if count >= MAX_REQUEST_FILES {
                Err(AppError::field("file", format!("每件诉求最多 {MAX_REQUEST_FILES} 个附件")))
            } else {
                Ok(())
            }
        };
        open_for_files(&r, files::list(&self.db, (&r).into()).await?.len())?;
        let f = self.store_file(&format!("requests/{}", r.id), filename, bytes).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        // Again inside the write: a rating may have closed it, another upload filled it, meanwhile.
        let r = requests::get(&txn, &reach, id).await?.ok_or_else(|| AppError::not_found("诉求"))?;
        if let Err(e) = open_for_files(&r, files::list(&txn, (&r).into()).await?.len()) {
            drop(txn);
            self.remove_stored_file(&f.key).await;
            return Err(e);
        }
        let saved = files::insert(&txn, (&r).into(), super::new_file(f, actor)).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("request.attachment", "service_request", r.id)
                .with(serde_json::json!({"file_id": saved.id, "size": saved.size})),
        )
        .await?;
        txn.commit().await?;
        Ok(attachment_view(saved))
    }

    /// The bytes of an attachment of a request the caller reaches.
    pub async fn request_file_get(&self, ctx: &Ctx, id: i64, file_id: i64) -> AppResult<(AttachmentView, Vec<u8>)> {
        let reach = self.request_reach(ctx)?;
        let r = requests::get(&self.db, &reach, id).await?.ok_or_else(|| AppError::not_found("诉求"))?;
        let f = files::get(&self.db, (&r).into(), file_id).await?.ok_or_else(|| AppError::not_found("附件"))?;
        let bytes = self.read_file(&f.key).await?;
        Ok((attachment_view(f), bytes))
    }

    /// Takes one step on a request: the handling department's (accept, ask for information, hand over,
    /// reply) or the requester's (supply information, rate, reopen once).
    pub async fn request_act(&self, ctx: &Ctx, id: i64, input: ActionInput) -> AppResult<RequestDetail> {
        let actor = ctx.actor()?;
        let reach = self.request_reach(ctx)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut r = requests::get(&txn, &reach, id).await?.ok_or_else(|| AppError::not_found("诉求"))?;
        // The history records the department the step was taken at.
        let before = r.clone();
        let action = input.action;
        if !self.actions_on(ctx, &r).contains(&action) {
            let rating = r.rating.as_deref().and_then(Rating::from_code);
            return Err(match request::allowed(status_of(&r), action, rating, r.reopened) {
                Err(m) => AppError::conflict(m),
                Ok(()) => AppError::Forbidden(format!("您不能对该诉求{}", action.label())),
            });
        }
        let today = crate::today();
        let note = optional_text(input.note.as_deref(), "说明", 2000)
            .map_err(|m| AppError::field("note", m))?
            .unwrap_or_default();
        let need_note = |what: &str| -> AppResult<()> {
            if note.is_empty() { Err(AppError::field("note", format!("请填写{what}"))) } else { Ok(()) }
        };
        let mut to_department = None;
        match action {
            RequestAction::Accept => {
                r.status = RequestStatus::Accepted.code().into();
                r.accepted_on = Some(today);
            }
            RequestAction::AskInfo => {
                need_note("需要补充的材料")?;
                r.status = RequestStatus::InfoNeeded.code().into();
            }
            RequestAction::Supply => {
                need_note("补充的材料或说明")?;
                // The clock starts again from the day the information arrives.
                let cal = self.work_calendar(&txn, &r.county_path, today).await?;
                r.due_on = cal.add_working_days(today, r.limit_days.max(0) as u32);
                r.status = if r.accepted_on.is_some() { RequestStatus::Accepted } else { RequestStatus::Submitted }
                    .code()
                    .into();
            }
            RequestAction::HandOver => {
                need_note("转办理由")?;
                let to = input.to_department_id.ok_or_else(|| AppError::field("to_department_id", "请选择转办部门"))?;
                let county = Scope::Paths(vec![r.county_path.clone()]);
                if to == r.department_id || departments::get(&txn, &county, to).await?.is_none() {
                    return Err(AppError::field("to_department_id", "请选择本县（市）的其他部门"));
                }
                to_department = Some(to);
                r.department_id = to;
                r.status = RequestStatus::Submitted.code().into();
                r.accepted_on = None;
            }
            RequestAction::Reply => {
                need_note("答复意见")?;
                r.reply = note.clone();
                r.status = RequestStatus::Answered.code().into();
                r.answered_on = Some(today);
                if r.accepted_on.is_none() {
                    r.accepted_on = Some(today);
                }
            }
            RequestAction::Rate => {
                let rating = input.rating.ok_or_else(|| AppError::field("rating", "请选择满意度"))?;
                if rating == Rating::Unsatisfied {
                    need_note("不满意的原因")?;
                }
                r.rating = Some(rating.code().into());
                r.rating_comment = note.clone();
                r.status = RequestStatus::Closed.code().into();
                r.closed_on = Some(today);
            }
            RequestAction::Reopen => {
                need_note("重新办理的理由")?;
                let cal = self.work_calendar(&txn, &r.county_path, today).await?;
                r.reopened = true;
                r.status = RequestStatus::Accepted.code().into();
                r.accepted_on = Some(today);
                r.due_on = cal.add_working_days(today, r.limit_days.max(0) as u32);
                r.answered_on = None;
                r.closed_on = None;
                r.rating = None;
                r.escalated_on = None;
            }
        }
        requests::add_event(
            &txn,
            &before,
            (Some(actor.user_id), &actor.display_name),
            action.code(),
            to_department,
            &note,
        )
        .await?;
        let r = requests::save(&txn, r).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("request.act", "service_request", r.id).with(
                serde_json::json!({"action": action.code(), "status": r.status, "department_id": r.department_id}),
            ),
        )
        .await?;
        txn.commit().await?;
        self.request_detail_of(ctx, r).await
    }

    /// Escalates open requests past their limit to their county (once each): a reminder to the county
    /// admins and to the department's handlers. Part of the hourly reminder job; idempotent.
    pub async fn escalate_requests(&self) -> AppResult<u64> {
        let today = crate::today();
        #[allow(clippy::disallowed_methods, reason = "the reminder job covers the whole deployment")]
        let everything = Scope::All(honglian_store::Unscoped::system());
        let late = requests::overdue_unescalated(&self.db, &everything, today).await?;
        if late.is_empty() {
            return Ok(0);
        }
        let counties = users::with_role(&self.db, "county_admin").await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut notes = Vec::new();
        let n = late.len() as u64;
        for mut r in late {
            requests::add_event(&txn, &r, (None, "系统"), "escalate", None, &format!("已超过办理时限（{}）", r.due_on))
                .await?;
            let mut to: Vec<i64> = counties
                .iter()
                .filter(|(_, root)| root.as_deref() == Some(r.county_path.as_str()))
                .map(|(u, _)| *u)
                .collect();
            to.extend(users::with_department(&txn, r.department_id).await?);
            for uid in to {
                notes.push(NewNotification {
                    user_id: uid,
                    kind: "request_overdue".into(),
                    title: "红链直通车诉求已逾期".into(),
                    body: format!("诉求“{}”应于 {} 前办结，已逾期，已提级督办。", r.title, r.due_on),
                    link: Some(format!("/services/requests?id={}", r.id)),
                    dedupe_key: format!("request-overdue:{}:{}", r.id, r.due_on),
                });
            }
            r.escalated_on = Some(today);
            requests::save(&txn, r).await?;
        }
        notifications::insert_new(&txn, notes).await?;
        txn.commit().await?;
        Ok(n)
    }

    /// The caller's county's request categories.
    pub async fn request_categories(&self, ctx: &Ctx) -> AppResult<Vec<CategoryView>> {
        let scope = match self.request_reach(ctx)?.departments.is_empty() {
            true => self.county_scope(ctx).await?,
            false => self.handler_county_scope(ctx)?,
        };
        let list = requests::categories(&self.db, &scope).await?;
        self.category_views(&self.db, list).await
    }

    /// A handler's counties (their grants name the county).
    fn handler_county_scope(&self, ctx: &Ctx) -> AppResult<Scope> {
        ctx.actor()?.scope(Permission::RequestHandle)
    }

    /// A category's name (unique in the county), department (of the county) and limit (1–60 working
    /// days), checked; `except` is the category being changed.
    async fn category_fields(
        &self,
        db: &impl ConnectionTrait,
        county: &Scope,
        input: &CategoryInput,
        except: Option<i64>,
    ) -> AppResult<(String, i32, usize)> {
        let mut e = FieldErrors::new();
        let name = required_text(&input.name, "类别名称", 30).map_err(|m| e.add("name", m)).ok();
        if !(1..=60).contains(&input.limit_days) {
            e.add("limit_days", "办理时限应为 1–60 个工作日");
        }
        if departments::get(db, county, input.department_id).await?.is_none() {
            e.add("department_id", "请选择本县（市）的部门");
        }
        let existing = requests::categories(db, county).await?;
        if let Some(n) = &name
            && existing.iter().any(|c| &c.name == n && Some(c.id) != except)
        {
            e.add("name", format!("已有类别“{n}”"));
        }
        e.into_result()?;
        Ok((name.expect("validated"), input.limit_days, existing.len()))
    }

    /// Adds a category to the caller's county, routed to one of its departments (county admins).
    pub async fn request_category_create(&self, ctx: &Ctx, input: CategoryInput) -> AppResult<CategoryView> {
        let county = self.writer_county(ctx, Permission::RequestOversee)?;
        let county_path = format!("/{county}/");
        let scope = Scope::Paths(vec![county_path.clone()]);
        let txn = honglian_store::begin_write(&self.db).await?;
        let (name, limit, n) = self.category_fields(&txn, &scope, &input, None).await?;
        let c = requests::insert_category(&txn, &county_path, &name, input.department_id, limit, n as i32 + 1).await?;
        self.category_saved(txn, ctx, c).await
    }

    /// Changes a category's name, department or limit (requests already submitted keep theirs).
    pub async fn request_category_update(&self, ctx: &Ctx, id: i64, input: CategoryInput) -> AppResult<CategoryView> {
        let scope = ctx.actor()?.scope(Permission::RequestOversee)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let current = requests::category(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("诉求类别"))?;
        let county = Scope::Paths(vec![current.county_path.clone()]);
        let (name, limit, _) = self.category_fields(&txn, &county, &input, Some(id)).await?;
        let c = requests::update_category(&txn, current, &name, input.department_id, limit).await?;
        self.category_saved(txn, ctx, c).await
    }

    async fn category_saved(&self, txn: honglian_store::WriteTxn, ctx: &Ctx, c: Category) -> AppResult<CategoryView> {
        self.audit(
            &txn,
            ctx,
            Event::ok("request.category", "request_category", c.id).with(
                serde_json::json!({"name": c.name, "department_id": c.department_id, "limit_days": c.limit_days}),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(self.category_views(&self.db, vec![c]).await?.remove(0))
    }

    /// The caller's county's holidays and 调休 days of a year.
    pub async fn work_calendar_get(&self, ctx: &Ctx, q: FiguresQuery) -> AppResult<CalendarYear> {
        let scope = self.county_scope(ctx).await?;
        let Scope::Paths(paths) = scope else { return Err(AppError::forbidden()) };
        let year = q.year.map(Year::get).unwrap_or_else(|| crate::today().year());
        let (from, to) = year_bounds(year)?;
        let days = requests::calendar(&self.db, &paths[0], from, to).await?;
        Ok(CalendarYear {
            year,
            holidays: days.iter().filter(|d| !d.working).map(|d| d.day).collect(),
            workdays: days.iter().filter(|d| d.working).map(|d| d.day).collect(),
        })
    }

    /// Sets the county's holidays and 调休 days of a year (county admins). Requests already submitted
    /// keep their due day.
    pub async fn work_calendar_set(&self, ctx: &Ctx, input: CalendarYear) -> AppResult<CalendarYear> {
        let county = self.writer_county(ctx, Permission::RequestOversee)?;
        if !(2000..=2100).contains(&input.year) {
            return Err(AppError::field("year", "年度应在 2000–2100 之间"));
        }
        if input.holidays.len() > 366 || input.workdays.len() > 366 {
            return Err(AppError::field("holidays", "一年最多 366 天"));
        }
        let (from, to) = year_bounds(input.year)?;
        let mut e = FieldErrors::new();
        if let Some(d) = input.holidays.iter().chain(&input.workdays).find(|d| **d < from || **d > to) {
            e.add("holidays", format!("{d} 不在 {} 年内", input.year));
        }
        if let Some(d) =
            input.holidays.iter().find(|d| matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun))
        {
            e.add("holidays", format!("{d} 是周末，本来就不上班；节假日只需列出放假的工作日"));
        }
        if let Some(d) =
            input.workdays.iter().find(|d| !matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun))
        {
            e.add("workdays", format!("{d} 是工作日；调休上班日应是周六或周日"));
        }
        e.into_result()?;
        let mut days: Vec<(NaiveDate, bool, String)> =
            input.holidays.iter().map(|d| (*d, false, "法定节假日".to_string())).collect();
        days.extend(input.workdays.iter().map(|d| (*d, true, "调休上班".to_string())));
        days.sort();
        days.dedup_by_key(|d| d.0);
        let txn = honglian_store::begin_write(&self.db).await?;
        requests::replace_calendar(&txn, &format!("/{county}/"), from, to, &days).await?;
        self.audit(&txn, ctx, Event::ok("request.calendar", "setting", county).with(serde_json::json!({"year": input.year, "holidays": input.holidays.len(), "workdays": input.workdays.len()}))).await?;
        txn.commit().await?;
        Ok(CalendarYear {
            year: input.year,
            holidays: days.iter().filter(|d| !d.1).map(|d| d.0).collect(),
            workdays: days.iter().filter(|d| d.1).map(|d| d.0).collect(),
        })
    }

    /// Received, on time, overdue, average handling time and satisfaction by department and category
    /// for a year of the caller's county (county admins).
    pub async fn request_figures(&self, ctx: &Ctx, q: FiguresQuery) -> AppResult<RequestFigures> {
        let scope = ctx.actor()?.scope(Permission::RequestOversee)?;
        let year = q.year.map(Year::get).unwrap_or_else(|| crate::today().year());
        let (from, to) = year_bounds(year)?;
        let Scope::Paths(paths) = &scope else { return Err(AppError::forbidden()) };
        let county_path = paths
            .iter()
            .find(|p| p.matches('/').count() == 2)
            .cloned()
            .ok_or_else(|| AppError::Forbidden("统计须由县级管理员查看".into()))?;
        let county = Scope::Paths(vec![county_path.clone()]);
        let rows = requests::figures(&self.db, &county, from, to).await?;
        let depts = departments::list(&self.db, &county).await?;
        let cats = requests::categories(&self.db, &county).await?;
        let today = crate::today();
        let cal = self.work_calendar(&self.db, &county_path, from).await?;
        let mut total = FigureRow { name: "合计".into(), ..Default::default() };
        let mut by_dept: HashMap<i64, FigureRow> = HashMap::new();
        let mut by_cat: HashMap<i64, FigureRow> = HashMap::new();
        let mut days: HashMap<(u8, i64), u64> = HashMap::new();
        for (dept, cat, status, submitted, due, answered, rating) in rows {
            for (k, row) in [
                (0u8, dept, &mut total),
                (1, dept, by_dept.entry(dept).or_default()),
                (2, cat, by_cat.entry(cat).or_default()),
            ]
            .into_iter()
            .map(|(k, id, row)| ((k, if k == 0 { 0 } else { id }), row))
            {
                row.received += 1;
                let open = matches!(status.as_str(), "submitted" | "accepted" | "info_needed");
                if let Some(a) = answered {
                    row.answered += 1;
                    *days.entry(k).or_default() += cal.working_days_between(submitted, a) as u64;
                    if a <= due {
                        row.on_time += 1;
                    } else {
                        row.overdue += 1;
                    }
                } else if open && today > due && status != "info_needed" {
                    row.overdue += 1;
                }
                match rating.as_deref() {
                    Some("satisfied") => row.satisfied += 1,
                    Some("basic") => row.basic += 1,
                    Some("unsatisfied") => row.unsatisfied += 1,
                    _ => {}
                }
            }
        }
        let finish = |key: (u8, i64), mut row: FigureRow, id: i64, name: String| {
            row.id = id;
            row.name = name;
            if row.answered > 0 {
                let d = days.get(&key).copied().unwrap_or(0);
                row.avg_days_tenths = (d * 10 * 2 + row.answered) / (row.answered * 2);
            }
            let rated = row.satisfied + row.basic + row.unsatisfied;
            row.satisfaction_pct = (rated > 0).then(|| ((row.satisfied + row.basic) * 100 * 2 + rated) / (rated * 2));
            row
        };
        let by_department = depts
            .iter()
            .map(|d| finish((1, d.id), by_dept.remove(&d.id).unwrap_or_default(), d.id, d.name.clone()))
            .collect();
        let by_category = cats
            .iter()
            .map(|c| finish((2, c.id), by_cat.remove(&c.id).unwrap_or_default(), c.id, c.name.clone()))
            .collect();
        Ok(RequestFigures { year, total: finish((0, 0), total, 0, "合计".into()), by_department, by_category })
    }

    /// The year's figures by department as a print-ready xlsx or PDF (audited).
    pub async fn request_figures_report(&self, ctx: &Ctx, q: FiguresQuery, format: ReportFormat) -> AppResult<Export> {
        let f = self.request_figures(ctx, q).await?;
        let actor = ctx.actor()?;
        let today = crate::today();
        let pct = |p: Option<u64>| p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into());
        let days = |t: u64| format!("{}.{}", t / 10, t % 10);
        let rows: Vec<Vec<String>> = f
            .by_department
            .iter()
            .filter(|r| r.received > 0)
            .chain(std::iter::once(&f.total))
            .map(|r| {
                vec![
                    r.name.clone(),
                    r.received.to_string(),
                    r.answered.to_string(),
                    r.on_time.to_string(),
                    r.overdue.to_string(),
                    days(r.avg_days_tenths),
                    r.satisfied.to_string(),
                    r.basic.to_string(),
                    r.unsatisfied.to_string(),
                    pct(r.satisfaction_pct),
                ]
            })
            .collect();
        let year = f.year;
        let report = Report {
            title: format!("{year}年“红链直通车”诉求办理情况统计表"),
            sheet: format!("{year}年红链直通车"),
            unit: "县委组织部（两新工委）".into(),
            date: today.to_string(),
            intro: vec![format!(
                "导出人：{}    全年受理 {} 件，按时办结 {} 件，逾期 {} 件，满意率 {}",
                actor.display_name,
                f.total.received,
                f.total.on_time,
                f.total.overdue,
                pct(f.total.satisfaction_pct)
            )],
            columns: vec![
                Column::new("部门", 24.0),
                Column::new("受理", 7.0).fit("99999").center(),
                Column::new("答复", 7.0).fit("99999").center(),
                Column::new("按时", 7.0).fit("99999").center(),
                Column::new("逾期", 7.0).fit("99999").center(),
                Column::new("平均用时（工作日）", 10.0).fit("999.9").center(),
                Column::new("满意", 7.0).fit("99999").center(),
                Column::new("基本满意", 8.0).fit("99999").center(),
                Column::new("不满意", 7.0).fit("99999").center(),
                Column::new("满意率", 8.0).fit("100%").center(),
            ],
            landscape: true,
        };
        let (file, written) = report_file(report, format, rows).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("request.figures_export", "service_request", year.to_string())
                .with(serde_json::json!({"rows": written, "format": format.extension()})),
        )
        .await?;
        txn.commit().await?;
        Ok(Export {
            filename: format!("{year}年红链直通车诉求办理统计-{today}.{}", format.extension()),
            file,
            rows: written,
        })
    }
}
