use sea_orm::entity::prelude::*;

/// One of the twenty-five steps of recruitment, recorded: its day, the people, the documents.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recruit_steps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub recruit_id: i64,
    pub step: i32,
    pub done_on: Date,
    pub people: String,
    pub documents: String,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub details: Option<String>,
    pub recorded_by: Option<i64>,
    pub recorded_by_name: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
