//! Outflow reports (外出报备): a member's own report that they are leaving, the home organisation's
//! queue of proposed outflows and its decisions.

use chrono::Utc;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::Scope;
use crate::entity::members::{member, outflow_report};
use crate::repo::{Page, PageReq};

use outflow_report::ActiveModel as OutflowReportActive;
pub use outflow_report::Model as OutflowReport;

/// A report as the member sends it: waiting for the home organisation (proposed, nothing decided).
pub struct NewReport {
    pub member_id: i64,
    pub org_id: i64,
    /// leave | return
    pub kind: &'static str,
    pub province_code: String,
    pub city_code: String,
    pub county_code: Option<String>,
    pub address_enc: Option<String>,
    pub employer: Option<String>,
    pub occupation: Option<String>,
    pub reason: String,
    pub start_date: chrono::NaiveDate,
    pub expected_return: Option<chrono::NaiveDate>,
    pub note_enc: Option<String>,
    pub phone_changed: bool,
    /// A return report: the open outflow it closes.
    pub mobility_record_id: Option<i64>,
}

pub async fn insert(db: &impl ConnectionTrait, r: NewReport) -> Result<OutflowReport, DbErr> {
    let now = Utc::now();
    OutflowReportActive {
        member_id: Set(r.member_id),
        org_id: Set(r.org_id),
        kind: Set(r.kind.into()),
        province_code: Set(r.province_code),
        city_code: Set(r.city_code),
        county_code: Set(r.county_code),
        address_enc: Set(r.address_enc),
        employer: Set(r.employer),
        occupation: Set(r.occupation),
        reason: Set(r.reason),
        start_date: Set(r.start_date),
        expected_return: Set(r.expected_return),
        note_enc: Set(r.note_enc),
        phone_changed: Set(r.phone_changed),
        status: Set("proposed".into()),
        decline_reason: Set(None),
        mobility_record_id: Set(r.mobility_record_id),
        decided_by: Set(None),
        decided_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The report if `scope` reaches its member (see [`crate::repo::members::registry::get`]), else `None`.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<OutflowReport>, DbErr> {
    match outflow_report::Entity::find_by_id(id).one(db).await? {
        Some(r) if crate::repo::members::registry::get(db, scope, r.member_id).await?.is_some() => Ok(Some(r)),
        _ => Ok(None),
    }
}

/// A member's reports, newest first.
pub async fn of_member(db: &impl ConnectionTrait, member_id: i64) -> Result<Vec<OutflowReport>, DbErr> {
    outflow_report::Entity::find()
        .filter(outflow_report::Column::MemberId.eq(member_id))
        .order_by_desc(outflow_report::Column::Id)
        .limit(50)
        .all(db)
        .await
}

/// The member's report still waiting for a decision, if any.
pub async fn pending_of(db: &impl ConnectionTrait, member_id: i64) -> Result<Option<OutflowReport>, DbErr> {
    outflow_report::Entity::find()
        .filter(outflow_report::Column::MemberId.eq(member_id))
        .filter(outflow_report::Column::Status.eq("proposed"))
        .one(db)
        .await
}

/// Reports of the members whose organisation lies in `scope` (the home organisation's queue), oldest
/// waiting first; `status` narrows them.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    status: Option<&str>,
    page: PageReq,
) -> Result<Page<OutflowReport>, DbErr> {
    let members_in_scope = Query::select()
        .column(member::Column::Id)
        .from(member::Entity)
        .cond_where(scope.condition(member::Column::OrgPath))
        .to_owned();
    let mut q = outflow_report::Entity::find().filter(outflow_report::Column::MemberId.in_subquery(members_in_scope));
    if let Some(s) = status {
        q = q.filter(outflow_report::Column::Status.eq(s));
    }
    let total = q.clone().count(db).await?;
    let items = q
        .order_by_asc(outflow_report::Column::CreatedAt)
        .order_by_asc(outflow_report::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?;
    Ok(Page { items, total })
}

/// Records the decision on a proposed report; false when it was no longer proposed.
pub async fn decide(
    db: &impl ConnectionTrait,
    id: i64,
    status: &str,
    decline_reason: Option<String>,
    mobility_record_id: Option<i64>,
    by: Option<i64>,
) -> Result<bool, DbErr> {
    use sea_orm::sea_query::Expr;
    let now = Utc::now();
    let r = outflow_report::Entity::update_many()
        .col_expr(outflow_report::Column::Status, Expr::value(status))
        .col_expr(outflow_report::Column::DeclineReason, Expr::value(decline_reason))
        .col_expr(outflow_report::Column::MobilityRecordId, Expr::value(mobility_record_id))
        .col_expr(outflow_report::Column::DecidedBy, Expr::value(by))
        .col_expr(outflow_report::Column::DecidedAt, Expr::value(now))
        .col_expr(outflow_report::Column::UpdatedAt, Expr::value(now))
        .filter(outflow_report::Column::Id.eq(id))
        .filter(outflow_report::Column::Status.eq("proposed"))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}
