use sea_orm::entity::prelude::*;

/// A 红链直通车 service request: an enterprise's problem carried to the department that can solve it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub county_path: String,
    pub category_id: i64,
    pub department_id: i64,
    pub requester_kind: String,
    pub requester_id: Option<i64>,
    pub requester_name: String,
    pub org_id: i64,
    pub org_path: String,
    pub host_id: Option<i64>,
    pub host_name: String,
    pub title: String,
    pub description: String,
    pub status: String,
    pub limit_days: i32,
    pub submitted_on: Date,
    pub due_on: Date,
    pub accepted_on: Option<Date>,
    pub answered_on: Option<Date>,
    pub closed_on: Option<Date>,
    pub reply: String,
    pub rating: Option<String>,
    pub rating_comment: String,
    pub reopened: bool,
    pub escalated_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
