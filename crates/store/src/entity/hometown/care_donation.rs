use sea_orm::entity::prelude::*;

/// A donation to the care fund (关爱工程), in fen.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "care_donations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub donor_kind: String,
    pub donor_name: String,
    pub amount_fen: i64,
    pub received_on: Date,
    pub receipt_no: String,
    pub purpose: String,
    pub voided_on: Option<Date>,
    pub voided_by: Option<i64>,
    pub void_reason: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
