use sea_orm::entity::prelude::*;

/// A need, suggestion or complaint (诉求与建议) of a member or an enterprise, with its accepted match
/// and outcome; `tags` is a JSON list.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "needs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub county_path: String,
    pub org_id: i64,
    pub org_path: String,
    pub kind: String,
    pub source: String,
    pub requester_id: Option<i64>,
    pub requester_name: String,
    pub host_id: Option<i64>,
    pub host_name: String,
    pub title: String,
    pub description: String,
    pub tags: String,
    pub status: String,
    pub match_kind: Option<String>,
    pub match_id: Option<i64>,
    pub match_name: String,
    pub match_reason: String,
    pub outcome: String,
    pub matched_on: Option<Date>,
    pub closed_on: Option<Date>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
