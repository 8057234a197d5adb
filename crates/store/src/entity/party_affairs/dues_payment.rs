use sea_orm::entity::prelude::*;

/// A dues payment: the months it covers, the dues and a voluntary extra, where it was collected.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dues_payments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: i64,
    pub months: String,
    pub amount_fen: i64,
    pub extra_fen: i64,
    pub paid_on: Date,
    pub method: String,
    pub collected_by_org_id: i64,
    pub remitted: bool,
    pub note: String,
    pub recorded_by: Option<i64>,
    pub recorded_by_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
