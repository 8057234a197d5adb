use sea_orm::entity::prelude::*;

/// A service place (服务阵地): a centre, a station, a chamber venue; `windows` and `ticked` are JSON lists.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_places")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub kind: String,
    pub name: String,
    pub address: String,
    pub lng: Option<f64>,
    pub lat: Option<f64>,
    pub hours: String,
    pub offers: String,
    pub windows: String,
    pub ticked: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
