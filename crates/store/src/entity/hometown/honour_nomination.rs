use sea_orm::entity::prelude::*;

/// A member or an organisation nominated for an honour, with the deeds, the meeting's vote and where
/// the nomination stands.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "honour_nominations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub campaign_id: i64,
    pub honour: String,
    pub subject: String,
    pub member_id: Option<i64>,
    pub nominee_org_id: Option<i64>,
    pub nominee_name: String,
    pub org_id: i64,
    pub org_path: String,
    pub deeds: String,
    pub discussed_on: Date,
    pub votes_for: i32,
    pub votes_total: i32,
    pub status: String,
    pub at_org_id: Option<i64>,
    pub awarded_on: Option<Date>,
    pub withdrawn_on: Option<Date>,
    pub withdraw_reason: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
