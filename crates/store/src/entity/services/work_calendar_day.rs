use sea_orm::entity::prelude::*;

/// A county's exception to the Monday–Friday week: a weekday off (`working` false) or a weekend day worked (调休).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "work_calendar_days")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub county_path: String,
    pub day: Date,
    pub working: bool,
    pub note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
