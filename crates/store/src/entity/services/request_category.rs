use sea_orm::entity::prelude::*;

/// A category of 红链直通车 request, routed to a department with a time limit in working days.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "request_categories")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub county_path: String,
    pub name: String,
    pub department_id: i64,
    pub limit_days: i32,
    pub sort: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
