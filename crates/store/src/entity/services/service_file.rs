use sea_orm::entity::prelude::*;

/// A file kept with a services record: a photo of a place, an attachment of a request.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `place` or `request`.
    pub subject: String,
    pub subject_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// Where it lies in the file store.
    pub key: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_by_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
