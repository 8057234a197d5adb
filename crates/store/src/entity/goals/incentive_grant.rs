use sea_orm::entity::prelude::*;

/// An incentive grant (以奖代补) of an organisation for a year; money in fen.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "incentive_grants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub year: i32,
    pub score: String,
    pub total_hundredths: i32,
    pub tier: Option<String>,
    pub amount_fen: i64,
    pub status: String,
    pub approved_by: Option<i64>,
    pub approved_at: Option<DateTimeUtc>,
    pub disbursed_fen: Option<i64>,
    pub disbursed_on: Option<Date>,
    pub voucher: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
