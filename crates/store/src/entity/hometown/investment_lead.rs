use sea_orm::entity::prelude::*;

/// A project lead (项目线索) and where its pipeline stands; amounts in fen.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "investment_leads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub drive_id: Option<i64>,
    pub project: String,
    pub sector: String,
    pub investor: String,
    pub member_id: Option<i64>,
    pub member_name: String,
    pub city: String,
    pub town: String,
    pub amount_fen: i64,
    pub landed_fen: Option<i64>,
    pub stage: String,
    pub stage_on: Date,
    pub next_step: String,
    pub next_step_on: Option<Date>,
    pub drop_reason: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
