//! 红链直通车 service requests: who reaches which (the requester, the asking organisation's subtree,
//! the handling department, the county), their history, categories and the working-day calendar.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::Scope;
use crate::entity::services::{request_category, service_request, service_request_event, work_calendar_day};
use crate::repo::{Page, PageReq};

pub use request_category::Model as Category;
pub use service_request::Model as ServiceRequest;
pub use service_request_event::Model as RequestEvent;
pub use work_calendar_day::Model as CalendarDay;

/// Whose requests a caller reaches, each part from their grants: those asked by organisations in
/// `orgs` (a branch's own, on an enterprise's behalf), those of counties in `county` (the county
/// admin oversees them), those routed to `departments` (a handler's), those for the enterprises in
/// `hosts` (an enterprise contact's) and their own (`requester`).
#[derive(Debug, Clone)]
pub struct Reach {
    pub orgs: Scope,
    pub county: Scope,
    pub departments: Vec<i64>,
    pub hosts: Vec<i64>,
    pub requester: Option<i64>,
}

impl Reach {
    /// Only the parts the caller holds, so that each is an indexed range (an empty part's "1 = 0" in
    /// an OR kept SQLite from using the department's index: a handler's list scanned every request).
    fn condition(&self) -> Condition {
        let mut any = Condition::any();
        if self.orgs != Scope::none() {
            any = any.add(self.orgs.condition(service_request::Column::OrgPath));
        }
        if self.county != Scope::none() {
            any = any.add(self.county.condition(service_request::Column::CountyPath));
        }
        if !self.departments.is_empty() {
            any = any.add(service_request::Column::DepartmentId.is_in(self.departments.iter().copied()));
        }
        if !self.hosts.is_empty() {
            any = any.add(service_request::Column::HostId.is_in(self.hosts.iter().copied()));
        }
        if let Some(u) = self.requester {
            any = any.add(service_request::Column::RequesterId.eq(u));
        }
        any
    }

    /// The sort keys (id, status, due day, submission day) of the requests reached and kept by `f`: one
    /// read per part, united. Each part reads an index that holds the keys, so neither the count nor the
    /// order of a page touches the table (whose long texts put `status` in overflow pages: a department's
    /// list read every page of the table). `None` when the caller reaches nothing.
    fn keys(&self, f: &RequestFilter) -> Option<sea_orm::sea_query::SelectStatement> {
        use sea_orm::sea_query::{Query, UnionType};
        use service_request::Column as C;
        let part = |reach: Condition| {
            let mut c = Condition::all().add(reach);
            if !f.statuses.is_empty() {
                c = c.add(C::Status.is_in(f.statuses.iter().cloned()));
            }
            if let Some(d) = f.department_id {
                c = c.add(C::DepartmentId.eq(d));
            }
            if let Some(cat) = f.category_id {
                c = c.add(C::CategoryId.eq(cat));
            }
            if let Some(day) = f.overdue_on {
                c = c.add(C::Status.is_in(["submitted", "accepted"])).add(C::DueOn.lt(day));
            }
            if let Some((from, to)) = f.submitted {
                c = c.add(C::SubmittedOn.gte(from)).add(C::SubmittedOn.lte(to));
            }
            if let Some(u) = f.mine {
                c = c.add(C::RequesterId.eq(u));
            }
            Query::select()
                .columns([C::Id, C::Status, C::DueOn, C::SubmittedOn])
                .from(service_request::Entity)
                .cond_where(c)
                .to_owned()
        };
        let mut parts = Vec::new();
        if self.orgs != Scope::none() {
            parts.push(part(self.orgs.condition(C::OrgPath)));
        }
        if self.county != Scope::none() {
            parts.push(part(self.county.condition(C::CountyPath)));
        }
        if !self.departments.is_empty() {
            parts.push(part(Condition::all().add(C::DepartmentId.is_in(self.departments.iter().copied()))));
        }
        if !self.hosts.is_empty() {
            parts.push(part(Condition::all().add(C::HostId.is_in(self.hosts.iter().copied()))));
        }
        if let Some(u) = self.requester {
            parts.push(part(Condition::all().add(C::RequesterId.eq(u))));
        }
        let mut parts = parts.into_iter();
        let mut first = parts.next()?;
        for p in parts {
            first.union(UnionType::Distinct, p);
        }
        Some(first)
    }
}

