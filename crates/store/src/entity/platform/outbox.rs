use sea_orm::entity::prelude::*;

/// A message on its way through one channel to one recipient (a user, or a group robot).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub channel: String,
    pub user_id: Option<i64>,
    pub robot_id: Option<i64>,
    pub member_id: Option<i64>,
    pub org_path: String,
    pub source: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub dedupe_key: String,
    pub status: String,
    pub attempts: i32,
    pub next_at: DateTimeUtc,
    pub lease_token: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
