use sea_orm::entity::prelude::*;

/// A proposal to suspend a lost member's membership, or to remove a member suspended two years ago:
/// approved (or not) by the level above; ended when contact is regained.
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
    pub kind: String,
    pub status: String,
    pub decided_on: Option<Date>,
    pub decided_by: Option<i64>,
    pub decided_by_name: Option<String>,
    pub decision_note: Option<String>,
    pub ended_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
