use sea_orm::entity::prelude::*;

/// A 送政策、送服务、送温暖 visit by an organisation to an enterprise; `kinds` is a JSON list.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outreach_visits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub county_path: String,
    pub org_id: i64,
    pub org_path: String,
    pub host_id: Option<i64>,
    pub host_name: String,
    pub visited_on: Date,
    pub kinds: String,
    pub visitors: String,
    pub summary: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
