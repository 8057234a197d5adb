use sea_orm::entity::prelude::*;

/// A host to check in a coverage census.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coverage_census_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub census_id: i64,
    pub host_id: i64,
    pub org_path: String,
    pub coverage_before: String,
    pub coverage: Option<String>,
    pub note: Option<String>,
    pub checked_by: Option<i64>,
    pub checked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
