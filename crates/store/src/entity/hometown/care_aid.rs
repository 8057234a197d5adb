use sea_orm::entity::prelude::*;

/// A student's application for aid from the care fund and where it stands; the ID number, phone and
/// family situation sealed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "care_aids")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub year: i32,
    pub student_name: String,
    pub id_number_enc: Option<String>,
    pub phone_enc: Option<String>,
    pub family_enc: Option<String>,
    pub school: String,
    pub grade: String,
    pub asked_fen: i64,
    pub approved_fen: Option<i64>,
    pub status: String,
    pub applied_on: Date,
    pub reviewed_on: Option<Date>,
    pub reviewed_by: Option<i64>,
    pub review_note: String,
    pub decided_on: Option<Date>,
    pub decided_by: Option<i64>,
    pub decision_note: String,
    pub notice_from: Option<Date>,
    pub notice_until: Option<Date>,
    pub disbursed_fen: Option<i64>,
    pub disbursed_on: Option<Date>,
    pub method: Option<String>,
    pub payment_note: String,
    pub renewal_of: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
