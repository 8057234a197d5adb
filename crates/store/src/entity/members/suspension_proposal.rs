use sea_orm::entity::prelude::*;

/// A proposal to suspend a lost member's membership: recorded for the
/// organisation to decide, never applied automatically.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "suspension_proposals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: i64,
    pub reason: String,
    pub days_lost: i32,
    pub proposed_by: Option<i64>,
    pub proposed_by_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
