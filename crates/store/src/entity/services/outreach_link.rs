use sea_orm::entity::prelude::*;

/// What a visit delivered: a policy or a 红链直通车 request (`kind`), by id.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outreach_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub visit_id: i64,
    pub kind: String,
    pub target_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
