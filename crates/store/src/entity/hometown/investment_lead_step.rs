use sea_orm::entity::prelude::*;

/// A step of a lead's pipeline: the stage reached, on which day, by whom, with a note (and, for a
/// landing, the amount invested).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "investment_lead_steps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lead_id: i64,
    pub stage: String,
    pub on_date: Date,
    pub note: String,
    pub amount_fen: Option<i64>,
    pub by_id: Option<i64>,
    pub by_name: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
