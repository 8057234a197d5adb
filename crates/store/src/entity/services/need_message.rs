use sea_orm::entity::prelude::*;

/// One message in a need's thread: the requester's words or the service team's answer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "need_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub need_id: i64,
    pub at: DateTimeUtc,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub from_requester: bool,
    pub body: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