pub async fn insert(db: &impl ConnectionTrait, r: service_request::ActiveModel) -> Result<ServiceRequest, DbErr> {
    r.insert(db).await
}

/// Writes every field of `r` back.
pub async fn save(db: &impl ConnectionTrait, mut r: ServiceRequest) -> Result<ServiceRequest, DbErr> {
    r.updated_at = Utc::now();
    let am: service_request::ActiveModel = r.into();
    am.reset_all().update(db).await
}

/// The request if the caller reaches it, else `None`.
pub async fn get(db: &impl ConnectionTrait, reach: &Reach, id: i64) -> Result<Option<ServiceRequest>, DbErr> {
    service_request::Entity::find_by_id(id).filter(reach.condition()).one(db).await
}

/// What a list asks for besides the reach.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub statuses: Vec<String>,
    pub department_id: Option<i64>,
    pub category_id: Option<i64>,
    /// Open and past the limit on this day.
    pub overdue_on: Option<NaiveDate>,
    /// Submitted within these days (inclusive).
    pub submitted: Option<(NaiveDate, NaiveDate)>,
    pub mine: Option<i64>,
}

/// Open ones first, the most urgent first; then answered and closed ones, the newest first.
const ORDER: [(&str, sea_orm::Order); 4] = [
    ("CASE WHEN status IN ('submitted', 'accepted', 'info_needed') THEN 0 ELSE 1 END", sea_orm::Order::Asc),
    ("CASE WHEN status IN ('submitted', 'accepted', 'info_needed') THEN due_on END", sea_orm::Order::Asc),
    ("submitted_on", sea_orm::Order::Desc),
    ("id", sea_orm::Order::Desc),
];

