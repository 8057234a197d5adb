use sea_orm::entity::prelude::*;

/// One contact with a member (call, visit, WeChat, greeting, census).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contacts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: i64,
    pub kind: String,
    pub contacted_on: Date,
    pub reached: bool,
    /// Sealed (`platform::sealing`; the plaintext column `note` is legacy, emptied at start-up).
    pub note_enc: Option<String>,
    pub by_user_id: Option<i64>,
    pub by_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
