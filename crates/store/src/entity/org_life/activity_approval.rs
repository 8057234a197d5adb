use sea_orm::entity::prelude::*;

/// A request to record an activity after the back-dating limit, for a county admin to decide.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_approvals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: i64,
    pub reason: String,
    pub requested_by: Option<i64>,
    /// pending | approved | rejected
    pub status: String,
    pub decided_by: Option<i64>,
    pub decision_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