/// A page of the requests the caller reaches, the most urgent first (open ones by due day): counted and
/// ordered on the sort keys alone, then the page's rows read by id.
pub async fn list(
    db: &impl ConnectionTrait,
    reach: &Reach,
    f: &RequestFilter,
    page: PageReq,
) -> Result<Page<ServiceRequest>, DbErr> {
    use sea_orm::sea_query::{Alias, Query};
    let Some(keys) = reach.keys(f) else { return Ok(Page { items: Vec::new(), total: 0 }) };
    let b = db.get_database_backend();
    let count = Query::select().expr(Expr::cust("COUNT(*)")).from_subquery(keys.clone(), Alias::new("k")).to_owned();
    let total: i64 = match db.query_one_raw(b.build(&count)).await? {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    let mut ids = Query::select();
    ids.column(Alias::new("id")).from_subquery(keys, Alias::new("k"));
    for (expr, order) in ORDER {
        ids.order_by_expr(Expr::cust(expr), order);
    }
    ids.limit(page.per_page).offset(page.offset());
    let ids: Vec<i64> =
        db.query_all_raw(b.build(&ids)).await?.into_iter().map(|r| r.try_get_by_index(0)).collect::<Result<_, _>>()?;
    // Still within the reach: a request handed to another department since the ids were read is left out.
    let mut items = service_request::Entity::find()
        .filter(service_request::Column::Id.is_in(ids.iter().copied()))
        .filter(reach.condition())
        .all(db)
        .await?;
    items.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
    Ok(Page { items, total: total.max(0) as u64 })
}

/// The figures' inputs for requests submitted within `from..=to` in `county`:
/// (department, category, status, submitted, due, answered, rating).
#[allow(clippy::type_complexity)]
pub async fn figures(
    db: &impl ConnectionTrait,
    county: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(i64, i64, String, NaiveDate, NaiveDate, Option<NaiveDate>, Option<String>)>, DbErr> {
    use service_request::Column as C;
    service_request::Entity::find()
        .select_only()
        .columns([C::DepartmentId, C::CategoryId, C::Status, C::SubmittedOn, C::DueOn, C::AnsweredOn, C::Rating])
        .filter(county.condition(C::CountyPath))
        .filter(C::SubmittedOn.gte(from))
        .filter(C::SubmittedOn.lte(to))
        .into_tuple()
        .all(db)
        .await
}

/// Open requests past their limit that have not been escalated, across the deployment (the reminder
/// job, with its reasoned `Unscoped`).
pub async fn overdue_unescalated(
    db: &impl ConnectionTrait,
    everything: &Scope,
    today: NaiveDate,
) -> Result<Vec<ServiceRequest>, DbErr> {
    use service_request::Column as C;
    service_request::Entity::find()
        .filter(everything.condition(C::CountyPath))
        .filter(C::Status.is_in(["submitted", "accepted"]))
        .filter(C::DueOn.lt(today))
        .filter(C::EscalatedOn.is_null())
        .all(db)
        .await
}

pub async fn add_event(
    db: &impl ConnectionTrait,
    request: &ServiceRequest,
    actor: (Option<i64>, &str),
    action: &str,
    to_department: Option<i64>,
    note: &str,
) -> Result<RequestEvent, DbErr> {
    service_request_event::ActiveModel {
        request_id: Set(request.id),
        at: Set(Utc::now()),
        actor_id: Set(actor.0),
        actor_name: Set(actor.1.to_string()),
        action: Set(action.to_string()),
        department_id: Set(request.department_id),
        to_department_id: Set(to_department),
        note: Set(note.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Dates a step of the demo's history on the day it happened (09:30 Beijing time).
pub async fn set_event_time(db: &impl ConnectionTrait, e: RequestEvent, on: NaiveDate) -> Result<RequestEvent, DbErr> {
    let mut am: service_request_event::ActiveModel = e.into();
    am.at = Set(on.and_hms_opt(1, 30, 0).expect("a valid time").and_utc());
    am.update(db).await
}

/// A request's history, oldest first (the request already reached).
pub async fn events(db: &impl ConnectionTrait, request: &ServiceRequest) -> Result<Vec<RequestEvent>, DbErr> {
    service_request_event::Entity::find()
        .filter(service_request_event::Column::RequestId.eq(request.id))
        .order_by_asc(service_request_event::Column::At)
        .order_by_asc(service_request_event::Column::Id)
        .all(db)
        .await
}

// ---------------------------------------------------------------- categories

/// The categories of the counties in `scope`, in their order.
pub async fn categories(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<Category>, DbErr> {
    request_category::Entity::find()
        .filter(scope.condition(request_category::Column::CountyPath))
        .order_by_asc(request_category::Column::Sort)
        .order_by_asc(request_category::Column::Id)
        .all(db)
        .await
}

pub async fn category(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Category>, DbErr> {
    request_category::Entity::find_by_id(id).filter(scope.condition(request_category::Column::CountyPath)).one(db).await
}

pub async fn insert_category(
    db: &impl ConnectionTrait,
    county_path: &str,
    name: &str,
    department_id: i64,
    limit_days: i32,
    sort: i32,
) -> Result<Category, DbErr> {
    request_category::ActiveModel {
        county_path: Set(county_path.to_string()),
        name: Set(name.to_string()),
        department_id: Set(department_id),
        limit_days: Set(limit_days),
        sort: Set(sort),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn update_category(
    db: &impl ConnectionTrait,
    current: Category,
    name: &str,
    department_id: i64,
    limit_days: i32,
) -> Result<Category, DbErr> {
    let mut am: request_category::ActiveModel = current.into();
    am.name = Set(name.to_string());
    am.department_id = Set(department_id);
    am.limit_days = Set(limit_days);
    am.update(db).await
}

// ---------------------------------------------------------------- the calendar

/// The county's exceptions to the Monday–Friday week within `from..=to`.
pub async fn calendar(
    db: &impl ConnectionTrait,
    county_path: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<CalendarDay>, DbErr> {
    work_calendar_day::Entity::find()
        .filter(work_calendar_day::Column::CountyPath.eq(county_path))
        .filter(work_calendar_day::Column::Day.gte(from))
        .filter(work_calendar_day::Column::Day.lte(to))
        .order_by_asc(work_calendar_day::Column::Day)
        .all(db)
        .await
}

/// Replaces the county's exceptions within `from..=to` by `days` (day, working, note).
pub async fn replace_calendar(
    db: &impl ConnectionTrait,
    county_path: &str,
    from: NaiveDate,
    to: NaiveDate,
    days: &[(NaiveDate, bool, String)],
) -> Result<(), DbErr> {
    work_calendar_day::Entity::delete_many()
        .filter(work_calendar_day::Column::CountyPath.eq(county_path))
        .filter(work_calendar_day::Column::Day.gte(from))
        .filter(work_calendar_day::Column::Day.lte(to))
        .exec(db)
        .await?;
    for (day, working, note) in days {
        work_calendar_day::ActiveModel {
            county_path: Set(county_path.to_string()),
            day: Set(*day),
            working: Set(*working),
            note: Set(note.clone()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
