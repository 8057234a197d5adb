use sea_orm::entity::prelude::*;

/// A member's attendance at an activity.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: i64,
    pub member_id: i64,
    /// present | leave | absent
    pub status: String,
    pub reason: Option<String>,
    /// code | manual
    pub via: String,
    pub recorded_at: DateTimeUtc,
    pub recorded_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
