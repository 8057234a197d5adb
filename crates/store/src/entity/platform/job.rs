use sea_orm::entity::prelude::*;

/// A background job (e.g. a large import) and its progress.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub user_id: i64,
    /// running | done | failed
    pub status: String,
    pub total: i64,
    pub processed: i64,
    /// JSON result when done.
    pub result: Option<String>,
    /// Chinese message when failed.
    pub error: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
