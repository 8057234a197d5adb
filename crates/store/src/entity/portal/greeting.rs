use sea_orm::entity::prelude::*;

/// A holiday greeting (节日问候) of an organisation to the open outflows of its subtree.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "greetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub occasion: String,
    pub title: String,
    pub body: String,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub created_at: DateTimeUtc,
    pub targeted: i32,
    pub no_account: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
