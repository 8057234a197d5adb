use sea_orm::entity::prelude::*;

/// A column mapping a county saved under a name: which column of a roster holds which field, and
/// which row is the header.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_mappings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The county's root organisation.
    pub county_id: i64,
    pub name: String,
    pub header_row: i32,
    /// JSON: field → column letter.
    pub columns: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
