use sea_orm::entity::prelude::*;

/// A member who took part in a drive.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "investment_drive_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub drive_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
