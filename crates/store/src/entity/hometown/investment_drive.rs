use sea_orm::entity::prelude::*;

/// An investment drive (招商推介会) held with the chambers: when, where, who held it and who came.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "investment_drives")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub held_on: Date,
    pub city: String,
    pub title: String,
    pub leaders: String,
    pub entrepreneurs: String,
    pub summary: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
