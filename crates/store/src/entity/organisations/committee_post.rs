use sea_orm::entity::prelude::*;

/// A post on an organisation's committee held by a member from `since` until `until` (inclusive;
/// None: still held). A committee's term is the posts elected on the same day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "committee_posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub member_id: i64,
    /// secretary | deputy_secretary | organisation | publicity | discipline | member
    pub post: String,
    pub since: Date,
    pub until: Option<Date>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
