//! 送政策、送服务、送温暖 outreach visits: the visits of organisations in a scope, the policies and
//! requests each delivered, and the inputs of the figures by month.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::Scope;
use crate::entity::services::{outreach_link, outreach_visit};
use crate::repo::{Page, PageReq};

pub use outreach_link::Model as OutreachLink;
pub use outreach_visit::Model as OutreachVisit;

/// The editable fields, validated by the caller (`kinds` as JSON).
#[derive(Debug, Clone)]
pub struct VisitFields {
    pub county_path: String,
    pub org_id: i64,
    pub org_path: String,
    pub host_id: Option<i64>,
    pub host_name: String,
    pub visited_on: NaiveDate,
    pub kinds: String,
    pub visitors: String,
    pub summary: String,
}

fn set_fields(am: &mut outreach_visit::ActiveModel, f: VisitFields) {
    am.county_path = Set(f.county_path);
    am.org_id = Set(f.org_id);
    am.org_path = Set(f.org_path);
    am.host_id = Set(f.host_id);
    am.host_name = Set(f.host_name);
    am.visited_on = Set(f.visited_on);
    am.kinds = Set(f.kinds);
    am.visitors = Set(f.visitors);
    am.summary = Set(f.summary);
    am.updated_at = Set(Utc::now());
}

pub async fn insert(db: &impl ConnectionTrait, f: VisitFields, by: Option<i64>) -> Result<OutreachVisit, DbErr> {
    let mut am = outreach_visit::ActiveModel { created_by: Set(by), created_at: Set(Utc::now()), ..Default::default() };
    set_fields(&mut am, f);
    am.insert(db).await
}

pub async fn update(db: &impl ConnectionTrait, current: OutreachVisit, f: VisitFields) -> Result<OutreachVisit, DbErr> {
    let mut am: outreach_visit::ActiveModel = current.into();
    set_fields(&mut am, f);
    am.update(db).await
}

/// Deletes a visit (already reached) and its links.
pub async fn delete(db: &impl ConnectionTrait, v: OutreachVisit) -> Result<(), DbErr> {
    outreach_link::Entity::delete_many().filter(outreach_link::Column::VisitId.eq(v.id)).exec(db).await?;
    outreach_visit::Entity::delete_by_id(v.id).exec(db).await?;
    Ok(())
}

/// The visit if its organisation lies in `scope`, else `None`.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<OutreachVisit>, DbErr> {
    outreach_visit::Entity::find_by_id(id).filter(scope.condition(outreach_visit::Column::OrgPath)).one(db).await
}

/// What a list asks for besides the scope.
#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    pub host_id: Option<i64>,
    /// Visits that delivered this kind (a code).
    pub kind: Option<String>,
    /// Visited within these days (inclusive).
    pub between: Option<(NaiveDate, NaiveDate)>,
}

/// A page of the visits of organisations in `scope`, the newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    f: &VisitFilter,
    page: PageReq,
) -> Result<Page<OutreachVisit>, DbErr> {
    use outreach_visit::Column as C;
    let mut q = outreach_visit::Entity::find().filter(scope.condition(C::OrgPath));
    if let Some(h) = f.host_id {
        q = q.filter(C::HostId.eq(h));
    }
    if let Some(k) = &f.kind {
        q = q.filter(C::Kinds.like(format!("%\"{k}\"%")));
    }
    if let Some((from, to)) = f.between {
        q = q.filter(C::VisitedOn.gte(from)).filter(C::VisitedOn.lte(to));
    }
    let total = q.clone().count(db).await?;
    let items =
        q.order_by_desc(C::VisitedOn).order_by_desc(C::Id).limit(page.per_page).offset(page.offset()).all(db).await?;
    Ok(Page { items, total })
}

/// The day and kinds of every visit in `scope` within `from..=to` (the figures' input).
pub async fn days_and_kinds(
    db: &impl ConnectionTrait,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, String)>, DbErr> {
    use outreach_visit::Column as C;
    outreach_visit::Entity::find()
        .select_only()
        .columns([C::VisitedOn, C::Kinds])
        .filter(scope.condition(C::OrgPath))
        .filter(C::VisitedOn.gte(from))
        .filter(C::VisitedOn.lte(to))
        .into_tuple()
        .all(db)
        .await
}

/// The links of these visits (already reached).
pub async fn links(db: &impl ConnectionTrait, visit_ids: &[i64]) -> Result<Vec<OutreachLink>, DbErr> {
    if visit_ids.is_empty() {
        return Ok(vec![]);
    }
    outreach_link::Entity::find()
        .filter(outreach_link::Column::VisitId.is_in(visit_ids.iter().copied()))
        .order_by_asc(outreach_link::Column::Id)
        .all(db)
        .await
}

/// Replaces a visit's links by `targets` (kind, id), each once.
pub async fn set_links(db: &impl ConnectionTrait, visit_id: i64, targets: &[(&str, i64)]) -> Result<(), DbErr> {
    outreach_link::Entity::delete_many().filter(outreach_link::Column::VisitId.eq(visit_id)).exec(db).await?;
    let mut seen = std::collections::BTreeSet::new();
    for (kind, id) in targets {
        if seen.insert((*kind, *id)) {
            outreach_link::ActiveModel {
                visit_id: Set(visit_id),
                kind: Set(kind.to_string()),
                target_id: Set(*id),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// The visits in `scope` that delivered this policy or request, the newest first.
pub async fn linked_to(
    db: &impl ConnectionTrait,
    scope: &Scope,
    kind: &str,
    target_id: i64,
) -> Result<Vec<OutreachVisit>, DbErr> {
    use sea_orm::sea_query::Query;
    let ids = Query::select()
        .column(outreach_link::Column::VisitId)
        .from(outreach_link::Entity)
        .and_where(outreach_link::Column::Kind.eq(kind))
        .and_where(outreach_link::Column::TargetId.eq(target_id))
        .to_owned();
    outreach_visit::Entity::find()
        .filter(outreach_visit::Column::Id.in_subquery(ids))
        .filter(scope.condition(outreach_visit::Column::OrgPath))
        .order_by_desc(outreach_visit::Column::VisitedOn)
        .all(db)
        .await
}
