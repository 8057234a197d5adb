use sea_orm::entity::prelude::*;

/// An objection raised while a nomination was on public notice, and how it was handled.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "honour_objections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub nomination_id: i64,
    pub received_on: Date,
    pub content: String,
    pub handling: String,
    pub upheld: Option<bool>,
    pub handled_on: Option<Date>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
