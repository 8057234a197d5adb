use sea_orm::entity::prelude::*;

/// A user's channels and quiet hours (the email address sealed).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notify_prefs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub email_enc: Option<String>,
    pub email_on: bool,
    pub quiet_start: Option<i32>,
    pub quiet_end: Option<i32>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
