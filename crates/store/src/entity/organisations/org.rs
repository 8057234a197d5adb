use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orgs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub parent_id: Option<i64>,
    /// Materialised path `/1/7/12/`.
    pub path: String,
    pub depth: i32,
    pub name: String,
    pub kind: String,
    pub host_kind: String,
    pub host_name: Option<String>,
    pub province_code: Option<String>,
    pub city_code: Option<String>,
    pub county_code: Option<String>,
    pub secretary: Option<String>,
    pub founded_on: Option<Date>,
    pub contact: Option<String>,
    pub status: String,
    pub dissolved_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
