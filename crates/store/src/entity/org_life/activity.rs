use sea_orm::entity::prelude::*;

/// A meeting, lecture, theme party day or other activity of one or several organisations.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub topic: String,
    pub start_at: DateTimeUtc,
    pub end_at: DateTimeUtc,
    pub place: Option<String>,
    pub online_link: Option<String>,
    pub host: Option<String>,
    pub lecturer: Option<String>,
    pub minutes: Option<String>,
    /// active | pending_approval | rejected | cancelled
    pub status: String,
    /// The short code members type (or scan) to check in.
    pub checkin_code: String,
    pub created_by: Option<i64>,
    /// The year an annual meeting held in January–February is about, if the previous one
    /// (`duty::counts_on`); None: the year it was held.
    pub for_year: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
