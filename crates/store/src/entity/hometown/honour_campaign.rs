use sea_orm::entity::prelude::*;

/// An honours campaign (先锋工程, 两优一先): the honours it offers and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "honour_campaigns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub year: i32,
    pub title: String,
    /// JSON: `[{"name", "subject"}]`.
    pub honours: String,
    pub nominate_until: Option<Date>,
    pub status: String,
    pub notice_from: Option<Date>,
    pub notice_until: Option<Date>,
    pub awarded_on: Option<Date>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
