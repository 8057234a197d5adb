use sea_orm::entity::prelude::*;

/// A relationship transfer (组织关系转接): a request inside the deployment, or an introduction letter to or
/// from an organisation outside it. No personal field but the member's name: the letter reads the rest from
/// the member's record when it is printed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "transfers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub member_id: Option<i64>,
    pub member_name: String,
    pub from_org_id: Option<i64>,
    pub from_org_path: Option<String>,
    pub from_name: String,
    pub to_org_id: Option<i64>,
    pub to_org_path: Option<String>,
    pub to_name: String,
    pub destination: Option<String>,
    pub county_id: Option<i64>,
    pub letter_year: Option<i32>,
    pub letter_seq: Option<i32>,
    pub letter_no: Option<String>,
    pub started_on: Date,
    pub valid_days: Option<i32>,
    pub dues_paid_to: Option<String>,
    pub receipt_on: Option<Date>,
    pub decided_on: Option<Date>,
    pub decided_by: Option<i64>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub created_by: Option<i64>,
    pub created_by_name: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
