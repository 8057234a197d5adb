use sea_orm::entity::prelude::*;

/// A member's dues base from a month on: the category, the monthly salary (sealed) or a farmer's chosen
/// amount, and whether the branch allows paying by the quarter.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dues_bases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: i64,
    pub from_month: String,
    pub category: String,
    pub base_enc: Option<String>,
    pub farmer_fen: Option<i64>,
    pub quarterly: bool,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
