use sea_orm::entity::prelude::*;

/// A host entity (两新组织, building, market, new-employment group) and its organisational coverage.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hosts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub industry: Option<String>,
    pub region_code: String,
    pub org_id: i64,
    pub org_path: String,
    pub covering_org_id: Option<i64>,
    pub coverage: String,
    pub community_id: Option<i64>,
    pub employees: Option<i32>,
    pub party_members: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
