use sea_orm::entity::prelude::*;

/// A key task with its milestones (JSON); its light is computed, never stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub list_id: i64,
    pub year: i32,
    pub owner_org_id: i64,
    pub owner_path: String,
    pub title: String,
    pub description: Option<String>,
    pub deadline: Date,
    pub milestones: String,
    pub done_on: Option<Date>,
    pub reported_percent: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
