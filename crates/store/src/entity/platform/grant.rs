use sea_orm::entity::prelude::*;

/// A role held by a user over an organisation subtree (`org_id`), or over the
/// system for the three system roles (`org_id` is null).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub role: String,
    pub org_id: Option<i64>,
    /// A department handler's department (their county is `org_id`).
    pub department_id: Option<i64>,
    /// An enterprise contact's enterprise (a host of the coverage registry under `org_id`).
    pub host_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
