use sea_orm::entity::prelude::*;

/// A person in the recruitment pipeline (发展党员): who they are (the ID number sealed), the branch, how
/// far they have come.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recruits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub name: String,
    pub gender: String,
    pub birth_date: Date,
    pub id_number_enc: String,
    pub id_number_bidx: String,
    pub phone_enc: Option<String>,
    pub occupation: Option<String>,
    pub employer: Option<String>,
    pub education: Option<String>,
    pub steps_done: i32,
    pub next_due_on: Option<Date>,
    pub status: String,
    pub stopped_on: Option<Date>,
    pub stop_reason: Option<String>,
    pub extension_months: Option<i32>,
    pub extended_on: Option<Date>,
    pub extension_reason: Option<String>,
    pub member_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The SM3 hash of the code the applicant follows their steps with (none: no code given).
    pub progress_code_hash: Option<String>,
    /// Wrong answers to the code since it was given (five close it).
    pub progress_wrong: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
