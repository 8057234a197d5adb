use sea_orm::entity::prelude::*;

/// An organisation's group robot (WeCom or DingTalk): its webhook and signing secret sealed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "robots")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub kind: String,
    pub name: String,
    pub url_enc: String,
    pub secret_enc: Option<String>,
    /// The webhook's host, in clear (the console shows it; the allow-list checks it).
    pub host: String,
    pub enabled: bool,
    pub created_by_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
