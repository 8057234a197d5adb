use sea_orm::entity::prelude::*;

/// A bulletin (通知公告 or 活动通知) of an organisation for the members of its subtree; withdrawn ones
/// stay for the console.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bulletins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    /// Also reaches the open outflows received by an organisation of the subtree.
    pub include_outflow: bool,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub published_at: DateTimeUtc,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub withdrawn_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
