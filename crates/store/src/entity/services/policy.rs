use sea_orm::entity::prelude::*;

/// An enterprise-benefit policy (惠企政策); `industries`, `sizes` and `tags` are JSON lists, `search_*` the indexed bigram text.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub county_path: String,
    pub department_id: i64,
    pub doc_no: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub issued_on: Date,
    pub effective_from: Date,
    pub effective_until: Option<Date>,
    pub industries: String,
    pub sizes: String,
    pub tags: String,
    pub search_title: String,
    pub search_body: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
